import Foundation
import TestSupport
import Testing

/// `presign demo` end to end, and `presign serve`'s usage errors.
struct ServeAndDemoCommandTests {
    @Test func demoRunsEveryProviderAndExitsZero() async throws {
        let result = try await ProcessRunner.presign(["demo"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        for provider in ["== S3", "== Azure Blob", "== Google Cloud Storage"] { #expect(result.stdout.contains(provider)) }
        #expect(result.stdout.components(separatedBy: "  ok   ").count - 1 == 18)
        #expect(result.stdout.components(separatedBy: "presign verify --output: ok, HTTP 100, nothing written").count - 1 == 3)
        #expect(!result.stdout.contains("FAIL"))
        #expect(result.stdout.contains("Signature=REDACTED") && result.stdout.contains("sig=REDACTED"))
    }

    static let usageErrors: [[String]] = [
        ["serve", "--port", "70000"], ["serve", "--no-demo-credentials"], ["serve", "--config", "/nonexistent.json", "--port", "0"],
        ["serve", "--at", "yesterday", "--port", "0"],
    ]

    @Test(arguments: usageErrors)
    func badServeFlags(_ arguments: [String]) async throws {
        let result = try await ProcessRunner.presign(arguments)
        #expect(result.status == 2 && result.stdout.isEmpty && result.stderr.hasPrefix("Error: "), "\(result.stderr)")
    }
}
