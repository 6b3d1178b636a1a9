import Foundation
import HTTP
import LocalStorageServer
import SigningCore
import Testing
import URLCheck

/// `URLVerifier` against a live `presign serve`, which checks every signature: what it reads,
/// what it refuses and why, and that checking an output writes nothing.
struct VerifyAgainstServeTests {
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [UInt8](repeating: 7, count: 9000)

    func upload(_ serve: ServeHarness, _ url: String, _ bytes: [UInt8], headers: [(name: String, value: String)] = []) async throws {
        let response = try await serve.http.send(HTTPRequest(method: "PUT", url: url, headers: headers, body: .bytes(bytes)))
        #expect((200...201).contains(response.status), "\(response.text)")
    }

    func verifier(_ serve: ServeHarness) -> URLVerifier {
        var verifier = URLVerifier(http: serve.http)
        verifier.policy = .storageFetch(retries: 0, backoff: 0.01)
        return verifier
    }

    /// The readable URL of a stored JPEG, for each provider, with the object's files on disk.
    func storedInputs(_ serve: ServeHarness) async throws -> [(provider: String, url: String)] {
        try await upload(serve, try serve.s3("in.jpg", method: .PUT), Self.jpeg)
        try await upload(serve, try serve.azure("in.jpg", permissions: "cw"), Self.jpeg, headers: [(name: "x-ms-blob-type", value: "BlockBlob")])
        try await upload(serve, try serve.gcs("in.jpg", method: "PUT"), Self.jpeg)
        return [("s3", try serve.s3("in.jpg")), ("azure", try serve.azure("in.jpg", permissions: "r")), ("gcs", try serve.gcs("in.jpg"))]
    }

