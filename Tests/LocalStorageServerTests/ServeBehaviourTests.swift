import AWSSigV4
import Foundation
import HTTP
import LocalStorageServer
import SigningCore
import Testing

/// `presign serve` answers as the providers do: round trips, ranges, missing objects, signed
/// headers, Azure's blob type and permissions, and `Expect: 100-continue`.
struct ServeBehaviourTests {
    let bytes = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }

    @Test func roundTripsForEveryProvider() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let blobType = [(name: "x-ms-blob-type", value: "BlockBlob")]
        let cases: [(String, String, String, [(name: String, value: String)], Int)] = [
            ("s3", try serve.s3("a/b c.png", method: .PUT), try serve.s3("a/b c.png"), [], 200),
            ("azure", try serve.azure("a/b c.png", permissions: "cw"), try serve.azure("a/b c.png", permissions: "r"), blobType, 201),
            ("gcs", try serve.gcs("a/b c.png", method: "PUT"), try serve.gcs("a/b c.png"), [], 200),
        ]
        for (name, put, get, headers, created) in cases {
            let upload = try await serve.http.send(HTTPRequest(method: "PUT", url: put, headers: headers, body: .bytes(bytes)))
            #expect(upload.status == created, "\(name): \(upload.text)")
            let read = try await serve.http.send(HTTPRequest(url: get, maxResponseBytes: 1 << 20))
            #expect(read.status == 200 && read.body == bytes, "\(name)")
            let ranged = try await serve.http.send(HTTPRequest(url: get, headers: [(name: "Range", value: "bytes=100-199")]))
            #expect(ranged.status == 206 && ranged.body == Array(bytes[100...199]) && ranged.header("Content-Range") == "bytes 100-199/70000", "\(name)")
            let outside = try await serve.http.send(HTTPRequest(url: get, headers: [(name: "Range", value: "bytes=80000-")]))
            #expect(outside.status == 416, "\(name)")
        }
    }

    @Test func missingObjectsHaveTheProvidersCode() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let s3 = try await serve.http.send(HTTPRequest(url: try serve.s3("nothing.jpg")))
        #expect(s3.status == 404 && ServeHarness.code(s3) == "NoSuchKey")
        let azure = try await serve.http.send(HTTPRequest(url: try serve.azure("nothing.jpg", permissions: "r")))
        #expect(azure.status == 404 && ServeHarness.code(azure) == "BlobNotFound" && azure.header("x-ms-error-code") == "BlobNotFound")
    }

    @Test func azureNeedsTheBlobTypeAndTheRightPermission() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let put = try serve.azure("x.jpg", permissions: "cw")
        let missing = try await serve.http.send(HTTPRequest(method: "PUT", url: put, body: .bytes([1])))
        #expect(missing.status == 400 && ServeHarness.code(missing) == "MissingRequiredHeader" && missing.text.contains("<HeaderName>x-ms-blob-type</HeaderName>"))
        let blobType = [(name: "x-ms-blob-type", value: "BlockBlob")]
        #expect(try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.azure("x.jpg", permissions: "c"), headers: blobType, body: .bytes([1]))).status == 201)
        let overwrite = try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.azure("x.jpg", permissions: "c"), headers: blobType, body: .bytes([2])))
        #expect(overwrite.status == 403 && ServeHarness.code(overwrite) == "AuthorizationPermissionMismatch", "create-only cannot overwrite")
        let readOnly = try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.azure("y.jpg", permissions: "r"), headers: blobType, body: .bytes([1])))
        #expect(readOnly.status == 403 && ServeHarness.code(readOnly) == "AuthorizationPermissionMismatch")
    }

    @Test func signedHeadersMustBeSent() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let url = try serve.s3("typed.png", method: .PUT, headers: [(name: "content-type", value: "image/png")])
        let wrong = try await serve.http.send(HTTPRequest(method: "PUT", url: url, headers: [(name: "Content-Type", value: "image/jpeg")], body: .bytes([1])))
        #expect(wrong.status == 403 && ServeHarness.code(wrong) == "SignatureDoesNotMatch" && wrong.text.contains("<StringToSign>"))
        let right = try await serve.http.send(HTTPRequest(method: "PUT", url: url, headers: [(name: "Content-Type", value: "image/png")], body: .bytes([1])))
        #expect(right.status == 200)
    }

    @Test func expectContinueDecidesBeforeTheBody() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let put = try serve.s3("probe.bin", method: .PUT)
        let probe = try await serve.http.send(HTTPRequest(method: "PUT", url: put, announcedLength: 4096, expectContinue: .probe(timeout: 5)))
        #expect(probe.status == 100 && probe.continueReceived && !probe.bodySent)
        try await Task.sleep(nanoseconds: 200_000_000)
        #expect(try await serve.http.send(HTTPRequest(url: try serve.s3("probe.bin"))).status == 404, "an aborted upload stores nothing")
        let tampered = String(put.dropLast()) + (put.hasSuffix("0") ? "1" : "0")
        let refused = try await serve.http.send(HTTPRequest(method: "PUT", url: tampered, announcedLength: 4096, expectContinue: .probe(timeout: 5)))
        #expect(refused.status == 403 && !refused.continueReceived)
    }

    @Test func expiredFutureAndAnonymousRequestsAreRefused() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let now = Timestamp(Date())
        let expired = try await serve.http.send(HTTPRequest(url: try serve.s3("x", at: now.adding(seconds: -3600), expires: 60)))
        #expect(expired.status == 403 && expired.text.contains("Request has expired"))
        let future = try await serve.http.send(HTTPRequest(url: try serve.s3("x", at: now.adding(seconds: 86_400))))
        #expect(future.status == 403 && future.text.contains("Request is not valid yet"))
        let anonymous = try await serve.http.send(HTTPRequest(url: serve.server.baseURL + "/photos/x"))
        #expect(anonymous.status == 403)
        let gcsExpired = try await serve.http.send(HTTPRequest(url: try serve.gcs("x", at: now.adding(seconds: -3600), expires: 60)))
        #expect(gcsExpired.status == 400 && ServeHarness.code(gcsExpired) == "ExpiredToken")
    }

    @Test func deleteNeedsItsOwnSignature() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        _ = try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.gcs("d.bin", method: "PUT"), body: .bytes([1])))
        let getURLUsedToDelete = try await serve.http.send(HTTPRequest(method: "DELETE", url: try serve.gcs("d.bin")))
        #expect(getURLUsedToDelete.status == 403)
        #expect(try await serve.http.send(HTTPRequest(method: "DELETE", url: try serve.gcs("d.bin", method: "DELETE"))).status == 204)
        #expect(try await serve.http.send(HTTPRequest(url: try serve.gcs("d.bin"))).status == 404)
    }
}
