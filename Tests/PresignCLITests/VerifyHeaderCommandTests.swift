import Foundation
import TestSupport
import Testing

/// `verify --header` from the command line, on the README's own output URL (signed with
/// `--content-type image/jpeg`) against JuiceFS, which judges signatures before `100 Continue`.
@Suite(.enabled(if: S3Servers.available, Comment(rawValue: S3Servers.missingMessage)))
struct VerifyHeaderCommandTests {
    @Test func theSignedHeaderIsSentWhenGivenAndNamedWhenNot() async throws {
        let server = try #require(S3Servers.all.first { $0.name == "juicefs" })
        // Signed directly (stderr may name the header the client must send).
        let signed = try await ProcessRunner.presign(
            ["s3", "s3://\(S3Servers.bucket)/\(S3Servers.runPrefix)/verify-header/out.jpg", "--endpoint", server.endpoint, "--region", S3Servers.region,
             "--method", "PUT", "--content-type", "image/jpeg"],
            environment: ["AWS_ACCESS_KEY_ID": S3Servers.accessKey, "AWS_SECRET_ACCESS_KEY": S3Servers.secretKey])
        #expect(signed.status == 0, "\(signed.stderr)")
        let url = signed.stdout.trimmingCharacters(in: .newlines)
        let without = try await ProcessRunner.presign(["verify", "--output", url])
        #expect(without.status == 1, "\(without.stdout)")
        #expect(without.stdout.contains("fix: The URL signs the header content-type") && without.stdout.contains("--header 'content-type: VALUE'"), "\(without.stdout)")
        #expect(!without.stdout.contains("Sign it again for PUT"), "\(without.stdout)")
        let with = try await ProcessRunner.presign(["verify", "--output", url, "--header", "Content-Type: image/jpeg"])
        #expect(with.status == 0 && with.stdout.hasPrefix("ok           output"), "\(with.stdout)\(with.stderr)")
        let bad = try await ProcessRunner.presign(["verify", "--output", url, "--header", "no colon"])
        #expect(bad.status == 2 && bad.stderr.contains("'Name: value'"), "\(bad.stderr)")
    }
}
