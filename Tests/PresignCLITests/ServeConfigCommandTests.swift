import Foundation
import TestSupport
import Testing

/// `presign serve --config` refuses keys it does not know, and a busy port's message.
struct ServeConfigCommandTests {
    /// Writes `json` to a temporary config file and runs `presign serve --config` with it on a
    /// free port; only a refused config returns (a good one would serve forever).
    static func serve(config json: String) async throws -> ProcessResult {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("serve-config-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await Self.serveBriefly(["--config", file.path, "--port", "0"])
    }

    /// Runs `presign serve` with `arguments`, stopped after 60 s if it does start serving (status 124).
    static func serveBriefly(_ arguments: [String]) async throws -> ProcessResult {
        try await ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/timeout"),
                                    ["60", ProcessRunner.presignExecutable.path, "serve", "--root", FileManager.default.temporaryDirectory.path] + arguments,
                                    environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": "/nonexistent-presign-test-home"])
    }

    static let refused: [(json: String, path: String, expected: String)] = [
        (#"{"s3": {"credential": [{"accessKeyId": "K", "secretAccessKey": "S"}]}}"#, "s3.credential", #""credentials": [{"accessKeyId": STRING"#),
        (#"{"credentials": [{"accessKeyId": "K", "secretAccessKey": "S"}]}"#, "credentials", #""s3": {"region": STRING"#),
        (#"{"s3": {"credentials": [{"accessKeyID": "K", "secretAccessKey": "S"}]}}"#, "s3.credentials[0].accessKeyID", #"{"accessKeyId": STRING, "secretAccessKey": STRING}"#),
        (#"{"azure": {"accounts": {"name": "a", "key": "a2V5"}}}"#, "azure.accounts", #"[{"name": STRING, "key": STRING}, ...]"#),
        (#"{"gcs": {"hmacKeys": [{"accessId": "G", "secret": 7}]}}"#, "gcs.hmacKeys[0].secret", "string"),
    ]

    @Test(arguments: 0..<refused.count)
    func unknownOrMisplacedKeysAreRefused(index: Int) async throws {
        let (json, path, expected) = Self.refused[index]
        let result = try await Self.serve(config: json)
        #expect(result.status == 2 && result.stdout.isEmpty)
        #expect(result.stderr.contains(path) && result.stderr.contains(expected), "\(result.stderr)")
        #expect(!result.stderr.contains("\"S\""), "a value from the file was printed")
    }

    /// The example in `--help` is a config the server accepts (it gets past loading: here it then
    /// fails only because its port is taken), and the busy port's message has no nested parentheses.
    @Test func helpExampleLoadsAndBusyPortMessage() async throws {
        let help = try await ProcessRunner.presign(["serve", "--help"])
        let text = help.stdout
        let start = try #require(text.range(of: "\n  {\n")), end = try #require(text.range(of: "\n  }\n", range: start.upperBound..<text.endIndex))
        let example = String(text[start.lowerBound..<end.upperBound])
        #expect(example.contains("\"accessKeyId\""))
        let busy = try LocalListener { _ in .init(status: 200, body: "") }
        defer { busy.stop() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("serve-example-\(UUID().uuidString).json")
        try Data(example.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await Self.serveBriefly(["--config", file.path, "--port", String(busy.port)])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("Cannot listen on 127.0.0.1:\(busy.port): "), "\(result.stderr)")
        #expect(!result.stderr.contains("((") && !result.stderr.contains("))") && !result.stderr.contains("errno"), "\(result.stderr)")
    }
}
