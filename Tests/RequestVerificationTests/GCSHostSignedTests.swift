import Foundation
import GoogleAuth
import RequestVerification
import SigningCore
import Testing

/// Google requires `host` among the signed headers; a URL that leaves it out is refused even
/// when its signature is otherwise right.
struct GCSHostSignedTests {
    static let at = Timestamp(secondsSince1970: 1_700_000_000)

    /// A GOOG4-HMAC-SHA256 URL for `/photos/a.jpg` signing exactly `headers`.
    static func request(signing headers: [(name: String, value: String)]) -> IncomingRequest {
        let names = headers.map(\.name).joined(separator: ";")
        var query: [(name: String, value: String)] = [
            ("X-Goog-Algorithm", "GOOG4-HMAC-SHA256"), ("X-Goog-Credential", "GOOG1TEST/\(at.dateStamp)/auto/storage/goog4_request"),
            ("X-Goog-Date", at.basicISO8601), ("X-Goog-Expires", "600"), ("X-Goog-SignedHeaders", names),
        ]
        let canonical = CanonicalHTTP.request(method: "GET", canonicalURI: "/photos/a.jpg", canonicalQueryString: CanonicalHTTP.queryString(query),
                                              headers: CanonicalHTTP.headers(headers), payloadHash: "UNSIGNED-PAYLOAD")
        let stringToSign = "GOOG4-HMAC-SHA256\n\(at.basicISO8601)\n\(at.dateStamp)/auto/storage/goog4_request\n\(SHA256.hexDigest(canonical))"
        let key = V4KeyDerivation.signingKey(prefix: "GOOG4", secret: "hmac-secret", date: at.dateStamp, region: "auto", service: "storage", terminator: "goog4_request")
        query.append(("X-Goog-Signature", Hex.encode(HMACSHA256(key: key).authenticate(stringToSign))))
        let text = query.map { "\(PercentEncoding.unreserved.encode($0.name))=\(PercentEncoding.unreserved.encode($0.value))" }.joined(separator: "&")
        return IncomingRequest(method: "GET", path: "/photos/a.jpg", query: text, headers: [(name: "Host", value: "storage.googleapis.com"), (name: "x-extra", value: "1")])
    }

    func code(_ result: VerificationResult) -> String? {
        if case .denied(let refusal) = result { return refusal.code }
        return nil
    }

    @Test func hostMustBeSigned() {
        let verifier = GCSRequestVerifier(hmacSecrets: ["GOOG1TEST": "hmac-secret"])
        #expect(code(verifier.verify(Self.request(signing: [("host", "storage.googleapis.com")]), now: Self.at)) == nil, "the control is accepted")
        let refused = verifier.verify(Self.request(signing: [("x-extra", "1")]), now: Self.at)
        #expect(code(refused) == "InvalidArgument")
        if case .denied(let refusal) = refused { #expect(refusal.body.contains("host")) }
    }
}
