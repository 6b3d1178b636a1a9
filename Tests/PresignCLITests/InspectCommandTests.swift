import Foundation
import TestSupport
import Testing

/// `presign inspect` as users run it: exit 0 without problems, 1 with, 2 for bad flags; JSON
/// with the contract fields; the URL from stdin; no signature echoed.
struct InspectCommandTests {
    static let good = "https://photos.s3.us-east-1.amazonaws.com/in/cat.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T115500Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=0123456789abcdef"

    @Test func goodURLExitsZero() async throws {
        let result = try await ProcessRunner.presign(["inspect", Self.good, "--at", "2026-01-01T12:00:00Z"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("provider:       s3 (SigV4 presigned URL)") && result.stdout.contains("problems:       none"))
        #expect(!result.stdout.contains("0123456789abcdef"), "the signature is not echoed")
    }

    @Test func problemsExitOneAndJSONHasTheContractFields() async throws {
        let result = try await ProcessRunner.presign(["inspect", Self.good, "--at", "2026-01-02T12:00:00Z", "--json"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["provider"] as? String == "s3")
        #expect(object.keys.contains("method") && object["method"] is NSNull)
        #expect(object["expiresAt"] as? String == "2026-01-01T12:55:00Z")
        #expect((object["problems"] as? [String])?.first?.contains("expired") == true)
        #expect(object["warnings"] is [String])
    }

    @Test func readsTheURLFromStdin() async throws {
        let result = try await ProcessRunner.presign(["inspect", "-", "--at", "2026-01-01T12:00:00Z", "--role", "output"], stdin: Self.good + "\n")
        #expect(result.status == 0 && result.stdout.contains("role:           output"))
    }

    @Test(arguments: [["inspect"], ["inspect", Self.good, "--role", "sideways"], ["inspect", Self.good, "--min-lifetime", "soon"], ["inspect", "-"]])
    func usageErrors(_ arguments: [String]) async throws {
        let result = try await ProcessRunner.presign(arguments, stdin: "")
        #expect(result.status == 2 && result.stdout.isEmpty && result.stderr.hasPrefix("Error: "), "\(result.stderr)")
    }
}
