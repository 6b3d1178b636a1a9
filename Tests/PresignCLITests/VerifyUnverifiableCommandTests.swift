import Foundation
import TestSupport
import Testing

/// A single-use Dropbox upload link is `unverifiable`: nothing is sent, exit 0 with a warning
/// (1 with `--strict`), and a manifest that holds one does not fail because of it.
@Suite(.enabled(if: VerifyServers.available, Comment(rawValue: "HTTP test servers not running: run scripts/test.sh")))
struct VerifyUnverifiableCommandTests {
    func uploadLink() async throws -> String {
        let path = "/presign-verify/\(UUID().uuidString.prefix(8))/out.jpg"
        let made = try await ProcessRunner.presign(["dropbox", path, "--method", "PUT", "--api-base", VerifyServers.dropbox],
                                                   environment: ["DROPBOX_ACCESS_TOKEN": "sl.TEST-ACCESS-TOKEN"])
        #expect(made.status == 0, "\(made.stderr)")
        return made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func anUploadLinkIsUnverifiableNotFailed() async throws {
        let link = try await uploadLink()
        let plain = try await ProcessRunner.presign(["verify", "--output", link])
        #expect(plain.status == 0, "\(plain.stdout)\(plain.stderr)")
        #expect(plain.stdout.hasPrefix("UNVERIFIABLE output"), "\(plain.stdout)")
        #expect(plain.stderr.contains("warning: 1 URL was not checked"), "\(plain.stderr)")
        let strict = try await ProcessRunner.presign(["verify", "--strict", "--output", link])
        #expect(strict.status == 1 && strict.stdout.hasPrefix("UNVERIFIABLE output"), "\(strict.stdout)\(strict.stderr)")
        let json = try await ProcessRunner.presign(["verify", "--json", link])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(json.status == 0 && object["verdict"] as? String == "unverifiable" && object["ok"] as? Bool == false, "\(json.stdout)")
        // Nothing was sent: the link still takes its one upload.
        let consumed = try await ProcessRunner.presign(["verify", "--consume", "--output", link])
        #expect(consumed.status == 0 && consumed.stdout.contains("consumed"), "\(consumed.stdout)")
    }

    @Test func aManifestWithAnUploadLinkPassesWhenTheRestDoes() async throws {
        let link = try await uploadLink()
        let manifest = [#"{"role": "input", "url": "\#(VerifyServers.staticHTTP)/hello.txt"}"#, #"{"role": "output", "url": "\#(link)"}"#].joined(separator: "\n")
        let result = try await ProcessRunner.presign(["verify", "--manifest", "-", "--json"], stdin: manifest)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let verdicts = result.stdout.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["verdict"] as? String
        }
        #expect(verdicts == ["ok", "unverifiable"], "\(result.stdout)")
        let strict = try await ProcessRunner.presign(["verify", "--strict", "--manifest", "-"], stdin: manifest)
        #expect(strict.status == 1)
    }
}
