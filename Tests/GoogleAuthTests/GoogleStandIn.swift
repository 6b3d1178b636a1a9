import Foundation
import GoogleAuth
import HTTP
import TestSupport
import Testing

/// The local Google stand-in (`Tests/StandIns/google_standin.py`, trusting the throwaway key of
/// `Fixtures/google-jwt`), the suite's own instance (`@Suite(.standIn("google_standin.py", ...))`), so
/// its queued faults never meet other tests' requests.
enum GoogleStandIn {
    /// The enclosing suite's stand-in.
    static var base: String { StandInProcess.current?.base ?? "" }
    static var tokenURL: String { base + "/token" }
    static let http = HTTPClient()

    static var keyPath: String { TestPaths.fixture("google-jwt/test-service-account.json").path }
    static func key() throws -> GoogleServiceAccountKey { try GoogleServiceAccountKey.load(path: keyPath) }

    /// A scope unique to one test, so the process-wide token cache never answers for another test.
    static func uniqueScope() -> String { "https://www.googleapis.com/auth/presign-test-\(UUID().uuidString.prefix(8).lowercased())" }

    /// The same account with another RSA key (one the stand-in does not trust).
    static func impostorKey() throws -> GoogleServiceAccountKey {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: keyPath))) as? [String: Any])
        object["private_key"] = try String(contentsOf: TestPaths.fixture("rsa/rsa2048-pkcs8.pem"), encoding: .utf8)
        return try GoogleServiceAccountKey(json: try JSONSerialization.data(withJSONObject: object), source: "impostor.json")
    }

    static func requests(path prefix: String) async throws -> [[String: Any]] {
        let response = try await http.send(HTTPRequest(url: base + "/__requests", maxResponseBytes: 1 << 26))
        let all = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] ?? []
        return all.filter { ($0["path"] as? String ?? "").hasPrefix(prefix) }
    }

    static func queue(_ route: String, _ responses: [[String: Any]]) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["route": route, "responses": responses])
        _ = try await http.send(HTTPRequest(method: "POST", url: base + "/__control", headers: [(name: "Content-Type", value: "application/json")], body: .bytes(Array(body))))
    }

    static func seed(fileID: String, name: String, bytes: [UInt8]) async throws {
        let response = try await http.send(HTTPRequest(method: "PUT", url: base + "/__files/\(fileID)?name=\(name)", body: .bytes(bytes)))
        #expect(response.status == 200)
    }

    static func file(_ fileID: String) async throws -> [UInt8] {
        try await http.send(HTTPRequest(url: base + "/__files/\(fileID)", maxResponseBytes: 1 << 24)).body
    }
}
