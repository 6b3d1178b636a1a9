import Foundation
import TestSupport
import Testing

/// `presign gcs`, `gdrive` and `google-token` without a network: outputs and usage errors.
struct GoogleCommandTests {
    static var keyFile: String { TestPaths.fixture("gcs-v4/test_service_account.not-a-test.json").path }

    func run(_ arguments: [String], env: [String: String] = [:]) async throws -> ProcessResult {
        let result = try await ProcessRunner.presign(arguments, environment: env)
        #expect(!result.stderr.contains("PRIVATE KEY"))
        return result
    }

    /// Google's conformance test "Simple GET", through the command line.
    @Test
    func conformanceCaseThroughTheCLI() async throws {
        let result = try await run(["gcs", "gs://test-bucket/test-object", "--key-file", Self.keyFile, "--at", "2019-02-01T09:00:00Z", "--expires", "10"])
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("&X-Goog-Signature=95e6a13d43a1d1962e667f17397f2b80ac9bdd1669210d5e08e0135df9dff4e56113485dbe429ca2266487b9d1796ebdee2d7cf682a6ef3bb9fbb4c351686fba90d7b621cf1c4eb1fdf126460dd25fa0837dfdde0a9fd98662ce60844c458448fb2b352c203d9969cb74efa4bdb742287744a4f2308afa4af0e0773f55e32e92973619249214b97283b2daa14195244444e33f938138d1e5f561088ce8011f4986dda33a556412594db7c12fc40e1ff3f1bedeb7a42f5bcda0b9567f17f65855f65071fabb88ea12371877f3f77f10e1466fff6ff6973b74a933322ff0949ce357e20abe96c3dd5cfab42c9c83e740a4d32b9e11e146f0eb3404d2e975896f74\n"))
    }

    @Test
    func resumableReportsPostAndItsHeader() async throws {
        let result = try await run(["gcs", "gs://test-bucket/big.tif", "--method", "RESUMABLE", "--json"], env: ["GOOGLE_APPLICATION_CREDENTIALS": Self.keyFile])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["provider"] as? String == "gcs" && object["method"] as? String == "POST")
        #expect(object["headers"] as? [String: String] == ["x-goog-resumable": "start"])
    }

    @Test func hmacSecretComesFromTheEnvironment() async throws {
        let result = try await run(["gcs", "gs://photos/x.jpg", "--hmac-access-id", "GOOG1EXAMPLE"], env: ["GOOGLE_HMAC_SECRET": "s3cr3t-value"])
        #expect(result.status == 0 && result.stdout.contains("X-Goog-Algorithm=GOOG4-HMAC-SHA256&"))
        #expect(!result.stdout.contains("s3cr3t-value"))
        let missing = try await run(["gcs", "gs://photos/x.jpg", "--hmac-access-id", "GOOG1EXAMPLE"])
        #expect(missing.status == 2 && missing.stderr.contains("GOOGLE_HMAC_SECRET"))
    }

    @Test
    func jwtOnlyNeedsNoNetwork() async throws {
        let key = TestPaths.fixture("google-jwt/test-service-account.json").path
        let result = try await run(["google-token", "--jwt-only", "--key-file", key, "--scope", "https://www.googleapis.com/auth/drive", "--at", "2025-01-01T00:00:00Z"])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: ".").count == 3)
    }

    static let usageErrors: [[String]] = [
        ["gcs", "s3://bucket/x"], ["gcs", "gs://bucket/x", "--expires", "8d"],
        ["gcs", "gs://bucket/x", "--method", "PATCH"], ["gcs", "gs://bucket/x", "--url-style", "cname"],
        ["gcs", "gs://bucket/x", "--url-style", "bucket-bound-hostname"], ["gcs", "gs://bucket/x", "--bucket-bound-hostname", "cdn.example.com"],
        ["gcs", "gs://bucket/x", "--scheme", "ftp"], ["gcs", "gs://bucket/x", "--endpoint", "localhost:4443"],
        ["gcs", "gs://bucket/x", "--header", "nocolon"], ["gcs", "gs://bucket/x", "--query", "novalue"],
        ["gcs", "gs://Bucket/x"], ["gcs", "gs://bucket/x"],
        ["gcs", "gs://bucket/x", "--key-file", "/nonexistent.json"],
        ["gdrive", "../etc/passwd"], ["gdrive", "abc", "--method", "DELETE"], ["gdrive", "abc"],
        ["google-token"], ["google-token", "--key-file", "/nonexistent.json", "--scope", "s"],
    ]

    @Test(arguments: usageErrors)
    func badInputIsAUsageError(_ arguments: [String]) async throws {
        let result = try await run(arguments)
        #expect(result.status == 2 && result.stdout.isEmpty && result.stderr.hasPrefix("Error: "), "\(arguments): \(result.stderr)")
    }
}
