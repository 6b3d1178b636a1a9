import Foundation
import HTTP
import LocalStorageServer
import SigningCore
import TestSupport
import Testing

/// How `presign serve` starts: IPv6 URLs in brackets, and no public demo credentials on a
/// non-loopback address unless asked for (with a warning) or replaced by `--config`.
struct ServeStartupTests {
    static var hasIPv6Loopback: Bool {
        ((try? String(contentsOfFile: "/proc/net/if_inet6", encoding: .utf8)) ?? "").contains("00000000000000000000000000000001")
    }

    @Test(.enabled(if: hasIPv6Loopback, "needs an IPv6 loopback")) func ipv6URLsAreBracketed() async throws {
        let serve = try await ServeHarness { $0.host = "::1" }
        defer { Task { await serve.close() } }
        #expect(serve.server.baseURL == "http://[::1]:\(serve.server.port)")
        #expect(try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.s3("six.bin", method: .PUT), body: .bytes([6]))).status == 200)
    }

    /// Runs `presign serve ARGS` for at most `seconds`; returns its exit status (nil: still running) and stderr.
    static func start(_ arguments: [String], seconds: Double) async throws -> (status: Int32?, stderr: String, stdout: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("serve-start-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        return try await offThePool {
            let process = Process()
            process.executableURL = ProcessRunner.presignExecutable
            process.arguments = ["serve", "--root", root.path, "--port", "0"] + arguments
            let error = Pipe(), output = Pipe()
            process.standardError = error
            process.standardOutput = output
            try ChildProcesses.launch(process)
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            let running = process.isRunning
            ChildProcesses.stop(process)
            let text = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return (running ? nil : process.terminationStatus, text, printed)
        }
    }

    @Test func aPublicAddressWithTheDemoCredentialsIsRefused() async throws {
        let refused = try await Self.start(["--host", "0.0.0.0"], seconds: 15)
        #expect(refused.status.map { $0 != 0 } == true, "it must not start: \(refused.stderr)")
        #expect(refused.stderr.contains("--allow-public-demo-credentials") && refused.stderr.contains("--config"), "\(refused.stderr)")
        let accepted = try await Self.start(["--host", "0.0.0.0", "--allow-public-demo-credentials"], seconds: 3)
        #expect(accepted.status == nil, "it starts when asked to: \(accepted.stderr)")
        #expect(accepted.stderr.contains("WARNING") && accepted.stderr.contains(StorageServerConfiguration.Demo.s3AccessKeyID) == false, "\(accepted.stderr)")
    }

    @Test func aPublicAddressWithAConfigUsesOnlyItsCredentials() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("serve-public-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let config = root.appendingPathComponent("config.json")
        try Data(#"{"s3": {"credentials": [{"accessKeyId": "OWNKEY", "secretAccessKey": "own-secret-0123456789"}]}}"#.utf8).write(to: config)
        let serve = try await ServeProcess(root: root.appendingPathComponent("objects"), extra: ["--host", "0.0.0.0", "--config", config.path])
        defer { serve.stop() }
        let local = serve.baseURL.replacingOccurrences(of: "0.0.0.0", with: "127.0.0.1")
        let demo = try await HTTPClient().send(HTTPRequest(method: "PUT", url: try DemoSigner(baseURL: local).s3("x", method: .PUT), body: .bytes([1])))
        #expect(demo.status == 403 && ServeHarness.code(demo) == "InvalidAccessKeyId", "the demo key is not accepted on a public address: \(demo.status)")
    }
}
