import Foundation
import GoogleAuth
import RequestVerification
import SigningCore
import TestSupport
import Testing

/// The 90 google-cloud-storage-made `presign gcs` URLs are accepted with the signing key's public
/// half and the headers they signed; tampered, expired and wrong-method ones are refused.
struct GCSRequestVerifierTests {
    static let cases = FixtureCases("gcs/gcs-cli-cases.json")
    static var ids: [String] { cases.ids }

    nonisolated(unsafe) static let loadedVerifier = Result { () throws -> GCSRequestVerifier in
        let key = try GoogleServiceAccountKey.load(path: TestPaths.fixture("gcs-v4/test_service_account.not-a-test.json").path)
        return GCSRequestVerifier(publicKeys: [key.clientEmail: try RSAPublicKey(privateKey: key.privateKey)], hmacSecrets: ["GOOG1TEST": "hmac-secret"])
    }
    static var verifier: GCSRequestVerifier { get throws { try loadedVerifier.get() } }

    static func request(_ id: String) throws -> (IncomingRequest, Timestamp, Int64) {
        let testCase = try cases.case(id)
        let inputs = try #require(testCase["inputs"] as? [String: Any])
        let expected = try #require((testCase["contract_expected"] ?? testCase["expected"]) as? [String: Any])
        let urlText = try #require(expected["url"] as? String)
        let url = try #require(URLComponents(string: urlText))
        var headers = [(name: "Host", value: url.port.map { "\(url.host!):\($0)" } ?? url.host!)]
        if let type = inputs["content_type"] as? String { headers.append((name: "Content-Type", value: type)) }
        if inputs["method"] as? String == "RESUMABLE" { headers.append((name: "x-goog-resumable", value: "start")) }
        headers += (inputs["headers"] as? [[String]] ?? []).map { (name: $0[0], value: $0[1]) }
        let method = inputs["method"] as? String == "RESUMABLE" ? "POST" : inputs["method"] as! String
        let at = try Timestamp.parse(inputs["timestamp"] as! String)
        return (IncomingRequest(method: method, path: url.percentEncodedPath, query: url.percentEncodedQuery ?? "", headers: headers), at, Int64(inputs["expiration"] as! Int))
    }

    func code(_ result: VerificationResult) -> String? {
        if case .denied(let refusal) = result { return refusal.code }
        return nil
    }

    @Test(arguments: ids)
    func acceptedAndControls(_ id: String) throws {
        let (request, at, expires) = try Self.request(id)
        #expect(code(try Self.verifier.verify(request, now: at)) == nil)
        var tampered = request
        tampered.query = tampered.query.replacingOccurrences(of: "X-Goog-Signature=", with: "X-Goog-Signature=00")
        #expect(code(try Self.verifier.verify(tampered, now: at)) == "SignatureDoesNotMatch")
        #expect(code(try Self.verifier.verify(request, now: at.adding(seconds: expires + 1))) == "ExpiredToken")
        var other = request
        other.method = request.method == "DELETE" ? "GET" : "DELETE"
        #expect(code(try Self.verifier.verify(other, now: at)) == "SignatureDoesNotMatch")
    }

    @Test func hmacURLsToo() throws {
        let signer = GCSV4Signer(credential: .hmac(accessID: "GOOG1TEST", secret: "hmac-secret"))
        let at = Timestamp(secondsSince1970: 1_700_000_000)
        let signed = try signer.sign(GCSURLRequest(bucket: "photos", object: "in/a b.jpg", method: "PUT"), at: at)
        let url = try #require(URLComponents(string: signed.url))
        let request = IncomingRequest(method: "PUT", path: url.percentEncodedPath, query: url.percentEncodedQuery!, headers: [(name: "Host", value: "storage.googleapis.com")])
        #expect(code(try Self.verifier.verify(request, now: at)) == nil)
        let stranger = GCSRequestVerifier(hmacSecrets: ["GOOG1TEST": "other"])
        #expect(code(stranger.verify(request, now: at)) == "SignatureDoesNotMatch")
    }
}
