import DropboxLinks
import Foundation
import HTTP
import TestSupport
import Testing

/// Temporary links against the Dropbox stand-in: the exact requests, the links it hands out
/// (ranged download, single-use upload), and the documented errors as sentences.
@Suite(.serialized, .standIn("dropbox_standin.py"))
struct DropboxLinksTests {
    let client = DropboxClient(credentials: .accessToken(DropboxStandIn.token), apiBase: DropboxStandIn.base, backoff: 0.05)
    let http = HTTPClient()

    @Test func standInIsConfigured() { #expect(!DropboxStandIn.base.isEmpty) }

    @Test func downloadLinkServesTheFileAndRanges() async throws {
        let path = DropboxStandIn.uniquePath("photo.jpg")
        let bytes = (0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try await DropboxStandIn.seed(path, bytes)
        let link = try await client.temporaryLink(path: path)
        #expect(link.size == 5000 && link.name == "photo.jpg")
        #expect(abs(link.expiresAt.timeIntervalSinceNow - 4 * 3600) < 60)
        let ranged = try await http.send(.rangedGet(url: link.link, firstBytes: 100))
        #expect(ranged.status == 206 && ranged.body == Array(bytes.prefix(100)))
        let sent = try await DropboxStandIn.requests(mentioning: path)
        let call = try #require(sent.first { $0["path"] as? String == "/2/files/get_temporary_link" })
        let headers = (call["headers"] as? [[String]] ?? []).map { "\($0[0].lowercased()): \($0[1])" }
        #expect(headers.contains("authorization: Bearer \(DropboxStandIn.token)"))
        #expect(headers.contains("content-type: application/json"))
        let body = try JSONSerialization.jsonObject(with: Data((call["body"] as? String ?? "").utf8)) as? [String: String]
        #expect(body == ["path": path])
    }

    @Test func missingFileIsPathNotFound() async throws {
        let error = await #expect(throws: DropboxError.self) { try await client.temporaryLink(path: DropboxStandIn.uniquePath("missing.jpg")) }
        #expect(error?.code == "path/not_found" && error?.status == 409)
        #expect(error?.message.contains("no file at that path") == true)
        #expect(error?.isUsageError == false)
    }

    @Test func folderIsNotAFile() async throws {
        let path = DropboxStandIn.uniquePath("folder/inner.jpg")
        try await DropboxStandIn.seed(path, [1, 2, 3])
        let folder = String(path.dropLast("/inner.jpg".count))
        let error = await #expect(throws: DropboxError.self) { try await client.temporaryLink(path: folder) }
        #expect(error?.code == "path/not_file")
    }

    @Test func uploadLinkWorksOnceThenIsGone() async throws {
        let path = DropboxStandIn.uniquePath("out.jpg")
        let link = try await client.temporaryUploadLink(DropboxCommitInfo(path: path, mode: .overwrite), duration: 3600)
        #expect(abs(link.expiresAt.timeIntervalSinceNow - 3600) < 60)
        let upload = HTTPRequest(method: DropboxUploadLink.method, url: link.link,
                                 headers: [(name: "Content-Type", value: "application/octet-stream")], body: .bytes(Array("edited".utf8)))
        #expect(try await http.send(upload).status == 200)
        #expect(try await DropboxStandIn.file(path) == Array("edited".utf8))
        #expect(try await http.send(upload).status == 410, "the link is single use")
        let sent = try await DropboxStandIn.requests(mentioning: path)
        let call = try #require(sent.first { $0["path"] as? String == "/2/files/get_temporary_upload_link" })
        let body = try #require(try JSONSerialization.jsonObject(with: Data((call["body"] as? String ?? "").utf8)) as? [String: Any])
        #expect((body["commit_info"] as? [String: Any])?["path"] as? String == path)
        #expect(((body["commit_info"] as? [String: Any])?["mode"] as? [String: String]) == [".tag": "overwrite"])
        #expect(body["duration"] as? Int == 3600)
    }

    /// Dropbox documents POST only; the stand-in answers PUT with 405 and keeps the link usable.
    @Test func putDoesNotConsumeTheUploadLink() async throws {
        let path = DropboxStandIn.uniquePath("put.jpg")
        let link = try await client.temporaryUploadLink(DropboxCommitInfo(path: path), duration: 600)
        let put = try await http.send(HTTPRequest(method: "PUT", url: link.link, headers: [(name: "Content-Type", value: "application/octet-stream")], body: .bytes([1])))
        #expect(put.status == 405)
        let probe = try await http.send(HTTPRequest(method: "POST", url: link.link, headers: [(name: "Content-Type", value: "application/octet-stream")],
                                                    announcedLength: 10, expectContinue: .probe(timeout: 5)))
        #expect(probe.status == 100, "an Expect probe does not consume the link either")
        // Until the server notices the abandoned probe, the link is busy (409, not consumed).
        var post = HTTPResponse(status: 0)
        for _ in 0..<50 {
            post = try await http.send(HTTPRequest(method: "POST", url: link.link, headers: [(name: "Content-Type", value: "application/octet-stream")], body: .bytes([1, 2])))
            if post.status != 409 { break }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        #expect(post.status == 200)
    }

    @Test(arguments: [59, 14_401, 0])
    func uploadDurationOutsideTheLimitIsRefusedBeforeSending(_ seconds: Int) async throws {
        let error = await #expect(throws: DropboxError.self) {
            try await client.temporaryUploadLink(DropboxCommitInfo(path: "/x.jpg"), duration: seconds)
        }
        #expect(error?.code == "invalid-duration" && error?.isUsageError == true)
        #expect(error?.message.contains("14400") == true)
    }

    @Test(arguments: ["x.jpg", "", "rev:12", "ns:abc/x"])
    func malformedPathsAreRefusedBeforeSending(_ path: String) async throws {
        let error = await #expect(throws: DropboxError.self) { try await client.temporaryLink(path: path) }
        #expect(error?.code == "invalid-path")
    }
}
