import Foundation
import HTTP
import Testing

/// The local servers `scripts/http-servers.sh` starts (`.ci-work/http.env`).
enum TestServers {
    static let environment = ProcessInfo.processInfo.environment
    static let fault = environment["PRESIGN_TEST_FAULT"] ?? ""
    static let staticHTTP = environment["PRESIGN_TEST_HTTP_STATIC"] ?? ""
    static let caFile = environment["PRESIGN_TEST_TLS_CA"] ?? ""
    static let tlsGood = environment["PRESIGN_TEST_TLS_GOOD"] ?? ""
    static let tlsSelfSigned = environment["PRESIGN_TEST_TLS_SELFSIGNED"] ?? ""
    static let tlsWrongName = environment["PRESIGN_TEST_TLS_WRONGNAME"] ?? ""
    static let tlsExpired = environment["PRESIGN_TEST_TLS_EXPIRED"] ?? ""

    /// Present, or required (so a CI run without them fails instead of skipping).
    static var available: Bool { !fault.isEmpty || environment["PRESIGN_REQUIRE_SERVERS"] == "1" }
    static let missing = "HTTP test servers not running: run scripts/test.sh (or scripts/http-servers.sh start && source .ci-work/http.env)"

    /// A unique id for server-side state (flaky counters, expect logs).
    static func uniqueID(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    /// GETs a JSON document from the fault server's bookkeeping endpoints.
    static func json(_ path: String) async throws -> [String: Any] {
        let response = try await HTTPClient().send(HTTPRequest(url: fault + path, maxResponseBytes: 1 << 24))
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }
}
