import Foundation
import HTTP
import SigningCore
import Testing
import URLCheck

/// `URLVerifier` on botocore-signed URLs against the real S3-compatible servers: JuiceFS judges the
/// signature before `100 Continue`, so an output is proven without writing; SeaweedFS answers
/// `100 Continue` first (and stores an empty object when the upload is cut short), which the
/// broken-signature control detects, so the verdict is inconclusive and nothing is sent.
@Suite(.serialized, .enabled(if: S3Reference.available, Comment(rawValue: "S3 servers not running: run scripts/test.sh")))
struct VerifyAgainstS3ServersTests {
    let prefix = "verify-\(UUID().uuidString.prefix(8).lowercased())"
    let http = HTTPClient()

    func sign(_ endpoint: String, _ key: String, _ method: String, at: Timestamp = Timestamp(Date()), expires: Int64 = 600) async throws -> String {
        try await S3Reference.url(signer: .botocore, endpoint: endpoint, key: "\(prefix)/\(key)", method: method, at: at, expires: expires)
    }

    func verifier() -> URLVerifier {
        var verifier = URLVerifier(http: http)
        verifier.policy = .storageFetch(retries: 0, backoff: 0.01)
        return verifier
    }

    static func endpoint(_ server: String) -> String { S3Reference.servers.first { $0.0 == server }?.1 ?? "" }

    @Test(arguments: S3Reference.servers.map(\.0))
    func inputsAreReadAndTamperedOrExpiredOnesFail(server: String) async throws {
        let endpoint = Self.endpoint(server)
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xDB] + [UInt8](repeating: 1, count: 5000)
        let upload = try await http.send(HTTPRequest(method: "PUT", url: try await sign(endpoint, "in.jpg", "PUT"), body: .bytes(jpeg)))
        #expect(upload.status == 200)
        let url = try await sign(endpoint, "in.jpg", "GET")
        let readable = await verifier().verify(url, role: .input)
        #expect(readable.verdict == .ok && readable.status == 206 && readable.content == "JPEG", "\(endpoint): \(readable)")
        let tampered = await verifier().verify(try #require(SignatureControl.tampered(url)), role: .input)
        #expect(tampered.verdict == .failed && tampered.providerCode == "SignatureDoesNotMatch", "\(endpoint): \(tampered)")
        let missing = await verifier().verify(try await sign(endpoint, "missing.jpg", "GET"), role: .input)
        #expect(missing.verdict == .failed && missing.status == 404 && missing.providerCode == "NoSuchKey", "\(endpoint): \(missing)")
        let putAsInput = await verifier().verify(try await sign(endpoint, "in.jpg", "PUT"), role: .input)
        #expect(putAsInput.verdict == .failed && putAsInput.providerCode == "SignatureDoesNotMatch" && putAsInput.hint?.contains("GET") == true, "\(endpoint): \(putAsInput)")
        let page = Array("<!DOCTYPE html><html><body>Sign in to view this file</body></html>".utf8)
        #expect(try await http.send(HTTPRequest(method: "PUT", url: try await sign(endpoint, "share.jpg", "PUT"), body: .bytes(page))).status == 200)
        let html = await verifier().verify(try await sign(endpoint, "share.jpg", "GET"), role: .input)
        #expect(html.verdict == .failed && html.content == "an HTML page" && html.hint?.contains("HTML") == true, "\(endpoint): \(html)")
        let expired = await verifier().verify(try await sign(endpoint, "in.jpg", "GET", at: Timestamp(Date()).adding(seconds: -120), expires: 60), role: .input)
        #expect(expired.verdict == .failed && expired.status == 403 && expired.hint?.contains("expired") == true, "\(endpoint): \(expired)")
    }

    @Test(arguments: S3Reference.servers.map(\.0))
    func outputsAreProvenOnlyWhereTheServerChecksFirstAndNeverWritten(server: String) async throws {
        let endpoint = Self.endpoint(server)
        let outcome = await verifier().verify(try await sign(endpoint, "out.jpg", "PUT"), role: .output)
        let tampered = await verifier().verify(try #require(SignatureControl.tampered(try await sign(endpoint, "out.jpg", "PUT"))), role: .output)
        let getAsOutput = await verifier().verify(try await sign(endpoint, "out.jpg", "GET"), role: .output)
        if server == "seaweedfs" {
            #expect(outcome.verdict == .inconclusive && outcome.hint?.contains("--write-probe") == true, "\(outcome)")
            #expect(tampered.verdict != .ok && getAsOutput.verdict != .ok)
        } else {
            #expect(outcome.verdict == .ok && outcome.status == 100, "\(endpoint): \(outcome)")
            #expect(tampered.verdict == .failed && tampered.providerCode == "SignatureDoesNotMatch", "\(endpoint): \(tampered)")
            #expect(getAsOutput.verdict == .failed && getAsOutput.hint?.contains("PUT") == true, "\(endpoint): \(getAsOutput)")
        }
        let after = try await http.send(HTTPRequest(url: try await sign(endpoint, "out.jpg", "GET")))
        #expect(after.status == 404, "\(endpoint): verify created the output object")
    }
}
