import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HTTP
import LocalStorageServer
import SigningCore
import TestSupport
import Testing

/// Write failures are answers: a file-size limit (what a full disk looks like to the server)
/// gives 507 in the provider's shape, a failed commit or folder gives 500 without the storage
/// path, no `.upload-*` file stays, and the server keeps serving.
struct ServeWriteFaultTests {
    static let blobType = [(name: "x-ms-blob-type", value: "BlockBlob")]

    /// Every `.upload-*` file left under `root`.
    static func leftovers(_ root: URL) -> [String] {
        let all = FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []
        return all.filter { ($0 as NSString).lastPathComponent.hasPrefix(".upload-") }
    }

    @Test func aFileSizeLimitGives507AndTheServerKeepsServing() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("serve-fsize-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        // 512 blocks: 256 KiB (dash) or 512 KiB (bash); the large bodies are 4 MiB either way.
        let serve = try await ServeProcess(root: root, shellLimits: "ulimit -f 512")
        defer { serve.stop() }
        try await Self.expect507(serve, root: root, large: 4 << 20)
    }

    /// For each provider: a `large` PUT gets 507 with no temporary file left, the server keeps
    /// running, and a small PUT then succeeds and reads back.
    static func expect507(_ serve: ServeProcess, root: URL, large: Int) async throws {
        let sign = DemoSigner(baseURL: serve.baseURL)
        let http = HTTPClient()
        let body = [UInt8](repeating: 7, count: large), small = [UInt8](repeating: 9, count: 10_000)
        let cases: [(String, String, String, [(name: String, value: String)], Int)] = [
            ("s3", try sign.s3("big.bin", method: .PUT), try sign.s3("small.bin", method: .PUT), [], 200),
            ("azure", try sign.azure("big.bin", permissions: "cw"), try sign.azure("small.bin", permissions: "cw"), Self.blobType, 201),
            ("gcs", try sign.gcs("big.bin", method: "PUT"), try sign.gcs("small.bin", method: "PUT"), [], 200),
        ]
        for (name, bigURL, smallURL, headers, created) in cases {
            let refused = try? await http.send(HTTPRequest(method: "PUT", url: bigURL, headers: headers, body: .bytes(body)))
            #expect(refused?.status == 507 && refused.map(ServeHarness.code) == "InsufficientStorage", "\(name): \(refused?.text ?? "no answer")")
            if name == "azure" { #expect(refused?.header("x-ms-error-code") == "InsufficientStorage") }
            #expect(Self.leftovers(root).isEmpty, "\(name): temporary files left: \(Self.leftovers(root))")
            #expect(serve.process.isRunning, "\(name): the server must survive a write error")
            let stored = try? await http.send(HTTPRequest(method: "PUT", url: smallURL, headers: headers, body: .bytes(small)))
            #expect(stored?.status == created, "\(name): a small object still fits")
        }
        let read = try? await http.send(HTTPRequest(url: try sign.s3("small.bin")))
        #expect(read?.status == 200 && read?.body == small)
    }

    /// Whether this process may mount a tmpfs (root in a container that allows it).
    static let canMountTmpfs: Bool = {
        guard getuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("tmpfs-probe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: probe) }
        guard (try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)) != nil, run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.path]) else { return false }
        return run("/bin/umount", [probe.path])
    }()

    static func run(_ tool: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// A full disk (a 2 MiB tmpfs): 507 for each provider, the space given back, the server serving.
    @Test(.enabled(if: canMountTmpfs, "needs root and tmpfs mounts")) func aFullDiskGives507() async throws {
        let mount = FileManager.default.temporaryDirectory.appendingPathComponent("serve-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        #expect(Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.path]))
        defer {
            _ = Self.run("/bin/umount", [mount.path])
            try? FileManager.default.removeItem(at: mount)
        }
        let serve = try await ServeProcess(root: mount)
        defer { serve.stop() }
        try await Self.expect507(serve, root: mount, large: 3 << 20)
    }

    @Test func aFolderThatCannotBeMadeGives500WithoutTheStoragePath() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        try FileManager.default.createDirectory(at: serve.root.appendingPathComponent("s3"), withIntermediateDirectories: true)
        // The bucket's folder is taken by a file, so no temporary file can be made in it.
        FileManager.default.createFile(atPath: serve.root.appendingPathComponent("s3/photos").path, contents: Data([1]))
        let response = try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.s3("x.bin", method: .PUT), body: .bytes([1, 2, 3])))
        #expect(response.status == 500 && ServeHarness.code(response) == "InternalError", "\(response.text)")
        #expect(!response.text.contains(serve.root.path) && !response.text.contains("/tmp"), "the body must not show where objects are kept: \(response.text)")
    }

    @Test func aFailedCommitRemovesItsTemporaryFile() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        // A non-empty folder where the object's file belongs: the final rename cannot replace it.
        let file = ObjectStore(root: serve.root).file(provider: "s3", namespace: "photos", key: "taken.bin")
        try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: file.appendingPathComponent("inside").path, contents: Data([1]))
        let response = try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.s3("taken.bin", method: .PUT), body: .bytes([1, 2, 3])))
        #expect(response.status == 500 && ServeHarness.code(response) == "InternalError", "\(response.text)")
        #expect(!response.text.contains(serve.root.path))
        #expect(Self.leftovers(serve.root).isEmpty, "temporary files left: \(Self.leftovers(serve.root))")
        #expect(try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.s3("other.bin", method: .PUT), body: .bytes([1]))).status == 200)
    }
}
