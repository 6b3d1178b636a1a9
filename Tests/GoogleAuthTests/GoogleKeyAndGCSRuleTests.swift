import Foundation
import GoogleAuth
import SigningCore
import TestSupport
import Testing

/// Service-account key files with what goes wrong in them, and the GCS rules that are errors.
struct GoogleKeyAndGCSRuleTests {
    static var pem: String { get throws { try TestPaths.text(TestPaths.fixture("rsa/rsa2048-pkcs8.pem")) } }

    func keyJSON(_ fields: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: fields)
    }

    @Test func validKeyWithDefaults() throws {
        let key = try GoogleServiceAccountKey(json: try keyJSON(["type": "service_account", "client_email": "a@p.iam.gserviceaccount.com", "private_key": try Self.pem]), source: "k.json")
        #expect(key.tokenURI == "https://oauth2.googleapis.com/token" && key.privateKeyID == nil && key.universeDomain == "googleapis.com")
    }

    @Test(arguments: [
        (["type": "authorized_user", "client_email": "a@b", "private_key": "x"], "wrong-key-type"),
        (["client_email": "a@b", "private_key": "x"], "wrong-key-type"),
        (["type": "service_account", "private_key": "x"], "missing-client-email"),
        (["type": "service_account", "client_email": "a@b"], "missing-private-key"),
        (["type": "service_account", "client_email": "a@b", "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"], "corrupt-private-key"),
    ] as [([String: String], String)])
    func brokenKeys(_ fields: [String: String], _ code: String) throws {
        let error = #expect(throws: GoogleAuthError.self) { try GoogleServiceAccountKey(json: try keyJSON(fields), source: "k.json") }
        #expect(error?.code == code)
        #expect(error?.isUsageError == true)
    }

    @Test func notJSONAtAll() {
        let error = #expect(throws: GoogleAuthError.self) { try GoogleServiceAccountKey(json: Data("{not json".utf8), source: "k.json") }
        #expect(error?.code == "invalid-key-file")
    }

    @Test func missingKeyFileNamesTheVariable() {
        let error = #expect(throws: GoogleAuthError.self) { try GoogleServiceAccountKey.load(path: nil, environment: [:]) }
        #expect(error?.message.contains("GOOGLE_APPLICATION_CREDENTIALS") == true)
    }

    static let hmac = GCSV4Signer(credential: .hmac(accessID: "GOOG1EXAMPLE", secret: "secret/key+value"))

    @Test(arguments: [
        GCSURLRequest(bucket: "photos", object: "x", expiresIn: 604_801),
        GCSURLRequest(bucket: "photos", object: "x", expiresIn: 0),
        GCSURLRequest(bucket: "photos", object: "x", method: "PATCH"),
        GCSURLRequest(bucket: "Photos", object: "x"),
        GCSURLRequest(bucket: "ab", object: "x"),
        GCSURLRequest(bucket: "photos", object: ""),
        GCSURLRequest(bucket: "photos", object: "line\nbreak"),
        GCSURLRequest(bucket: "photos", object: String(repeating: "x", count: 1025)),
    ])
    func invalidRequests(_ request: GCSURLRequest) {
        #expect(throws: GoogleAuthError.self) { try Self.hmac.sign(request, at: Timestamp(secondsSince1970: 0)) }
    }

    @Test func reservedQueryAndHostHeaderAreRefused() {
        var request = GCSURLRequest(bucket: "photos", object: "x")
        request.query = [(name: "X-Goog-Signature", value: "x")]
        #expect(throws: GoogleAuthError.self) { try Self.hmac.sign(request, at: Timestamp(secondsSince1970: 0)) }
        request.query = []
        request.headers = [(name: "Host", value: "evil")]
        #expect(throws: GoogleAuthError.self) { try Self.hmac.sign(request, at: Timestamp(secondsSince1970: 0)) }
    }

    /// GOOG4-HMAC-SHA256 has no public oracle: check its construction against the documented
    /// derivation (`GOOG4` + secret, `auto`, `storage`, `goog4_request`) computed with plain HMACs.
    @Test func hmacSignatureFollowsTheDocumentedDerivation() throws {
        let at = try Timestamp.parse("2019-02-01T09:00:00Z")
        let signed = try Self.hmac.sign(GCSURLRequest(bucket: "test-bucket", object: "test-object", expiresIn: 10), at: at)
        #expect(signed.stringToSign.hasPrefix("GOOG4-HMAC-SHA256\n20190201T090000Z\n20190201/auto/storage/goog4_request\n"))
        #expect(signed.url.contains("X-Goog-Credential=GOOG1EXAMPLE%2F20190201%2Fauto%2Fstorage%2Fgoog4_request"))
        var key = HMACSHA256(key: "GOOG4secret/key+value").authenticate("20190201")
        for part in ["auto", "storage", "goog4_request"] { key = HMACSHA256(key: key).authenticate(part) }
        #expect(signed.signature == Hex.encode(HMACSHA256(key: key).authenticate(signed.stringToSign)))
    }

    @Test func resumableAndSignedPayload() throws {
        var request = GCSURLRequest(bucket: "photos", object: "big.tif", method: "POST")
        request.headers = [(name: "x-goog-resumable", value: "start"), (name: "X-Goog-Content-SHA256", value: "abc")]
        let signed = try Self.hmac.sign(request, at: Timestamp(secondsSince1970: 0))
        #expect(signed.canonicalRequest.hasSuffix("\nhost;x-goog-content-sha256;x-goog-resumable\nabc"))
        #expect(signed.requiredHeaders.map(\.name) == ["x-goog-content-sha256", "x-goog-resumable"])
    }
}

extension GCSURLRequest: CustomTestStringConvertible {
    public var testDescription: String { "\(method) \(bucket)/\((object ?? "").prefix(20)) \(expiresIn)s" }
}
