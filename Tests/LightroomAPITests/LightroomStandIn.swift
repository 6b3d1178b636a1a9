import Foundation
import HTTP
import LightroomAPI
import Testing

/// The IMS and Lightroom API stand-in (`Tests/StandIns/lightroom_standin.py`, started by
/// `scripts/http-servers.sh`): its address, its credentials, and its test controls.
enum LightroomStandIn {
    static let environment = ProcessInfo.processInfo.environment
    static let base = environment["PRESIGN_TEST_LIGHTROOM"] ?? ""
    static var available: Bool { !base.isEmpty || environment["PRESIGN_REQUIRE_SERVERS"] == "1" }
    static let missing = "Lightroom stand-in not running: run scripts/test.sh"
    static let clientID = "presign-test-client"
    static let clientSecret = "presign-test-secret+&=/"
    static let imsURL = base + "/ims/token/v3"
    static let http = HTTPClient()

    /// Queues scripted answers for requests whose path starts with `path`.
    static func fault(_ path: String, _ responses: [[String: Any]]) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["path": path, "responses": responses])
        let response = try await http.send(HTTPRequest(method: "POST", url: base + "/__faults", body: .bytes(Array(body))))
        #expect(response.status == 200 || response.status == 204, "\(response.text)")
    }

    /// Forgets every fault and attempt.
    static func reset() async throws {
        _ = try await http.send(HTTPRequest(method: "DELETE", url: base + "/__faults"))
        _ = try await http.send(HTTPRequest(method: "DELETE", url: base + "/__attempts"))
    }

    /// When requests for `path` arrived (monotonic seconds).
    static func attempts(_ path: String) async throws -> [Double] {
        let response = try await http.send(HTTPRequest(url: base + "/__attempts?path=" + path))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return object?["times"] as? [Double] ?? []
    }

    /// The last request for `path`: headers (lower-case names) and body text.
    static func lastRequest(_ path: String) async throws -> (headers: [String: String], body: String) {
        let response = try await http.send(HTTPRequest(url: base + "/__requests/last?path=" + path))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
        return (object["headers"] as? [String: String] ?? [:], object["body"] as? String ?? "")
    }

    /// A client of the stand-in with a fixed jitter factor of 1, so back-off gaps are exact.
    static func client(secret: String = clientSecret, token: String? = nil, retries: Int = 3, backoff: Double = 0.1, retry429: Bool = false) -> LightroomClient {
        var policy = RetryPolicy.serverErrors(retries: retries, backoff: backoff)
        policy.random = { 1.0 }
        if retry429 {
            policy.retryableStatuses.insert(429)
            policy.honoursRetryAfter = true
        }
        let source: IMSTokenProvider.Source = token.map { .accessToken($0) } ?? .clientCredentials(clientID: clientID, clientSecret: secret, scopes: IMSTokenProvider.defaultScopes)
        return LightroomClient(base: base, apiKey: clientID, tokens: IMSTokenProvider(source: source, url: imsURL, http: http, policy: policy), http: http, policy: policy)
    }

    /// A job whose URLs point at a closed port (the submit path is what is tested); autoStraighten,
    /// so that the command-line suite's autoTone jobs never mix with these in the stand-in's log.
    static let job = LightroomJobRequest(endpoint: .autoStraighten, input: .init(href: "http://127.0.0.1:9/in.jpg"),
                                         outputs: [.init(file: .init(href: "http://127.0.0.1:9/out.jpg"), type: .jpeg)])
}
