import Foundation
import TestSupport
import Testing

/// `presign s3` as a user runs it: outputs, the exit-code contract, and bad input.
struct S3CommandTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let token = "FwoGZXIvYXdzEXAMPLETOKEN+/="
    static let env = ["AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": secret]

    /// The S3 documentation's presign example, through the command line (path style on the
    /// global host is what the documentation signs, so the endpoint is given explicitly).
    @Test func documentationExampleThroughTheCLI() async throws {
        let result = try await ProcessRunner.presign(
            ["s3", "s3://examplebucket/test.txt", "--endpoint", "https://s3.amazonaws.com", "--virtual-host",
             "--expires", "86400", "--at", "20130524T000000Z", "--region", "us-east-1"], environment: Self.env)
        #expect(result.status == 0)
        #expect(result.stdout == "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404\n")
    }

    @Test func jsonHasTheContractFields() async throws {
        let result = try await ProcessRunner.presign(
            ["s3", "s3://bucket-1/out/cat.jpg", "--method", "PUT", "--content-type", "image/jpeg", "--json",
             "--at", "2024-02-29T23:30:00Z", "--expires", "1h"], environment: Self.env)
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["provider"] as? String == "s3")
        #expect(object["method"] as? String == "PUT")
        #expect(object["headers"] as? [String: String] == ["content-type": "image/jpeg"])
        #expect(object["expiresAt"] as? String == "2024-03-01T00:30:00Z")
        #expect((object["url"] as? String)?.hasPrefix("https://bucket-1.s3.us-east-1.amazonaws.com/out/cat.jpg?") == true)
    }

    @Test func curlOutputUploadsWithTheSignedHeaders() async throws {
        let result = try await ProcessRunner.presign(
            ["s3", "s3://bucket-1/out/my cat.jpg", "--method", "PUT", "--content-type", "image/jpeg", "--curl"], environment: Self.env)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("curl --fail-with-body --upload-file 'my cat.jpg' -H 'content-type: image/jpeg' 'https://bucket-1.s3.us-east-1.amazonaws.com/out/my%20cat.jpg?"))
    }

    @Test func sessionTokenIsSignedAndNoted() async throws {
        var env = Self.env
        env["AWS_SESSION_TOKEN"] = Self.token
        let result = try await ProcessRunner.presign(["s3", "s3://bucket-1/k"], environment: env)
        #expect(result.status == 0)
        #expect(result.stdout.contains("X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLETOKEN%2B%2F%3D&"))
        #expect(result.stderr.contains("temporary credentials"))
        #expect(!result.stderr.contains(Self.token))
    }

    @Test func batchKeepsOrderAndReportsBadLines() async throws {
        let keys = "a.jpg\n\nb c.jpg\r\n" + String(repeating: "k", count: 1025) + "\nlast"
        let result = try await ProcessRunner.presign(
            ["s3", "s3://bucket-1/in/", "--keys-from", "-", "--at", "2026-01-01T00:00:00Z"], environment: Self.env, stdin: keys)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 6)
        #expect(lines[0].hasPrefix("https://bucket-1.s3.us-east-1.amazonaws.com/in/a.jpg?"))
        #expect(lines[1].isEmpty && lines[3].isEmpty && lines[5].isEmpty)
        #expect(lines[2].hasPrefix("https://bucket-1.s3.us-east-1.amazonaws.com/in/b%20c.jpg?"))
        #expect(lines[4].hasPrefix("https://bucket-1.s3.us-east-1.amazonaws.com/in/last?"))
        #expect(result.stderr.contains("line 2: The object key is empty"))
        #expect(result.stderr.contains("line 4: The object key is 1028 bytes long"))
        // Each batch URL equals the single-key URL for the same key and time.
        let single = try await ProcessRunner.presign(["s3", "s3://bucket-1/in/b c.jpg", "--at", "2026-01-01T00:00:00Z"], environment: Self.env)
        #expect(single.stdout == lines[2] + "\n")
    }

    @Test func batchJSONNamesTheBadLine() async throws {
        let result = try await ProcessRunner.presign(
            ["s3", "s3://bucket-1/", "--keys-from", "-", "--json"], environment: Self.env, stdin: "ok.jpg\n\n")
        let lines = result.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 2)
        #expect(lines[0]?["key"] as? String == "ok.jpg")
        #expect(lines[1]?["line"] as? Int == 2)
        #expect(lines[1]?["error"] is String)
    }

    static let badInvocations: [[String]] = [
        ["s3", "s3://bucket-1/k", "--expires", "8d"],
        ["s3", "s3://bucket-1/k", "--expires", "604801"],
        ["s3", "s3://bucket-1/k", "--expires=-5m"],
        ["s3", "s3://bucket-1/k", "--expires", "0"],
        ["s3", "s3://bucket-1/k", "--expires", "1500ms"],
        ["s3", "s3://bucket-1/k", "--expires", "soon"],
        ["s3", "s3://bucket-1/k", "--method", "POST"],
        ["s3", "s3://bucket-1/k", "--region", "Mars 1"],
        ["s3", "s3://bucket-1/k", "--endpoint", "ftp://host"],
        ["s3", "s3://bucket-1/k", "--endpoint", "http://host:99999"],
        ["s3", "s3://bucket-1/k", "--endpoint", "http://host/path"],
        ["s3", "s3://bucket-1/k", "--path-style", "--virtual-host"],
        ["s3", "s3://my.bucket/k", "--virtual-host"],
        ["s3", "s3://Bad_Bucket/k", "--virtual-host"],
        ["s3", "s3://b/k"],
        ["s3", "s3://bucket-1/"],
        ["s3", "s3://bucket-1"],
        ["s3", "https://bucket-1/k"],
        ["s3", "s3://bucket-1/" + String(repeating: "x", count: 1025)],
        ["s3", "s3://bucket-1/k", "--header", "no colon"],
        ["s3", "s3://bucket-1/k", "--header", "bad name: v"],
        ["s3", "s3://bucket-1/k", "--header", "Host: evil"],
        ["s3", "s3://bucket-1/k", "--query", "novalue"],
        ["s3", "s3://bucket-1/k", "--query", "X-Amz-Signature=x"],
        ["s3", "s3://bucket-1/k", "--query", "=v"],
        ["s3", "s3://bucket-1/k", "--at", "yesterday"],
        ["s3", "s3://bucket-1/k", "--at", "2024-02-30T00:00:00Z"],
        ["s3", "s3://bucket-1/k", "--json", "--curl"],
        ["s3", "s3://bucket-1/", "--keys-from", "/nonexistent/keys.txt"],
        ["s3", "s3://bucket-1/k", "--no-such-flag"],
        ["s3"],
    ]

    @Test(arguments: badInvocations)
    func badInputIsAUsageError(_ arguments: [String]) async throws {
        let result = try await ProcessRunner.presign(arguments, environment: Self.env)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("Error: "))
        #expect(!result.stderr.contains(Self.secret))
    }

    static let credentialProblems: [([String: String], String)] = [
        ([:], "No AWS credentials found"),
        (["AWS_ACCESS_KEY_ID": "AKIAEXAMPLE"], "AWS_SECRET_ACCESS_KEY is not"),
        (["AWS_SECRET_ACCESS_KEY": secret], "AWS_ACCESS_KEY_ID is not"),
        (["AWS_ACCESS_KEY_ID": "AKIA EXAMPLE", "AWS_SECRET_ACCESS_KEY": secret], "malformed"),
        (["AWS_PROFILE": "nope"], "profile 'nope'"),
    ]

    @Test(arguments: credentialProblems)
    func missingOrMalformedCredentialsAreUsageErrors(_ env: [String: String], _ expected: String) async throws {
        let result = try await ProcessRunner.presign(["s3", "s3://bucket-1/k"], environment: env)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(expected), "stderr: \(result.stderr)")
        #expect(!result.stderr.contains(Self.secret))
    }

    @Test func helpNamesEveryContractFlag() async throws {
        let result = try await ProcessRunner.presign(["s3", "--help"])
        #expect(result.status == 0)
        for flag in ["--method", "--expires", "--region", "--endpoint", "--path-style", "--virtual-host", "--content-type",
                     "--header", "--query", "--profile", "--keys-from", "--json", "--curl", "--at"] {
            #expect(result.stdout.contains(flag), "help lacks \(flag)")
        }
    }
}
