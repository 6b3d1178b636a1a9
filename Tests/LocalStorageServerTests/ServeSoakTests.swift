import Foundation
import HTTP
import LocalStorageServer
import SigningCore
import Synchronization
import TestSupport
import Testing

/// Soak: mixed requests (GET, ranged GET, PUT of 0 B to 8 MiB, HEAD, DELETE, tampered and
/// expired URLs, uploads abandoned midway) from 64 concurrent clients against a child
/// `presign serve`; then every object is checked by hash, descriptors are counted and peak memory
/// read from /proc. `PRESIGN_SOAK_REQUESTS` sets the size (2,000 by default; 20,000 for the full run).
struct ServeSoakTests {
    static let requestCount = Int(ProcessInfo.processInfo.environment["PRESIGN_SOAK_REQUESTS"] ?? "") ?? 2000
    static let clients = 64
    static let keysPerClient = 8
    /// Object contents are slices of this pool, so the expected bytes of a key are (offset, size).
    static let pool: [UInt8] = {
        var generator = SeededGenerator(seed: 7)
        return (0..<((8 << 20) / 8)).flatMap { _ in withUnsafeBytes(of: generator.next()) { Array($0) } }
    }()

    struct Stored: Equatable { let offset: Int, size: Int }

    /// Outcome counts by request kind, and unexpected answers by kind and detail.
    final class Tally: Sendable {
        let counts = Mutex<[String: Int]>([:])
        let errors = Mutex<[String: Int]>([:])

        func record(_ kind: String, _ ok: Bool, _ detail: @autoclosure () -> String) {
            counts.withLock { $0[kind, default: 0] += 1 }
            if !ok {
                let key = "\(kind): \(detail())"
                errors.withLock { $0[key, default: 0] += 1 }
            }
        }
    }

    /// A size from 0 B to 8 MiB, mostly small: 60% under 4 KiB, 27% under 64 KiB, 12% under 1 MiB, 1% up to 8 MiB.
    static func size(_ generator: inout SeededGenerator) -> Int {
        let roll = generator.next() % 100
        let ceiling = roll < 60 ? 4 << 10 : roll < 87 ? 64 << 10 : roll < 99 ? 1 << 20 : 8 << 20
        return Int(generator.next() % UInt64(ceiling + 1))
    }

    @Test func mixedRequestsFromSixtyFourClients() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("serve-soak-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let serve = try await ServeProcess(root: root, extra: ["--idle-timeout", "2", "--body-timeout", "5"])
        defer { serve.stop() }
        _ = Self.pool
        try await Task.sleep(nanoseconds: 300_000_000)
        let descriptorsBefore = try #require(serve.openDescriptors())
        let sign = DemoSigner(baseURL: serve.baseURL)
        let http = HTTPClient(maxConcurrentTransfers: Self.clients)
        let tally = Tally()
        let started = Date()
        let models = try await withThrowingTaskGroup(of: [String: Stored].self) { group in
            for client in 0..<Self.clients {
                let share = Self.requestCount / Self.clients + (client < Self.requestCount % Self.clients ? 1 : 0)
                group.addTask { try await SoakClient(index: client, sign: sign, http: http, tally: tally).run(requests: share) }
            }
            return try await group.reduce(into: [String: Stored]()) { $0.merge($1) { first, _ in first } }
        }
        let wall = Date().timeIntervalSince(started)
        // Every stored object, read back and hashed; and nothing half-written left on disk.
        var intact = 0
        for (name, stored) in models {
            let client = SoakClient.parse(name)
            let response = try await http.send(HTTPRequest(url: try client.url(sign, "GET"), maxResponseBytes: 9 << 20))
            let expected = SHA256.hash(Array(Self.pool[stored.offset..<(stored.offset + stored.size)]))
            if response.status == 200 && SHA256.hash(response.body) == expected { intact += 1 }
        }
        #expect(intact == models.count, "\(models.count - intact) of \(models.count) objects differ from what was last stored")
        #expect(ServeWriteFaultTests.leftovers(root).isEmpty, "temporary files left: \(ServeWriteFaultTests.leftovers(root).count)")
        // Keep-alive connections close after the idle timeout; then the descriptors are back to where they were.
        try await Task.sleep(nanoseconds: 4_000_000_000)
        let descriptorsAfter = try #require(serve.openDescriptors())
        let peak = try #require(serve.peakMemoryKiB())
        let counts = tally.counts.withLock { $0 }, errors = tally.errors.withLock { $0 }
        print("""
            soak: \(counts.values.reduce(0, +)) requests from \(Self.clients) clients in \(String(format: "%.1f", wall)) s \
            (\(String(format: "%.0f", Double(counts.values.reduce(0, +)) / wall)) requests/s); by kind \(counts.sorted { $0.key < $1.key }); \
            unexpected \(errors.isEmpty ? "none" : "\(errors)"); \(intact)/\(models.count) objects intact; \
            descriptors \(descriptorsBefore) before, \(descriptorsAfter) after; peak RSS \(peak / 1024) MiB
            """)
        #expect(errors.isEmpty, "unexpected answers: \(errors)")
        #expect(descriptorsAfter <= descriptorsBefore, "descriptors: \(descriptorsBefore) before, \(descriptorsAfter) after")
        #expect(peak < 300 * 1024, "peak resident memory \(peak / 1024) MiB")
        #expect(serve.process.isRunning)
    }
}
