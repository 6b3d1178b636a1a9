import Foundation
import HTTP
import Testing

/// The client against the local fault server: exact requests, ranges, limits, timeouts,
/// dropped connections, cancellation and parallelism.
@Suite(.enabled(if: TestServers.available, Comment(rawValue: TestServers.missing)))
struct HTTPClientTests {
    let client = HTTPClient(maxConcurrentTransfers: 32)

    @Test func serversAreConfigured() {
        #expect(!TestServers.fault.isEmpty && !TestServers.tlsGood.isEmpty && !TestServers.staticHTTP.isEmpty)
    }

    /// What arrived at the server, as the fault server's `/echo` reports it.
    func echo(_ request: HTTPRequest) async throws -> (headers: [String], path: String, bodyLength: Int) {
        let response = try await client.send(request)
        #expect(response.status == 200)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        let headers = (object["headers"] as? [[String]] ?? []).map { "\($0[0].lowercased()): \($0[1])" }
        return (headers, object["target"] as? String ?? "", object["body_length"] as? Int ?? -1)
    }

    @Test func getAddsNoHeaderOfItsOwn() async throws {
        let seen = try await echo(HTTPRequest(url: TestServers.fault + "/echo"))
        #expect(seen.headers.map { $0.components(separatedBy: ":")[0] } == ["host"])
    }

    @Test func putSendsNoContentTypeAndNoExpect() async throws {
        let seen = try await echo(HTTPRequest(method: "PUT", url: TestServers.fault + "/echo", body: .bytes(Array(repeating: 7, count: 3_000_000))))
        #expect(seen.headers.map { $0.components(separatedBy: ":")[0] }.sorted() == ["content-length", "host"])
        #expect(seen.bodyLength == 3_000_000)
    }

    @Test func callerHeadersAreSentAsGiven() async throws {
        let seen = try await echo(HTTPRequest(method: "POST", url: TestServers.fault + "/echo",
                                              headers: [(name: "Content-Type", value: "application/octet-stream"), (name: "X-Empty", value: "")],
                                              body: .bytes(Array("abc".utf8))))
        #expect(seen.headers.contains("content-type: application/octet-stream"))
        #expect(seen.headers.contains("x-empty: "))
        #expect(seen.bodyLength == 3)
    }

    @Test func pathIsSentAsGiven() async throws {
        let seen = try await echo(HTTPRequest(url: TestServers.fault + "/echo/./a/../b%2Fc//d?x=1+2"))
        #expect(seen.path == "/echo/./a/../b%2Fc//d?x=1+2")
    }

    @Test func rangedGetReadsTheFirstBytes() async throws {
        let response = try await client.send(.rangedGet(url: TestServers.fault + "/bytes/100000", firstBytes: 16))
        #expect(response.status == 206)
        #expect(response.body == (0..<16).map { UInt8($0 % 251) })
    }

    @Test func bodyIsCutAtTheLimitWhenTheServerIgnoresRange() async throws {
        let response = try await client.send(HTTPRequest(url: TestServers.fault + "/bytes/100000", maxResponseBytes: 1000))
        #expect(response.status == 200)
        #expect(response.bodyTruncated)
        #expect(response.body == (0..<1000).map { UInt8($0 % 251) })
    }

    @Test func totalTimeoutIsAnError() async throws {
        let started = Date()
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: TestServers.fault + "/slow?headers_after=25", totalTimeout: 1))
        }
        #expect(error?.kind == .timeout)
        // The server answers after 25 s; well before that proves the 1 s timeout fired (with room
        // for a loaded 2-core CI machine).
        #expect(Date().timeIntervalSince(started) < 12)
    }

    @Test func droppedConnectionIsAnError() async throws {
        let error = await #expect(throws: HTTPError.self) { try await client.send(HTTPRequest(url: TestServers.fault + "/drop")) }
        #expect(error?.kind == .connectionDropped)
    }

    @Test func refusedConnectionIsAnError() async throws {
        let error = await #expect(throws: HTTPError.self) { try await client.send(HTTPRequest(url: "http://127.0.0.1:1/x")) }
        #expect(error?.kind == .connectionRefused)
        #expect(error?.message.contains("127.0.0.1:1") == true)
    }

    @Test func invalidURLIsAnError() async throws {
        let error = await #expect(throws: HTTPError.self) { try await client.send(HTTPRequest(url: "ftp://127.0.0.1/x")) }
        #expect(error?.kind == .invalidURL)
    }

    @Test func cancellingTheTaskStopsTheTransfer() async throws {
        let started = Date()
        let task = Task { try await client.send(HTTPRequest(url: TestServers.fault + "/slow?headers_after=28", totalTimeout: 60)) }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        let result = await task.result
        #expect(throws: (any Error).self) { try result.get() }
        // The server answers after 28 s; finishing well before proves the cancellation stopped it.
        #expect(Date().timeIntervalSince(started) < 12)
    }

    /// 32 slow requests at once finish in a fraction of their serial time: transfers run in
    /// parallel and do not hold the cooperative pool.
    @Test func transfersRunInParallel() async throws {
        let started = Date()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<32 {
                group.addTask { try await client.send(HTTPRequest(url: TestServers.fault + "/slow?headers_after=2")).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 32))
        // Serially they would take 64 s; allow for a loaded 2-core CI machine.
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func concurrencyLimitQueuesTheRest() async throws {
        let limited = HTTPClient(maxConcurrentTransfers: 2)
        let started = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 { group.addTask { _ = try await limited.send(HTTPRequest(url: TestServers.fault + "/slow?headers_after=0.5")) } }
            try await group.waitForAll()
        }
        #expect(Date().timeIntervalSince(started) >= 1.4, "6 requests of 0.5 s, 2 at a time, take 1.5 s")
    }

    @Test func uploadFromAFileAndReadItBack() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(TestServers.uniqueID("upload")).path
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let url = TestServers.staticHTTP + "/upload/" + TestServers.uniqueID("file") + ".bin"
        let put = try await client.send(HTTPRequest(method: "PUT", url: url, body: .file(path: path)))
        #expect([200, 201, 204].contains(put.status))
        let get = try await client.send(HTTPRequest(url: url, maxResponseBytes: 1 << 20))
        #expect(get.body == bytes)
    }
}
