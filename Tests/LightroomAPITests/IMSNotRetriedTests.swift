import Foundation
import HTTP
import LightroomAPI
import Testing

/// The issue's case: an IMS host that does not resolve cost about 6 s ("failed after 4 tries").
/// It is tried once, and the error does not speak of tries.
struct IMSNotRetriedTests {
    @Test func anUnresolvableIMSHostFailsAtOnce() async throws {
        let tokens = IMSTokenProvider(source: .clientCredentials(clientID: "presign-test-client", clientSecret: "presign-test-secret", scopes: ["openid"]),
                                      url: "https://presign-no-such-ims.invalid/ims/token/v3", policy: .serverErrors(retries: 3, backoff: 1))
        let started = Date()
        let error = await #expect(throws: LightroomError.self) { try await tokens.token() }
        #expect(Date().timeIntervalSince(started) < 3.5, "three retries would wait at least 3.5 s")
        #expect(error?.code == "dns-failure" && error?.message.contains("could not be resolved") == true, "\(String(describing: error))")
        #expect(error?.message.contains("tries") == false, "\(error?.message ?? "")")
    }
}
