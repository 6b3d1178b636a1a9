import Foundation
import HTTP
import LocalStorageServer
import SigningCore
import TestSupport
import Testing

/// Create-only uploads (Azure `sp=c` without `w`, S3 `If-None-Match: *`, GCS
/// `x-goog-if-generation-match: 0`) never replace an object, even one written while they streamed.
struct ServeConditionalWriteTests {
    static let blobType = [(name: "x-ms-blob-type", value: "BlockBlob")]

    /// Sends the head of `url` with `Expect: 100-continue` and waits for the server's 100 (so the
    /// head has been decided), then half the body; returns the connection to finish later.
    static func startUpload(_ url: String, headers: [(String, String)], body: [UInt8]) async throws -> RawConnection {
        try await offThePool {
            let connection = try RawConnection(baseURL: url)
            connection.send(RawConnection.head(method: "PUT", url: url, headers: headers + [("Content-Length", String(body.count)), ("Expect", "100-continue")]))
            let interim = connection.readHead(timeout: 10)
            guard RawConnection.status(of: interim) == 100 else { throw StandInError(message: "no 100 Continue: \(interim)") }
            connection.send(Array(body[..<(body.count / 2)]))
            return connection
        }
    }

    /// Sends the rest of the body and returns the final status and response text.
    static func finishUpload(_ connection: RawConnection, body: [UInt8]) async throws -> (Int, String) {
        try await offThePool {
            connection.send(Array(body[(body.count / 2)...]))
            let head = connection.readHead(timeout: 10)
            let rest = connection.readUntilClosed(timeout: 1).bytes
            return (RawConnection.status(of: head), head + String(decoding: rest, as: UTF8.self))
        }
    }

    @Test func azureCreateOnlyLosesTheRaceWith409() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let first = [UInt8](repeating: 1, count: 1000), second = [UInt8](repeating: 2, count: 10)
        let url = try serve.azure("race.bin", permissions: "c")
        let pending = try await Self.startUpload(url, headers: [("x-ms-blob-type", "BlockBlob")], body: first)
        let winner = try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.azure("race.bin", permissions: "c"), headers: Self.blobType, body: .bytes(second)))
        #expect(winner.status == 201)
        let (status, text) = try await Self.finishUpload(pending, body: first)
        #expect(status == 409 && text.contains("<Code>BlobAlreadyExists</Code>") && text.lowercased().contains("x-ms-error-code: blobalreadyexists"), "\(text)")
        let stored = try await serve.http.send(HTTPRequest(url: try serve.azure("race.bin", permissions: "r")))
        #expect(stored.body == second, "the object written first stays")
        #expect(ServeWriteFaultTests.leftovers(serve.root).isEmpty)
    }

    @Test func s3IfNoneMatchStarIsCreateOnly() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let condition = [(name: "If-None-Match", value: "*")]
        let first = [UInt8](repeating: 1, count: 1000), second = [UInt8](repeating: 2, count: 10)
        let url = try serve.s3("once.bin", method: .PUT)
        let pending = try await Self.startUpload(url, headers: [("If-None-Match", "*")], body: first)
        #expect(try await serve.http.send(HTTPRequest(method: "PUT", url: url, headers: condition, body: .bytes(second))).status == 200)
        let (status, text) = try await Self.finishUpload(pending, body: first)
        #expect(status == 412 && text.contains("<Code>PreconditionFailed</Code>"), "\(text)")
        let again = try await serve.http.send(HTTPRequest(method: "PUT", url: url, headers: condition, body: .bytes(first)))
        #expect(again.status == 412 && ServeHarness.code(again) == "PreconditionFailed", "an existing object is refused at once")
        #expect(try await serve.http.send(HTTPRequest(url: try serve.s3("once.bin"))).body == second)
    }

    @Test func gcsGenerationMatchZeroIsCreateOnly() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let condition = [(name: "x-goog-if-generation-match", value: "0")]
        let url = try serve.gcs("once.bin", method: "PUT")
        #expect(try await serve.http.send(HTTPRequest(method: "PUT", url: url, headers: condition, body: .bytes([1]))).status == 200)
        let again = try await serve.http.send(HTTPRequest(method: "PUT", url: url, headers: condition, body: .bytes([2])))
        #expect(again.status == 412 && ServeHarness.code(again) == "PreconditionFailed")
        #expect(try await serve.http.send(HTTPRequest(url: try serve.gcs("once.bin"))).body == [1])
    }
}
