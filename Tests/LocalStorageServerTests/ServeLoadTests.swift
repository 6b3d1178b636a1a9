import AWSSigV4
import Foundation
import HTTP
import LocalStorageServer
import SigningCore
import TestSupport
import Testing

/// Load: 1,000 requests, 32 at once, nothing lost and every object intact; and a 1 GiB upload
/// stream that the server stores in bounded memory.
struct ServeLoadTests {
    @Test func thousandRequestsThirtyTwoAtOnce() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let http = HTTPClient(maxConcurrentTransfers: 32)
        let objects = (0..<500).map { index -> (String, [UInt8]) in
            var generator = SeededGenerator(seed: UInt64(index))
            return ("load/\(index) obj.bin", (0..<(1000 + Int(generator.next() % 30_000))).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        }
        let uploaded = try await withThrowingTaskGroup(of: Int.self) { group in
            for (key, bytes) in objects {
                let url = try serve.s3(key, method: .PUT)
                group.addTask { try await http.send(HTTPRequest(method: "PUT", url: url, body: .bytes(bytes))).status }
            }
            return try await group.reduce(0) { $0 + ($1 == 200 ? 1 : 0) }
        }
        #expect(uploaded == 500)
        let intact = try await withThrowingTaskGroup(of: Bool.self) { group in
            for (key, bytes) in objects {
                let url = try serve.s3(key)
                let expected = SHA256.hash(bytes)
                group.addTask {
                    let response = try await http.send(HTTPRequest(url: url, maxResponseBytes: 1 << 20))
                    return response.status == 200 && SHA256.hash(response.body) == expected
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(intact == 500, "every object read back with its checksum")
    }

    /// The server runs as its own process so its peak memory can be read from /proc.
    @Test func gigabyteUploadInBoundedMemory() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("serve-big-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let serve = try await ServeProcess(root: root)
        defer { serve.stop() }
        let source = FileManager.default.temporaryDirectory.appendingPathComponent("gigabyte-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: source) }
        try await offThePool { try Self.writeFile(source, bytes: 1 << 30) }
        let credentials = try AWSCredentials(accessKeyID: ServeHarness.demo.s3AccessKeyID, secretAccessKey: ServeHarness.demo.s3SecretAccessKey)
        let presigner = try S3Presigner(credentials: credentials, region: "us-east-1", endpoint: try ServiceEndpoint(parsing: serve.baseURL))
        let url = try presigner.presign(bucket: "big", key: "one.gib", options: S3PresignOptions(method: .PUT), at: Timestamp(Date())).url
        let before = serve.peakMemoryKiB() ?? 0
        let response = try await HTTPClient().send(HTTPRequest(method: "PUT", url: url, body: .file(path: source.path), totalTimeout: 300))
        #expect(response.status == 200)
        let stored = try FileManager.default.contentsOfDirectory(at: root.appendingPathComponent("s3/big"), includingPropertiesForKeys: [.fileSizeKey])
            .compactMap { try $0.resourceValues(forKeys: [.fileSizeKey]).fileSize }.max()
        #expect(stored == 1 << 30)
        let peak = try #require(serve.peakMemoryKiB())
        #expect(peak < 256 * 1024, "peak resident memory \(peak / 1024) MiB (was \(before / 1024) MiB before the upload)")
    }

    static func writeFile(_ url: URL, bytes: Int) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var generator = SeededGenerator(seed: 42)
        let chunk = Data((0..<(1 << 20)).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        for _ in 0..<(bytes >> 20) { handle.write(chunk) }
    }
}
