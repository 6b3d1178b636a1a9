import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HTTP
import LocalStorageServer
import SigningCore
import TestSupport
import Testing

/// Idle, header and body timeouts, the connection cap and the bounded request head: hundreds of
/// idle or half-sent requests are closed after their timeout while a normal client is served.
struct ServeLimitsTests {
    static func root() -> URL { FileManager.default.temporaryDirectory.appendingPathComponent("serve-limits-\(UUID().uuidString)") }

    @Test func idleAndHalfSentRequestsAreClosedWhileOthersAreServed() async throws {
        let root = Self.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let serve = try await ServeProcess(root: root, extra: ["--idle-timeout", "2", "--header-timeout", "2", "--body-timeout", "2", "--max-connections", "400"])
        defer { serve.stop() }
        let sign = DemoSigner(baseURL: serve.baseURL)
        let http = HTTPClient()
        #expect(try await http.send(HTTPRequest(method: "PUT", url: try sign.s3("here.bin", method: .PUT), body: .bytes([1, 2, 3]))).status == 200)
        try await Task.sleep(nanoseconds: 300_000_000)
        let baseline = try #require(serve.openDescriptors())
        let put = try sign.s3("half.bin", method: .PUT)
        let started = Date()
        let (idle, halfHead, halfBody) = try await offThePool { () -> ([RawConnection], [RawConnection], [RawConnection]) in
            let idle = try (0..<100).map { _ in try RawConnection(baseURL: serve.baseURL) }
            let halfHead = try (0..<80).map { _ -> RawConnection in
                let connection = try RawConnection(baseURL: serve.baseURL)
                connection.send("GET /photos/here.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                return connection
            }
            let halfBody = try (0..<20).map { _ -> RawConnection in
                let connection = try RawConnection(baseURL: put)
                connection.send(RawConnection.head(method: "PUT", url: put, headers: [("Content-Length", "1000")]) + "only part of it")
                return connection
            }
            return (idle, halfHead, halfBody)
        }
        let served = try await http.send(HTTPRequest(url: try sign.s3("here.bin"), totalTimeout: 10))
        #expect(served.status == 200 && served.body == [1, 2, 3], "a normal client is served beside 200 stalled connections")
        let results = try await offThePool { () -> [(group: String, closed: Bool, head: String)] in
            var results: [(group: String, closed: Bool, head: String)] = []
            for (group, connections) in [("idle", idle), ("half head", halfHead), ("half body", halfBody)] {
                for connection in connections {
                    let (bytes, closed) = connection.readUntilClosed(timeout: max(1, 30 - Date().timeIntervalSince(started)))
                    results.append((group, closed, String(decoding: bytes, as: UTF8.self)))
                }
            }
            return results
        }
        let elapsed = Date().timeIntervalSince(started)
        let stillOpen = results.filter { !$0.closed }.map(\.group).reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
        #expect(stillOpen.isEmpty, "still open: \(stillOpen)")
        #expect(elapsed < 30, "closed after \(elapsed) s")
        #expect(results.filter { $0.group == "idle" }.allSatisfy { $0.head.isEmpty }, "an idle connection is closed without a word")
        #expect(results.filter { $0.group == "half head" }.allSatisfy { $0.head.hasPrefix("HTTP/1.1 408") }, "\(results.first { $0.group == "half head" }?.head ?? "")")
        #expect(results.filter { $0.group == "half body" }.allSatisfy { $0.head.hasPrefix("HTTP/1.1 400") && $0.head.contains("RequestTimeout") },
                "\(results.first { $0.group == "half body" }?.head ?? "")")
        #expect(ServeWriteFaultTests.leftovers(root).isEmpty, "a stalled upload leaves no temporary file")
        for connection in idle + halfHead + halfBody { connection.close() }
        try await Task.sleep(nanoseconds: 500_000_000)
        let after = try #require(serve.openDescriptors())
        #expect(after <= baseline + 2, "descriptors: \(baseline) before, \(after) after")
    }

