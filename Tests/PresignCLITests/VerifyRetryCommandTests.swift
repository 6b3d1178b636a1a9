import Foundation
import TestSupport
import Testing

/// `presign verify`'s retries as users see them: every retry reported on stderr, and none made
/// where a retry cannot help (a host that does not resolve, a refused port).
struct VerifyRetryCommandTests {
    /// The stderr lines that report retries.
    static func retryLines(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("retrying in ") }
    }

    /// With the default back-off (1 s, doubling), three retries would take at least 3.5 s.
    @Test(arguments: ["http://127.0.0.1:1/in.jpg", "http://presign-no-such-host.invalid/in.jpg"])
    func whatARetryCannotMendIsTriedOnce(_ url: String) async throws {
        let started = Date()
        let result = try await ProcessRunner.presign(["verify", "--input", url])
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("FAILED") && (result.stdout.contains("connect") || result.stdout.contains("resolved")), "\(result.stdout)")
        #expect(Self.retryLines(result.stderr).isEmpty, "\(result.stderr)")
        #expect(elapsed < 3.5, "took \(elapsed) s")
    }
}

/// Against the fault server: each retry is one stderr line, with the wait, the status and the
/// count, and the server saw exactly that many attempts.
@Suite(.enabled(if: VerifyServers.available, Comment(rawValue: "HTTP test servers not running: run scripts/test.sh")))
struct VerifyRetryReportTests {
    @Test func everyRetryIsReportedOnStderr() async throws {
        let id = "verify-report-\(UUID().uuidString.prefix(8).lowercased())"
        let result = try await ProcessRunner.presign(["verify", "--backoff", "100ms", "--input", "\(VerifyServers.fault)/flaky/\(id)?fail=2&status=503"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = VerifyRetryCommandTests.retryLines(result.stderr)
        #expect(lines.count == 2, "\(result.stderr)")
        for (index, line) in lines.enumerated() {
            // 100 ms × 2^n × [0.5, 1]: 0.05–0.1 s, then 0.1–0.2 s, shown to a tenth of a second.
            let shown = line.dropFirst("retrying in ".count).prefix { $0 != " " }
            let seconds = try #require(Double(shown), "\(line)")
            #expect(seconds >= 0.05 * Double(1 << index) - 0.05 && seconds <= 0.1 * Double(1 << index) + 0.05, "\(line)")
            #expect(line.contains(" s after 503 (\(index + 1)/3): ") && line.contains("/flaky/\(id)"), "\(line)")
        }
        let attempts = try await ProcessRunner.tool("curl", ["-s", "\(VerifyServers.fault)/attempts/\(id)"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(attempts.stdout.utf8)) as? [String: Any])
        #expect(object["count"] as? Int == 3)
    }

    @Test func noRetryNoReport() async throws {
        let id = "verify-report-\(UUID().uuidString.prefix(8).lowercased())"
        let result = try await ProcessRunner.presign(["verify", "--backoff", "20ms", "--input", "\(VerifyServers.fault)/flaky/\(id)?fail=0&status=503"])
        #expect(result.status == 0 && VerifyRetryCommandTests.retryLines(result.stderr).isEmpty, "\(result.stderr)")
    }
}
