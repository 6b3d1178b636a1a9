import Foundation
import TestSupport
import Testing

/// `presign google-token` and `presign gdrive` against the Google stand-in.
@Suite(.serialized, .enabled(if: GoogleCLI.available, Comment(rawValue: "Google stand-in not running: run scripts/test.sh")))
struct GoogleNetworkCommandTests {
    func run(_ arguments: [String]) async throws -> ProcessResult {
        try await ProcessRunner.presign(arguments + ["--token-url", GoogleCLI.base + "/token", "--key-file", GoogleCLI.keyFile, "--backoff", "50ms"])
    }

    @Test func tokenCacheFileIsPrivateAndReused() async throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("presign-token-cache-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let scope = "https://www.googleapis.com/auth/presign-cli-\(UUID().uuidString.prefix(8).lowercased())"
        let first = try await run(["google-token", "--scope", scope, "--token-cache", cache])
        #expect(first.status == 0 && first.stdout.hasPrefix("ya29."), "\(first.stderr)")
        let mode = (try FileManager.default.attributesOfItem(atPath: cache)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        let second = try await run(["google-token", "--scope", scope, "--token-cache", cache])
        #expect(second.stdout == first.stdout, "the second run reuses the cached token")
        chmod(cache, 0o644)
        let insecure = try await run(["google-token", "--scope", scope, "--token-cache", cache])
        #expect(insecure.status == 2 && insecure.stderr.contains("chmod 600"))
    }

    @Test func driveDownloadURLIsLabelled() async throws {
        let fileID = "cli\(UUID().uuidString.prefix(8))"
        try await GoogleCLI.seed(fileID)
        let plain = try await run(["gdrive", fileID, "--api-base", GoogleCLI.base])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("/drive/v3/files/\(fileID)?alt=media&access_token=ya29."))
        #expect(plain.stderr.contains("carries an OAuth access token"))
        let json = try await run(["gdrive", fileID, "--api-base", GoogleCLI.base, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["provider"] as? String == "gdrive" && object["carriesAccessToken"] as? Bool == true && object["name"] as? String == "in.jpg")
    }

    @Test func driveUploadSession() async throws {
        let fileID = "cli\(UUID().uuidString.prefix(8))"
        try await GoogleCLI.seed(fileID)
        let result = try await run(["gdrive", fileID, "--method", "PUT", "--api-base", GoogleCLI.base, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["method"] as? String == "PUT" && (object["url"] as? String)?.contains("upload_id=") == true)
        #expect(object["carriesAccessToken"] as? Bool == false)
    }

    @Test func unknownFileFails() async throws {
        let result = try await run(["gdrive", "missingFile42", "--api-base", GoogleCLI.base])
        #expect(result.status == 1 && result.stdout.isEmpty && result.stderr.contains("no file missingFile42"))
    }
}

enum GoogleCLI {
    static let environment = ProcessInfo.processInfo.environment
    static let base = environment["PRESIGN_TEST_GOOGLE"] ?? ""
    static var available: Bool { (!base.isEmpty || environment["PRESIGN_REQUIRE_SERVERS"] == "1")  }
    static var keyFile: String { TestPaths.fixture("google-jwt/test-service-account.json").path }

    static func seed(_ fileID: String) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try Data("jpeg".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await ProcessRunner.tool("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-T", file.path, "\(base)/__files/\(fileID)?name=in.jpg"])
        #expect(result.stdout == "200")
    }
}
