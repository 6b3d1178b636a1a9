import Foundation
import TestSupport
import Testing

/// Every example in the `--help` of the offline signing commands runs as printed (with test
/// credentials in the environment) and exits 0: a help example that fails is a bug.
struct HelpExamplesTests {
    static let commands = ["s3", "azure", "azure-account", "gcs"]

    /// The example lines of `presign COMMAND --help` (optionally after `NAME=value` assignments),
    /// unwrapped (a wide COLUMNS keeps each on one line).
    static func examples(_ command: String) async throws -> [String] {
        let help = try await ProcessRunner.presign([command, "--help"], environment: ["COLUMNS": "1000"])
        return help.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.range(of: "^([A-Z_]+=[^ ]+ +)*presign \(command) ", options: .regularExpression) != nil }
    }

    @Test(arguments: commands)
    func examplesRunAsPrinted(_ command: String) async throws {
        let examples = try await Self.examples(command)
        #expect(!examples.isEmpty, "presign \(command) --help shows no example")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("help-examples-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "in/a.jpg\nin/b.jpg\n".write(to: folder.appendingPathComponent("keys.txt"), atomically: true, encoding: .utf8)
        let binDirectory = ProcessRunner.presignExecutable.deletingLastPathComponent().path
        let environment = [
            "PATH": "\(binDirectory):/usr/bin:/bin", "HOME": folder.path,
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "AZURE_STORAGE_ACCOUNT": "myaccount", "AZURE_STORAGE_KEY": "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
            "GOOGLE_APPLICATION_CREDENTIALS": TestPaths.fixture("gcs-v4/test_service_account.not-a-test.json").path,
        ]
        for example in examples {
            let result = try await ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "cd \"$0\" && \(example)", folder.path], environment: environment)
            #expect(result.status == 0, "\(example): \(result.stderr)")
        }
    }
}
