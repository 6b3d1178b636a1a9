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

    /// A URL dated 9999-12-31 whose lifetime passes the year 9999: a problem, and only valid
    /// RFC 3339 times (four-digit years) in either form.
    @Test func expiryBeyondYear9999IsAProblemNotAFiveDigitYear() async throws {
        let url = Self.good.replacingOccurrences(of: "20260101T115500Z", with: "99991231T235500Z").replacingOccurrences(of: "20260101", with: "99991231")
        let json = try await ProcessRunner.presign(["inspect", url, "--json", "--at", "2026-01-01T12:00:00Z"])
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stdout)\(json.stderr)")
        #expect((object["problems"] as? [String])?.contains { $0.contains("beyond the year 9999") } == true, "\(json.stdout)")
        for field in ["issuedAt", "expiresAt"] {
            let value = object[field] as? String
            #expect(value.map { $0.range(of: #"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"#, options: .regularExpression) != nil } ?? true, "\(field): \(value ?? "")")
        }
        let human = try await ProcessRunner.presign(["inspect", url, "--at", "2026-01-01T12:00:00Z"])
        #expect(human.status == 1 && human.stdout.contains("beyond the year 9999") && !human.stdout.contains("10000-"), "\(human.stdout)")
    }
}
