import Foundation
import TestSupport
import Testing

/// URLs made by `presign s3` against real S3-compatible servers on 127.0.0.1 (JuiceFS gateway,
/// SeaweedFS), which check SigV4 themselves: uploads with curl read back byte for byte, and
/// the negative controls (tampered, expired, wrong method, wrong signed header) are refused.
@Suite(.enabled(if: S3Servers.available, Comment(rawValue: S3Servers.missingMessage)))
struct S3ServerTests {
    static let keys = [
        "plain.bin", "with space.jpg", "ünïcødé 日本.png", "a+b=c.txt", "~tilde/x~y.raw", "100%/a%2Fb.tif",
        "dir/sub/deep.dng", "what?&=;@!$'()*,.heic", "tab\tand trailing .psd",
    ]

    @Test func serversAreConfigured() {
        #expect(S3Servers.all.count >= 2, "PRESIGN_TEST_S3_SERVERS names no servers; source .ci-work/s3.env")
        #expect(!S3Servers.bucket.isEmpty && !S3Servers.accessKey.isEmpty && !S3Servers.secretKey.isEmpty)
    }

    @Test(arguments: S3Servers.all, keys)
    func uploadThenReadBack(server: S3Servers.Server, key: String) async throws {
        let fullKey = "\(S3Servers.runPrefix)/roundtrip/\(key)"
        let body = S3Servers.payload(for: fullKey)
        let put = try await server.presign(fullKey, ["--method", "PUT"])
        #expect(try await S3Servers.curl(["--upload-file", S3Servers.write(body)], put).status == 200)
        let get = try await server.presign(fullKey, [])
        let downloaded = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: downloaded) }
        #expect(try await S3Servers.curl(["--output", downloaded.path], get).status == 200)
        #expect(try Data(contentsOf: downloaded) == body)
    }

    /// Both servers refuse object names with `.`/`..` segments (400, not a signature error):
    /// the URL itself is accepted as signed, the name is not. `presign` warns about such keys.
    @Test(arguments: S3Servers.all)
    func dotSegmentsReachTheServerVerbatim(server: S3Servers.Server) async throws {
        let key = "\(S3Servers.runPrefix)/./x/../y.txt"
        let put = try await server.presign(key, ["--method", "PUT"], expectWarning: true)
        let result = try await S3Servers.curl(["--path-as-is", "--upload-file", S3Servers.write(Data("dots".utf8))], put)
        #expect(result.status == 400)
        #expect(!result.body.contains("SignatureDoesNotMatch"))
    }

    @Test(arguments: S3Servers.all)
    func tamperedSignatureIsRefused(server: S3Servers.Server) async throws {
        let key = "\(S3Servers.runPrefix)/tampered.bin"
        var url = try await server.presign(key, ["--method", "PUT"])
        let last = url.removeLast()
        url.append(last == "0" ? "1" : "0")
        let result = try await S3Servers.curl(["--upload-file", S3Servers.write(Data("x".utf8))], url)
        #expect(result.status == 403)
        #expect(result.body.contains("SignatureDoesNotMatch"))
        #expect(try await S3Servers.curl([], server.presign(key, [])).status == 404, "nothing may be stored")
    }

    @Test(arguments: S3Servers.all)
    func urlSignedLongAgoHasExpired(server: S3Servers.Server) async throws {
        let key = "\(S3Servers.runPrefix)/expired.bin"
        let twoDaysAgo = Date().addingTimeInterval(-2 * 86_400)
        let stamp = ISO8601DateFormatter().string(from: twoDaysAgo)
        let put = try await server.presign(key, ["--method", "PUT", "--expires", "60", "--at", stamp])
        let result = try await S3Servers.curl(["--upload-file", S3Servers.write(Data("x".utf8))], put)
        #expect(result.status == 403)
        #expect(result.body.contains("AccessDenied") && result.body.contains("expired"))
    }

    @Test(arguments: S3Servers.all)
    func wrongMethodIsRefused(server: S3Servers.Server) async throws {
        let key = "\(S3Servers.runPrefix)/wrong-method.bin"
        let get = try await server.presign(key, [])
        let result = try await S3Servers.curl(["--upload-file", S3Servers.write(Data("x".utf8))], get)
        #expect(result.status == 403)
        #expect(result.body.contains("SignatureDoesNotMatch"))
    }

    @Test(arguments: S3Servers.all)
    func signedContentTypeMustBeSent(server: S3Servers.Server) async throws {
        let key = "\(S3Servers.runPrefix)/typed.png"
        let put = try await server.presign(key, ["--method", "PUT", "--content-type", "image/png"])
        let file = try S3Servers.write(Data("png".utf8))
        let wrong = try await S3Servers.curl(["-H", "Content-Type: image/jpeg", "--upload-file", file], put)
        #expect(wrong.status == 403)
        let right = try await S3Servers.curl(["-H", "Content-Type: image/png", "--upload-file", file], put)
        #expect(right.status == 200)
    }

    /// Only the JuiceFS gateway refuses URLs dated in the future (SeaweedFS accepts them).
    @Test func futureDatedURLIsRefusedByJuiceFS() async throws {
        let server = try #require(S3Servers.all.first { $0.name == "juicefs" })
        let tomorrow = ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400))
        let put = try await server.presign("\(S3Servers.runPrefix)/future.bin", ["--method", "PUT", "--at", tomorrow])
        let result = try await S3Servers.curl(["--upload-file", S3Servers.write(Data("x".utf8))], put)
        #expect(result.status == 403)
    }
}
