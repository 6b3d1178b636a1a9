import Foundation
import TestSupport
import Testing

/// `presign lightroom` tells the output type of a Dropbox upload link from the path that
/// `presign dropbox` writes after it (a fragment, never sent), says so, and sends the link as
/// Dropbox made it; a link without that path needs `--type`, and the error says so.
@Suite(.enabled(if: VerifyServers.available, Comment(rawValue: "HTTP test servers not running: run scripts/test.sh")))
struct LightroomDropboxTypeTests {
    func uploadLink(_ name: String) async throws -> String {
        let made = try await ProcessRunner.presign(["dropbox", "/presign-lr/\(UUID().uuidString.prefix(8))/\(name)", "--method", "PUT", "--api-base", VerifyServers.dropbox],
                                                   environment: ["DROPBOX_ACCESS_TOKEN": "sl.TEST-ACCESS-TOKEN"])
        #expect(made.status == 0, "\(made.stderr)")
        return made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func dryRun(_ output: String, _ extra: [String] = []) async throws -> ProcessResult {
        try await ProcessRunner.presign(["lightroom", "autotone", "--input", "https://x/in.jpg", "--output", output, "--dry-run", "--no-verify"] + extra,
                                        environment: ["LIGHTROOM_CLIENT_ID": "presign-test-client", "LIGHTROOM_CLIENT_SECRET": "presign-test-secret"])
    }

    @Test(arguments: [("out.dng", "image/x-adobe-dng"), ("My Photo.JPG", "image/jpeg")])
    func theTypeComesFromTheDropboxPath(_ name: String, _ type: String) async throws {
        let link = try await uploadLink(name)
        #expect(link.contains("#path=/presign-lr/"), "\(link)")
        let result = try await dryRun(link)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#""type" : "\#(type)""#), "\(result.stdout)")
        #expect(!result.stdout.contains("#path="), "the service gets the link as Dropbox made it: \(result.stdout)")
        #expect(result.stderr.contains("note: output type \(type), from the Dropbox path /presign-lr/"), "\(result.stderr)")
    }

    @Test func aLinkWithoutItsPathNeedsType() async throws {
        let link = try await uploadLink("out.jpg")
        let bare = String(link.prefix { $0 != "#" })
        let refused = try await dryRun(bare)
        #expect(refused.status == 2 && refused.stdout.isEmpty, "\(refused.stdout)")
        #expect(refused.stderr.contains("Dropbox link names no file") && refused.stderr.contains("--type"), "\(refused.stderr)")
        let given = try await dryRun(bare, ["--type", "png"])
        #expect(given.status == 0 && given.stdout.contains(#""type" : "image/png""#) && !given.stderr.contains("note: output type"), "\(given.stdout)\(given.stderr)")
    }
}

/// A job whose output is a Dropbox upload link is sent, with a warning that the link could not be
/// proven (verify's `unverifiable`), and the link is not used by the check.
@Suite(.enabled(if: VerifyServers.available && LightroomCLI.available, Comment(rawValue: "HTTP test servers not running: run scripts/test.sh")))
struct LightroomUnverifiableOutputTests {
    @Test func anUnverifiableOutputIsAWarningAndTheJobIsSent() async throws {
        let link = try await LightroomDropboxTypeTests().uploadLink("out.jpg")
        let result = try await ProcessRunner.presign(["lightroom", "autotone", "--input", "\(VerifyServers.staticHTTP)/hello.txt", "--output", link] + LightroomCLI.endpoints,
                                                     environment: ["LIGHTROOM_CLIENT_ID": "presign-test-client", "LIGHTROOM_CLIENT_SECRET": LightroomCommandTests.secret])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("/lrService/status/"), "\(result.stdout)")
        #expect(result.stderr.contains("presign: warning: output ") && result.stderr.contains("could not be proven"), "\(result.stderr)")
    }
}