    @Test func readableInputsAreRecognisedAndTamperedOnesFail() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        for (provider, url) in try await storedInputs(serve) {
            let outcome = await verifier(serve).verify(url, role: .input)
            #expect(outcome.verdict == .ok && outcome.status == 206 && outcome.content == "JPEG" && outcome.provider == provider, "\(provider): \(outcome)")
            #expect(!outcome.url.contains(Self.signature(of: url)), "\(provider): the signature is redacted")
            // Negative control: one character of the signature changed.
            let tampered = await verifier(serve).verify(SignatureControl.tampered(url)!, role: .input)
            #expect(tampered.verdict == .failed && tampered.status == 403, "\(provider): \(tampered)")
            #expect(tampered.providerCode == (provider == "azure" ? "AuthenticationFailed" : "SignatureDoesNotMatch"), "\(provider)")
            #expect(tampered.hint?.contains("sign") == true || tampered.hint?.contains("Sign") == true, "\(provider): \(tampered.hint ?? "")")
        }
    }

    @Test func missingExpiredAndWrongMethodInputsFailWithTheProvidersCode() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let missing = await verifier(serve).verify(try serve.s3("nothing.jpg"), role: .input)
        #expect(missing.verdict == .failed && missing.status == 404 && missing.providerCode == "NoSuchKey")
        let azureMissing = await verifier(serve).verify(try serve.azure("nothing.jpg", permissions: "r"), role: .input)
        #expect(azureMissing.providerCode == "BlobNotFound" && azureMissing.hint?.contains("no object") == true)
        let expired = await verifier(serve).verify(try serve.s3("in.jpg", at: Timestamp(Date()).adding(seconds: -700)), role: .input)
        #expect(expired.verdict == .failed && expired.status == 403 && expired.hint?.contains("expired") == true, "\(expired)")
        let putAsInput = await verifier(serve).verify(try serve.s3("in.jpg", method: .PUT), role: .input)
        #expect(putAsInput.verdict == .failed && putAsInput.providerCode == "SignatureDoesNotMatch" && putAsInput.hint?.contains("GET") == true)
    }

    @Test func anHTMLPageFailsAndOtherContentWarns() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        try await upload(serve, try serve.s3("share.html", method: .PUT), Array("<!DOCTYPE html><html><head><title>Shared</title>".utf8))
        try await upload(serve, try serve.s3("preset.xmp", method: .PUT), Array("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">".utf8))
        try await upload(serve, try serve.s3("notes.bin", method: .PUT), [1, 2, 3, 4, 5])
        let html = await verifier(serve).verify(try serve.s3("share.html"), role: .input)
        #expect(html.verdict == .failed && html.hint?.contains("HTML") == true)
        let xmp = await verifier(serve).verify(try serve.s3("preset.xmp"), role: .input)
        #expect(xmp.verdict == .ok && xmp.content?.hasPrefix("XMP") == true && xmp.warnings.contains { $0.contains("not an image") })
        let other = await verifier(serve).verify(try serve.s3("notes.bin"), role: .input)
        #expect(other.verdict == .ok && other.content == "unrecognised" && !other.warnings.isEmpty)
    }

    @Test func writableOutputsPassWithoutWritingAnything() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let outputs = [("s3", try serve.s3("out.jpg", method: .PUT)), ("azure", try serve.azure("out.jpg", permissions: "cw")), ("gcs", try serve.gcs("out.jpg", method: "PUT"))]
        for (provider, url) in outputs {
            let outcome = await verifier(serve).verify(url, role: .output)
            #expect(outcome.verdict == .ok && outcome.status == 100, "\(provider): \(outcome)")
            // A passing check is information, not a warning.
            #expect(!outcome.warnings.contains { $0.contains("100 Continue") } && outcome.notes.contains { $0.contains("nothing was written") }, "\(provider): \(outcome.warnings)")
            let tampered = await verifier(serve).verify(SignatureControl.tampered(url)!, role: .output)
            #expect(tampered.verdict == .failed && tampered.status == 403, "\(provider): \(tampered)")
        }
        // Nothing was stored: each object is still missing.
        for (provider, url) in [("s3", try serve.s3("out.jpg")), ("azure", try serve.azure("out.jpg", permissions: "r")), ("gcs", try serve.gcs("out.jpg"))] {
            #expect(try await serve.http.send(HTTPRequest(url: url)).status == 404, "\(provider) wrote an object")
        }
    }

    @Test func outputsThatCannotWriteFailWithAFix() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let readOnly = await verifier(serve).verify(try serve.azure("out.jpg", permissions: "r"), role: .output)
        #expect(readOnly.verdict == .failed && readOnly.providerCode == "AuthorizationPermissionMismatch" && readOnly.hint?.contains("sp=cw") == true)
        let getAsOutput = await verifier(serve).verify(try serve.s3("out.jpg"), role: .output)
        #expect(getAsOutput.verdict == .failed && getAsOutput.providerCode == "SignatureDoesNotMatch" && getAsOutput.hint?.contains("PUT") == true)
        let inferred = await verifier(serve).verify(try serve.azure("out.jpg", permissions: "cw"), role: nil)
        #expect(inferred.role == .output && inferred.roleInferred && inferred.verdict == .ok, "Azure c/w permissions imply an output")
    }

    @Test func theWriteProbeWritesOnlyWhenAskedTo() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        var probing = verifier(serve)
        probing.writeProbe = true
        let outcome = await probing.verify(try serve.s3("probe.jpg", method: .PUT), role: .output)
        #expect(outcome.verdict == .ok && outcome.status == 200 && outcome.notes.contains { $0.contains("--write-probe") })
        let stored = try await serve.http.send(HTTPRequest(url: try serve.s3("probe.jpg")))
        #expect(stored.status == 200 && stored.text == "presign verify probe\n")
    }

    static func signature(of url: String) -> String {
        let name = url.contains("X-Amz-Signature=") ? "X-Amz-Signature=" : url.contains("X-Goog-Signature=") ? "X-Goog-Signature=" : "sig="
        return String(url[url.range(of: name)!.upperBound...].prefix { $0 != "&" })
    }
}
