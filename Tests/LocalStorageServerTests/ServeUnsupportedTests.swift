import AWSSigV4
import Foundation
import HTTP
import LocalStorageServer
import SigningCore
import Testing

/// Operations the server does not implement (multipart, ACLs, tagging, copies, Azure `comp=`
/// operations, GCS XML sub-resources) are answered 501 `NotImplemented` in the provider's shape,
/// never stored as a whole-object write.
struct ServeUnsupportedTests {
    static let original = [UInt8](repeating: 5, count: 100)
    static let blobType = [(name: "x-ms-blob-type", value: "BlockBlob")]

    /// Each PUT is answered 501 with `NotImplemented` and the object stays as it was.
    func expectNotImplemented(_ serve: ServeHarness, _ name: String, method: String = "PUT", url: String,
                              headers: [(name: String, value: String)] = [], get: String) async throws {
        let response = try await serve.http.send(HTTPRequest(method: method, url: url, headers: headers, body: .bytes([9, 9, 9])))
        #expect(response.status == 501 && ServeHarness.code(response) == "NotImplemented", "\(name): \(response.status) \(response.text)")
        #expect(try await serve.http.send(HTTPRequest(url: get)).body == Self.original, "\(name): the object was replaced")
    }

    @Test func s3SubresourcesAndCopies() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        #expect(try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.s3("o.bin", method: .PUT), body: .bytes(Self.original))).status == 200)
        let get = try serve.s3("o.bin")
        try await expectNotImplemented(serve, "part", url: try serve.s3("o.bin", method: .PUT, query: [(name: "partNumber", value: "1"), (name: "uploadId", value: "abc")]), get: get)
        try await expectNotImplemented(serve, "tagging", url: try serve.s3("o.bin", method: .PUT, query: [(name: "tagging", value: "")]), get: get)
        try await expectNotImplemented(serve, "acl", url: try serve.s3("o.bin", method: .PUT, query: [(name: "acl", value: "")]), get: get)
        try await expectNotImplemented(serve, "abort upload", method: "DELETE", url: try serve.s3("o.bin", method: .DELETE, query: [(name: "uploadId", value: "abc")]), get: get)
        try await expectNotImplemented(serve, "copy", url: try serve.s3("o.bin", method: .PUT), headers: [(name: "x-amz-copy-source", value: "/photos/other")], get: get)
        let aclRead = try await serve.http.send(HTTPRequest(url: try serve.s3("o.bin", query: [(name: "acl", value: "")])))
        #expect(aclRead.status == 501 && ServeHarness.code(aclRead) == "NotImplemented", "a GET of a sub-resource is not the object")
    }

    @Test func azureCompOperationsAndCopies() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        #expect(try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.azure("o.bin", permissions: "cw"), headers: Self.blobType, body: .bytes(Self.original))).status == 201)
        let get = try serve.azure("o.bin", permissions: "r")
        let put = try serve.azure("o.bin", permissions: "cw")
        try await expectNotImplemented(serve, "blocklist", url: put + "&comp=blocklist", get: get)
        try await expectNotImplemented(serve, "block", url: put + "&comp=block&blockid=AAAA", get: get)
        try await expectNotImplemented(serve, "metadata", url: put + "&comp=metadata", get: get)
        try await expectNotImplemented(serve, "copy", url: put, headers: Self.blobType + [(name: "x-ms-copy-source", value: "http://elsewhere/x")], get: get)
        let response = try await serve.http.send(HTTPRequest(method: "PUT", url: put + "&comp=blocklist", body: .bytes([1])))
        #expect(response.header("x-ms-error-code") == "NotImplemented")
    }

    @Test func gcsSubresourcesAndCopies() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        #expect(try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.gcs("o.bin", method: "PUT"), body: .bytes(Self.original))).status == 200)
        let get = try serve.gcs("o.bin")
        try await expectNotImplemented(serve, "part", url: try serve.gcs("o.bin", method: "PUT", query: [(name: "partNumber", value: "1"), (name: "uploadId", value: "abc")]), get: get)
        try await expectNotImplemented(serve, "acl", url: try serve.gcs("o.bin", method: "PUT", query: [(name: "acl", value: "")]), get: get)
        try await expectNotImplemented(serve, "copy", url: try serve.gcs("o.bin", method: "PUT"), headers: [(name: "x-goog-copy-source", value: "/photos/other")], get: get)
        let generation = try await serve.http.send(HTTPRequest(method: "DELETE", url: try serve.gcs("o.bin", method: "DELETE", query: [(name: "generation", value: "1")])))
        #expect(generation.status == 404, "no generations are kept: deleting one must not delete the live object")
        #expect(try await serve.http.send(HTTPRequest(url: get)).body == Self.original)
    }
}
