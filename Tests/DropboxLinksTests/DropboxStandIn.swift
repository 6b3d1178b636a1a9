import Foundation
import HTTP
import TestSupport
import Testing

/// The local Dropbox API stand-in (`Tests/StandIns/dropbox_standin.py`): each suite runs with an
/// instance of its own (`@Suite(.standIn("dropbox_standin.py"))`), so the faults one suite queues
/// never meet another's requests. Its base URL, credentials, and its test-control routes.
enum DropboxStandIn {
    /// The enclosing suite's stand-in.
    static var base: String { StandInProcess.current?.base ?? "" }
    /// The stand-in whose fault queue a test fills (the suite's own).
    static var faultBase: String { base }
    static let token = "sl.TEST-ACCESS-TOKEN"
    static let readonlyToken = "sl.TEST-READONLY-TOKEN"
    static let refreshToken = "TEST-REFRESH-TOKEN"
    static let appKey = "test-app-key"
    static let appSecret = "test-app-secret"

    static let http = HTTPClient()

    /// A path unique to this test.
    static func uniquePath(_ name: String) -> String { "/presign-tests/\(UUID().uuidString.prefix(8))/\(name)" }

    /// Puts a file into the fake Dropbox.
    static func seed(_ path: String, _ bytes: [UInt8], on base: String = base) async throws {
        let response = try await http.send(HTTPRequest(method: "PUT", url: base + "/__files" + path, body: .bytes(bytes)))
        #expect((200...299).contains(response.status), "seeding \(path): \(response.status)")
    }

    /// Reads a file back from the fake Dropbox, or `nil` when absent.
    static func file(_ path: String) async throws -> [UInt8]? {
        let response = try await http.send(HTTPRequest(url: base + "/__files" + path, maxResponseBytes: 1 << 24))
        return response.status == 200 ? response.body : nil
    }

    /// Queues scripted answers for a route (returned before normal handling).
    static func queue(_ route: String, _ responses: [[String: Any]], on base: String = faultBase) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["route": route, "responses": responses])
        let response = try await http.send(HTTPRequest(method: "POST", url: base + "/__control",
                                                       headers: [(name: "Content-Type", value: "application/json")], body: .bytes(Array(body))))
        #expect(response.status == 200)
    }

    /// Every request the stand-in received whose body or path mentions `marker`.
    static func requests(mentioning marker: String, on base: String = base) async throws -> [[String: Any]] {
        let response = try await http.send(HTTPRequest(url: base + "/__requests", maxResponseBytes: 1 << 26))
        let all = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] ?? []
        return all.filter { ($0["body"] as? String ?? "").contains(marker) || ($0["path"] as? String ?? "").contains(marker) }
    }
}
