import Foundation
import TestSupport
import Testing

/// Provider HTTPS URLs as signing targets, and the smaller fixes of issue 16 (IP endpoints with
/// `--virtual-host`, batch warnings, `--keys-from` with `--curl`).
struct SigningTargetTests {
    static let awsEnv = CurlOutputTests.awsEnv
    static let at = "2026-01-01T00:00:00Z"

    /// An AWS HTTPS URL signs the same object as its `s3://` form, in the host's region.
    @Test(arguments: [
        ("https://photos.s3.eu-west-3.amazonaws.com/in/cat%20one.jpg", "s3://photos/in/cat one.jpg", "eu-west-3"),
        ("https://s3.eu-west-3.amazonaws.com/photos/in/cat.jpg", "s3://photos/in/cat.jpg", "eu-west-3"),
        ("https://photos.s3.amazonaws.com/in/cat.jpg", "s3://photos/in/cat.jpg", "us-east-1"),
        ("https://photos.s3.cn-north-1.amazonaws.com.cn/in/cat.jpg", "s3://photos/in/cat.jpg", "cn-north-1"),
    ])
    func s3HTTPSURLs(url: String, same: String, region: String) async throws {
        let fromURL = try await ProcessRunner.presign(["s3", url, "--at", Self.at], environment: Self.awsEnv)
        #expect(fromURL.status == 0, "\(fromURL.stderr)")
        let fromS3 = try await ProcessRunner.presign(["s3", same, "--region", region, "--at", Self.at], environment: Self.awsEnv)
        #expect(fromURL.stdout == fromS3.stdout && !fromURL.stdout.isEmpty)
        #expect(fromURL.stdout.contains("%2F\(region)%2Fs3%2Faws4_request"), "\(fromURL.stdout)")
    }

    /// A `--region` that disagrees with the host is an error naming both; an agreeing one is fine.
    @Test func conflictingRegionIsAnError() async throws {
        let url = "https://photos.s3.eu-west-3.amazonaws.com/in/cat.jpg"
        let conflict = try await ProcessRunner.presign(["s3", url, "--region", "us-west-2"], environment: Self.awsEnv)
        #expect(conflict.status == 2 && conflict.stdout.isEmpty)
        #expect(conflict.stderr.contains("us-west-2") && conflict.stderr.contains("eu-west-3"), "\(conflict.stderr)")
        let agreeing = try await ProcessRunner.presign(["s3", url, "--region", "eu-west-3"], environment: Self.awsEnv)
        #expect(agreeing.status == 0, "\(agreeing.stderr)")
        let other = try await ProcessRunner.presign(["s3", "https://example.com/photos/k"], environment: Self.awsEnv)
        #expect(other.status == 2 && other.stderr.contains("s3://BUCKET/KEY"), "\(other.stderr)")
    }

    /// Google's HTTPS URLs sign the same object as the `gs://` form.
    @Test(arguments: [
        ("https://storage.googleapis.com/photos/in/cat%20one.jpg", "gs://photos/in/cat one.jpg"),
        ("https://photos.storage.googleapis.com/in/cat.jpg", "gs://photos/in/cat.jpg"),
    ])
    func gcsHTTPSURLs(url: String, same: String) async throws {
        let flags = ["--hmac-access-id", "GOOG1EXAMPLE", "--at", Self.at]
        let fromURL = try await ProcessRunner.presign(["gcs", url] + flags, environment: CurlOutputTests.gcsEnv)
        #expect(fromURL.status == 0, "\(fromURL.stderr)")
        let fromGS = try await ProcessRunner.presign(["gcs", same] + flags, environment: CurlOutputTests.gcsEnv)
        #expect(fromURL.stdout == fromGS.stdout && !fromURL.stdout.isEmpty)
        let other = try await ProcessRunner.presign(["gcs", "https://example.com/photos/k"] + flags, environment: CurlOutputTests.gcsEnv)
        #expect(other.status == 2 && other.stderr.contains("gs://BUCKET/OBJECT"), "\(other.stderr)")
    }

    /// `--virtual-host` on an IP endpoint never makes `bucket.127.0.0.1`.
    @Test func virtualHostOnAnIPIsAnError() async throws {
        let result = try await ProcessRunner.presign(["s3", "s3://photos/k.jpg", "--endpoint", "http://127.0.0.1:9000", "--virtual-host"], environment: Self.awsEnv)
        #expect(result.status == 2 && result.stdout.isEmpty)
        #expect(result.stderr.contains("IP address") && !result.stderr.contains("photos.127.0.0.1:"), "\(result.stderr)")
    }

    /// `--keys-from` with `--curl` is refused rather than ignored.
    @Test func keysFromWithCurlIsAnError() async throws {
        let result = try await ProcessRunner.presign(["s3", "s3://photos/", "--keys-from", "-", "--curl"], environment: Self.awsEnv, stdin: "a.jpg\n")
        #expect(result.status == 2 && result.stdout.isEmpty)
        #expect(result.stderr.contains("--keys-from"), "\(result.stderr)")
    }

    /// Batch lines with `./` or `../` segments get the single-key warning, with their line number.
    @Test func batchDotSegmentsAreWarnedPerLine() async throws {
        let result = try await ProcessRunner.presign(["s3", "s3://photos/in/", "--keys-from", "-", "--at", Self.at], environment: Self.awsEnv,
                                                     stdin: "a.jpg\n../b.jpg\nc/./d.jpg\n.hidden\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 4)
        let warned = result.stderr.split(separator: "\n").filter { $0.contains("'./' or '../' segments") }.map { $0.prefix { $0 != ":" } }
        #expect(warned == ["line 2", "line 3"], "\(result.stderr)")
    }

    /// A plain batch names the headers every URL needs once on stderr; stdout stays URLs only.
    @Test func batchNamesRequiredHeadersOnce() async throws {
        let result = try await ProcessRunner.presign(["s3", "s3://photos/out/", "--keys-from", "-", "--method", "PUT", "--content-type", "image/jpeg"],
                                                     environment: Self.awsEnv, stdin: "a.jpg\nb.jpg\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "send header: content-type: image/jpeg\n")
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("https://") })
    }

    /// `inspect` names Azure permissions in words.
    @Test func inspectShowsAzurePermissionWords() async throws {
        let made = try await ProcessRunner.presign(["azure", "az://devstoreaccount1/lightroom/x.jpg", "--permissions", "rcw", "--at", Self.at],
                                                   environment: CommandLineConventionTests.azureEnv)
        let url = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try await ProcessRunner.presign(["inspect", url, "--at", Self.at])
        #expect(result.stdout.contains("permissions:    rcw (read, create, write)"), "\(result.stdout)")
    }
}
