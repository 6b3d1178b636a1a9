import Foundation
import HTTP
import LocalStorageServer
import SigningCore
import Testing

/// A body whose digest differs from the `Content-MD5`, `x-amz-content-sha256`,
/// `x-goog-content-sha256` or `x-goog-hash` it came with is refused and the old object stays.
struct ServeDigestTests {
    // RFC 1321 / FIPS 180-2 digests of "hello".
    static let helloMD5 = "XUFAKrxLKna5cZ2REBfFkg=="
    static let helloSHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    static let hello = Array("hello".utf8), other = Array("hellO".utf8), old = Array("old".utf8)

    /// Stores `old`, sends `other` then `hello` with `header`, expecting the refusal then success.
    /// `seed` stores the old object (a URL that does not sign the digest header).
    func check(_ serve: ServeHarness, name: String, put: String, seed: String? = nil, get: String, header: (name: String, value: String),
               extra: [(name: String, value: String)] = [], status: Int, code: String, created: Int = 200) async throws {
        #expect(try await serve.http.send(HTTPRequest(method: "PUT", url: seed ?? put, headers: extra, body: .bytes(Self.old))).status == created, "\(name)")
        let refused = try await serve.http.send(HTTPRequest(method: "PUT", url: put, headers: extra + [header], body: .bytes(Self.other)))
        #expect(refused.status == status && ServeHarness.code(refused) == code, "\(name): \(refused.status) \(refused.text)")
        #expect(try await serve.http.send(HTTPRequest(url: get)).body == Self.old, "\(name): the old object stays")
        let accepted = try await serve.http.send(HTTPRequest(method: "PUT", url: put, headers: extra + [header], body: .bytes(Self.hello)))
        #expect(accepted.status == created, "\(name): \(accepted.text)")
        #expect(try await serve.http.send(HTTPRequest(url: get)).body == Self.hello, "\(name)")
    }

    @Test func s3ContentMD5AndContentSHA256() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let md5 = (name: "Content-MD5", value: Self.helloMD5)
        try await check(serve, name: "s3 md5", put: try serve.s3("m.bin", method: .PUT, headers: [(name: "content-md5", value: Self.helloMD5)]),
                        seed: try serve.s3("m.bin", method: .PUT), get: try serve.s3("m.bin"), header: md5, status: 400, code: "BadDigest")
        let sha = (name: "x-amz-content-sha256", value: Self.helloSHA256)
        try await check(serve, name: "s3 sha256", put: try serve.s3("s.bin", method: .PUT, headers: [(name: "x-amz-content-sha256", value: Self.helloSHA256)]),
                        seed: try serve.s3("s.bin", method: .PUT), get: try serve.s3("s.bin"), header: sha, status: 400, code: "XAmzContentSHA256Mismatch")
        let malformed = try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.s3("m.bin", method: .PUT), headers: [(name: "Content-MD5", value: "not-md5")], body: .bytes(Self.hello)))
        #expect(malformed.status == 400 && ServeHarness.code(malformed) == "InvalidDigest")
    }

    @Test func azureContentMD5() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let blobType = [(name: "x-ms-blob-type", value: "BlockBlob")]
        try await check(serve, name: "azure", put: try serve.azure("m.bin", permissions: "cw"), get: try serve.azure("m.bin", permissions: "r"),
                        header: (name: "Content-MD5", value: Self.helloMD5), extra: blobType, status: 400, code: "Md5Mismatch", created: 201)
        try await check(serve, name: "azure blob md5", put: try serve.azure("b.bin", permissions: "cw"), get: try serve.azure("b.bin", permissions: "r"),
                        header: (name: "x-ms-blob-content-md5", value: Self.helloMD5), extra: blobType, status: 400, code: "Md5Mismatch", created: 201)
    }

    @Test func gcsHashAndContentSHA256() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        try await check(serve, name: "gcs x-goog-hash", put: try serve.gcs("h.bin", method: "PUT"), get: try serve.gcs("h.bin"),
                        header: (name: "x-goog-hash", value: "crc32c=AAAAAA==,md5=\(Self.helloMD5)"), status: 400, code: "BadDigest")
        let sha = (name: "x-goog-content-sha256", value: Self.helloSHA256)
        try await check(serve, name: "gcs sha256", put: try serve.gcs("s.bin", method: "PUT", headers: [sha]), seed: try serve.gcs("s.bin", method: "PUT"), get: try serve.gcs("s.bin"),
                        header: sha, status: 400, code: "BadDigest")
    }
}