    @Test func theConnectionCapAnswers503AndFreesUp() async throws {
        let root = Self.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let serve = try await ServeProcess(root: root, extra: ["--max-connections", "8"])
        defer { serve.stop() }
        let sign = DemoSigner(baseURL: serve.baseURL)
        let holders = try await offThePool { try (0..<8).map { _ in try RawConnection(baseURL: serve.baseURL) } }
        try await Task.sleep(nanoseconds: 300_000_000)
        let url = try sign.s3("x.bin")
        let over = try await offThePool { () -> String in
            let connection = try RawConnection(baseURL: url)
            connection.send(RawConnection.head(method: "GET", url: url, headers: []))
            return String(decoding: connection.readUntilClosed(timeout: 10).bytes, as: UTF8.self)
        }
        #expect(over.hasPrefix("HTTP/1.1 503"), "\(over)")
        for holder in holders { holder.close() }
        try await Task.sleep(nanoseconds: 500_000_000)
        #expect(try await HTTPClient().send(HTTPRequest(url: url)).status == 404, "served once the others left")
    }

    /// CPU seconds the process has used (utime + stime from /proc/PID/stat).
    static func cpuSeconds(_ pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// With 64 descriptors, 100 idle connections neither starve a normal client for long nor make
    /// the server spin: the cap (fitted to the limit) answers 503 and the idle ones time out.
    @Test func aLowDescriptorLimitDoesNotStarveOrSpin() async throws {
        let root = Self.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let serve = try await ServeProcess(root: root, extra: ["--idle-timeout", "2"], shellLimits: "ulimit -n 64")
        defer { serve.stop() }
        let url = try DemoSigner(baseURL: serve.baseURL).s3("x.bin")
        let cpuBefore = try #require(Self.cpuSeconds(serve.process.processIdentifier))
        let started = Date()
        let idle = try await offThePool { try (0..<100).map { _ in try RawConnection(baseURL: url) } }
        var status = 0
        while status != 404 && Date().timeIntervalSince(started) < 25 {
            status = (try? await HTTPClient().send(HTTPRequest(url: url, totalTimeout: 5)).status) ?? 0
            if status != 404 { try await Task.sleep(nanoseconds: 200_000_000) }
        }
        let waited = Date().timeIntervalSince(started)
        let cpu = try #require(Self.cpuSeconds(serve.process.processIdentifier)) - cpuBefore
        #expect(status == 404, "a normal client is served within 25 s (last answer \(status))")
        #expect(cpu < max(1, waited * 0.5), "the server used \(cpu) s of CPU in \(waited) s: it must not spin")
        for connection in idle { connection.close() }
    }

    @Test func anOversizedRequestHeadIs431() async throws {
        let root = Self.root()
        defer { try? FileManager.default.removeItem(at: root) }
        let serve = try await ServeProcess(root: root, extra: ["--max-head-bytes", "8192"])
        defer { serve.stop() }
        let url = try DemoSigner(baseURL: serve.baseURL).s3("x.bin")
        let (complete, endless) = try await offThePool { () -> (String, String) in
            let connection = try RawConnection(baseURL: url)
            connection.send(RawConnection.head(method: "GET", url: url, headers: [("X-Big", String(repeating: "a", count: 10_000))]))
            let complete = String(decoding: connection.readUntilClosed(timeout: 10).bytes, as: UTF8.self)
            let other = try RawConnection(baseURL: url)
            other.send("GET /photos/x HTTP/1.1\r\nHost: a\r\n")
            for index in 0..<200 { other.send("X-Line-\(index): \(String(repeating: "b", count: 100))\r\n") }
            return (complete, String(decoding: other.readUntilClosed(timeout: 10).bytes, as: UTF8.self))
        }
        #expect(complete.hasPrefix("HTTP/1.1 431"), "\(complete.prefix(200))")
        #expect(endless.hasPrefix("HTTP/1.1 431"), "\(endless.prefix(200))")
        #expect(try await HTTPClient().send(HTTPRequest(url: url)).status == 404, "normal heads still pass")
    }

    @Test func theHelpStatesTheLimits() async throws {
        let help = try await ProcessRunner.run(ProcessRunner.presignExecutable, ["serve", "--help"], environment: [:])
        for option in ["--idle-timeout", "--header-timeout", "--body-timeout", "--max-connections", "--max-head-bytes"] {
            #expect(help.stdout.contains(option), "\(option) missing from --help")
        }
    }
}
