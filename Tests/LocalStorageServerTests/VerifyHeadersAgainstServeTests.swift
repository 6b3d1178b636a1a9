import Foundation
import HTTP
import LocalStorageServer
import SigningCore
import Testing
import URLCheck

/// `verify --header` against a live `presign serve`: a URL that signs a header whose value it
/// does not carry passes once the check sends what the consumer will send, and without it the
/// fix names the header instead of advising to sign again.
struct VerifyHeadersAgainstServeTests {
    func verifier(_ serve: ServeHarness, headers: [(name: String, value: String)] = []) -> URLVerifier {
        var verifier = URLVerifier(http: serve.http)
        verifier.policy = .storageFetch(retries: 0, backoff: 0.01)
        verifier.headers = headers
        return verifier
    }

    /// An output URL per provider that signs `content-type: image/jpeg`.
    func outputsSigningContentType(_ serve: ServeHarness, key: String) throws -> [(provider: String, url: String)] {
        let jpeg: [(name: String, value: String)] = [(name: "content-type", value: "image/jpeg")]
        return [("s3", try serve.s3(key, method: .PUT, headers: jpeg)), ("gcs", try serve.gcs(key, method: "PUT", headers: jpeg))]
    }

    @Test func withoutTheSignedHeaderTheFixNamesIt() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        for (provider, url) in try outputsSigningContentType(serve, key: "out.jpg") {
            let outcome = await verifier(serve).verify(url, role: .output)
            #expect(outcome.verdict == .failed && outcome.status == 403, "\(provider): \(outcome)")
            let hint = outcome.hint ?? ""
            #expect(hint.contains("content-type") && hint.contains("--header"), "\(provider): \(hint)")
            #expect(!hint.contains("Sign it again"), "\(provider): the URL was signed for PUT: \(hint)")
        }
    }

    @Test func withTheConsumersHeaderTheOutputPassesAndNothingIsWritten() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        for (provider, url) in try outputsSigningContentType(serve, key: "out.jpg") {
            let outcome = await verifier(serve, headers: [(name: "Content-Type", value: "image/jpeg")]).verify(url, role: .output)
            #expect(outcome.verdict == .ok && outcome.status == 100, "\(provider): \(outcome)")
            #expect(outcome.problems.isEmpty, "\(provider): a header the consumer sends is no problem: \(outcome.problems)")
            // The header sent must be the signed value: another one is refused as the provider does.
            let wrong = await verifier(serve, headers: [(name: "content-type", value: "image/png")]).verify(url, role: .output)
            #expect(wrong.verdict == .failed && wrong.providerCode == "SignatureDoesNotMatch", "\(provider): \(wrong)")
        }
        for (provider, url) in [("s3", try serve.s3("out.jpg")), ("gcs", try serve.gcs("out.jpg"))] {
            #expect(try await serve.http.send(HTTPRequest(url: url)).status == 404, "\(provider) wrote an object")
        }
    }

    @Test func anInputThatSignsAHeaderIsReadWithIt() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [UInt8](repeating: 7, count: 100)
        let put = try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.s3("in.jpg", method: .PUT), body: .bytes(jpeg)))
        #expect(put.status == 200)
        let url = try serve.s3("in.jpg", headers: [(name: "x-amz-meta-job", value: "42")])
        let without = await verifier(serve).verify(url, role: .input)
        #expect(without.verdict == .failed && without.hint?.contains("x-amz-meta-job") == true, "\(without)")
        let with = await verifier(serve, headers: [(name: "x-amz-meta-job", value: "42")]).verify(url, role: .input)
        #expect(with.verdict == .ok && with.content == "JPEG", "\(with)")
    }
}
