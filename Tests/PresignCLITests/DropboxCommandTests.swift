import Foundation
import TestSupport
import Testing

/// `presign dropbox` against the Dropbox stand-in: outputs, exit codes, no token in any output.
@Suite(.enabled(if: DropboxCLI.available, Comment(rawValue: "Dropbox stand-in not running: run scripts/test.sh")))
struct DropboxCommandTests {
    static let token = "sl.TEST-ACCESS-TOKEN"

    func presign(_ arguments: [String], token: String? = token) async throws -> ProcessResult {
        var env = [String: String]()
        if let token { env["DROPBOX_ACCESS_TOKEN"] = token }
        let result = try await ProcessRunner.presign(["dropbox"] + arguments + ["--api-base", DropboxCLI.base, "--backoff", "50ms"], environment: env)
        #expect(!result.stdout.contains(Self.token) && !result.stderr.contains(Self.token))
        return result
    }

    @Test func downloadLinkAsJSON() async throws {
        let path = "/presign-cli/\(UUID().uuidString.prefix(8))/in.jpg"
        try await DropboxCLI.seed(path)
        let result = try await presign([path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["provider"] as? String == "dropbox" && object["method"] as? String == "GET")
        #expect((object["url"] as? String)?.hasPrefix(DropboxCLI.base + "/content/get/") == true)
        #expect(object["headers"] as? [String: String] == [:])
        #expect(object["expiresAt"] is String)
    }

    @Test func uploadLinkSaysHowToUseIt() async throws {
        let path = "/presign-cli/\(UUID().uuidString.prefix(8))/out.jpg"
        let plain = try await presign([path, "--method", "PUT", "--expires", "15m"])
        #expect(plain.status == 0)
        #expect(plain.stdout.hasPrefix(DropboxCLI.base + "/content/apitul/1/"))
        #expect(plain.stderr.contains("works ONCE") && plain.stderr.contains("POST") && plain.stderr.contains("application/octet-stream"))
        let json = try await presign([path, "--method", "PUT", "--mode", "overwrite", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["method"] as? String == "POST")
        #expect(object["headers"] as? [String: String] == ["content-type": "application/octet-stream"])
        #expect(object["singleUse"] as? Bool == true)
        let curl = try await presign([path, "--method", "PUT", "--curl"])
        #expect(curl.stdout.contains("-X POST --data-binary @out.jpg -H 'content-type: application/octet-stream'"))
    }

    @Test func missingFileFailsWithTheAPIsReason() async throws {
        let result = try await presign(["/presign-cli/none/\(UUID().uuidString).jpg"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("no file at that path"))
    }

    @Test func refusedTokenFails() async throws {
        let result = try await presign(["/x.jpg"], token: "sl.WRONG-TOKEN")
        #expect(result.status == 1)
        #expect(result.stderr.contains("refused the access token") && !result.stderr.contains("sl.WRONG-TOKEN"))
    }

    static let usageErrors: [[String]] = [
        ["x.jpg"], ["/x.jpg", "--method", "POST"], ["/x.jpg", "--expires", "1h"],
        ["/x.jpg", "--method", "PUT", "--expires", "30s"], ["/x.jpg", "--method", "PUT", "--expires", "5h"],
        ["/x.jpg", "--method", "PUT", "--mode", "replace"], ["/x.jpg", "--mode", "overwrite"],
        ["/x.jpg", "--json", "--curl"], ["/x.jpg", "--retries", "99"],
    ]

    @Test(arguments: usageErrors)
    func badInputIsAUsageError(_ arguments: [String]) async throws {
        let result = try await presign(arguments)
        #expect(result.status == 2 && result.stdout.isEmpty && result.stderr.hasPrefix("Error: "), "\(result.stderr)")
    }

    @Test func missingCredentialsIsAUsageError() async throws {
        let result = try await presign(["/x.jpg"], token: nil)
        #expect(result.status == 2)
        #expect(result.stderr.contains("DROPBOX_ACCESS_TOKEN"))
    }
}

enum DropboxCLI {
    static let environment = ProcessInfo.processInfo.environment
    static let base = environment["PRESIGN_TEST_DROPBOX"] ?? ""
    static var available: Bool { !base.isEmpty || environment["PRESIGN_REQUIRE_SERVERS"] == "1" }

    /// Seeds a file through the stand-in's control route, with curl.
    static func seed(_ path: String) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try Data("jpeg".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await ProcessRunner.tool("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-T", file.path, base + "/__files" + path])
        #expect(result.stdout.hasPrefix("2"))
    }
}
