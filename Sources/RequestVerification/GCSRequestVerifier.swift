import GoogleAuth
import SigningCore

/// Checks GCS V4 signed requests (GOOG4-RSA-SHA256 with a service account's public key,
/// GOOG4-HMAC-SHA256 with an HMAC secret) as Cloud Storage does, with its XML error bodies.
public struct GCSRequestVerifier: Sendable {
    /// Public keys by service-account email.
    public let publicKeys: [String: RSAPublicKey]
    /// HMAC secrets by access id.
    public let hmacSecrets: [String: String]
    public var allowedSkew: Int64 = 900

    public init(publicKeys: [String: RSAPublicKey] = [:], hmacSecrets: [String: String] = [:]) {
        self.publicKeys = publicKeys
        self.hmacSecrets = hmacSecrets
    }

    public func verify(_ request: IncomingRequest, now: Timestamp) -> VerificationResult {
        .of({ try check(request, now: now) }, otherwise: { _ in ProviderRefusal.xml(400, "InvalidArgument", "Invalid argument.") })
    }

    private func check(_ request: IncomingRequest, now: Timestamp) throws {
        let parameters = request.queryParameters
        func value(_ name: String) -> String? { parameters.first { $0.name.lowercased() == name.lowercased() }?.value }
        guard let algorithm = value("X-Goog-Algorithm"), let credentialText = value("X-Goog-Credential"), let dateText = value("X-Goog-Date"),
              let expiresText = value("X-Goog-Expires"), let signedHeaders = value("X-Goog-SignedHeaders"), let signature = value("X-Goog-Signature")
        else {
            throw ProviderRefusal.xml(400, "MissingSecurityHeader", "Your request was missing a required header or query parameter.", [("Details", "X-Goog-Algorithm, X-Goog-Credential, X-Goog-Date, X-Goog-Expires, X-Goog-SignedHeaders and X-Goog-Signature are required.")])
        }
        guard let date = Timestamp.parseBasicISO8601(dateText) else {
            throw ProviderRefusal.xml(400, "InvalidArgument", "Invalid argument.", [("Details", "X-Goog-Date must be YYYYMMDDTHHMMSSZ.")])
        }
        guard let expires = Int64(expiresText), expires >= 1 else {
            throw ProviderRefusal.xml(400, "InvalidArgument", "Invalid argument.", [("Details", "X-Goog-Expires must be a positive number of seconds.")])
        }
        guard expires <= GCSV4Signer.maximumExpirySeconds else {
            throw ProviderRefusal.xml(400, "InvalidArgument", "Invalid argument.", [("Details", "Max allowed expiration interval is seven days (604800 seconds).")])
        }
        let credential = credentialText.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard credential.count == 5, credential[1] == date.dateStamp, credential[3] == "storage", credential[4] == "goog4_request" else {
            throw ProviderRefusal.xml(400, "InvalidArgument", "Invalid argument.", [("Details", "X-Goog-Credential must be ID/YYYYMMDD/LOCATION/storage/goog4_request with the date of X-Goog-Date.")])
        }
        if date.secondsSince1970 > now.secondsSince1970 + allowedSkew {
            throw ProviderRefusal.xml(400, "InvalidArgument", "Invalid argument.", [("Details", "Request is not valid yet: X-Goog-Date \(date.rfc3339) is in the future.")])
        }
        if now.secondsSince1970 > date.secondsSince1970 + expires {
            throw ProviderRefusal.xml(400, "ExpiredToken", "The provided token has expired.", [("Details", "Request signature expired at: \(date.adding(seconds: expires).rfc3339)")])
        }
        let names = signedHeaders.split(separator: ";").map(String.init)
        guard names.contains("host") else {
            throw ProviderRefusal.xml(400, "InvalidArgument", "Invalid argument.", [("Details", "X-Goog-SignedHeaders must include host: Google requires the host header to be signed; sign the URL again with host.")])
        }
        let headers = CanonicalHTTP.headers(request.signedHeaderValues(names))
        let query = CanonicalHTTP.queryString(parameters.filter { $0.name.lowercased() != "x-goog-signature" })
        let path = PercentEncoding.path.encode(request.decodedPath ?? request.path)
        let canonicalRequest = CanonicalHTTP.request(method: request.method, canonicalURI: path, canonicalQueryString: query, headers: headers,
                                                     payloadHash: headers.values["x-goog-content-sha256"] ?? "UNSIGNED-PAYLOAD")
        let scope = credential[1...4].joined(separator: "/")
        let stringToSign = "\(algorithm)\n\(dateText)\n\(scope)\n\(SHA256.hexDigest(canonicalRequest))"
        let matches: Bool
        switch algorithm {
        case "GOOG4-RSA-SHA256":
            guard let key = publicKeys[credential[0]] else { throw ProviderRefusal.xml(403, "AccessDenied", "Access denied.", [("Details", "\(credential[0]) is not a service account this server knows.")]) }
            matches = Hex.decode(signature).map { key.verifySHA256(signature: $0, message: Array(stringToSign.utf8)) } ?? false
        case "GOOG4-HMAC-SHA256":
            guard let secret = hmacSecrets[credential[0]] else { throw ProviderRefusal.xml(403, "InvalidAccessKeyId", "The access ID you provided does not exist in our records.") }
            let key = V4KeyDerivation.signingKey(prefix: "GOOG4", secret: secret, date: credential[1], region: credential[2], service: "storage", terminator: "goog4_request")
            matches = signaturesEqual(Hex.encode(HMACSHA256(key: key).authenticate(stringToSign)), signature.lowercased())
        default:
            throw ProviderRefusal.xml(400, "InvalidArgument", "Invalid argument.", [("Details", "X-Goog-Algorithm must be GOOG4-RSA-SHA256 or GOOG4-HMAC-SHA256.")])
        }
        guard matches else {
            throw ProviderRefusal.xml(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your Google secret key and signing method.",
                               [("StringToSign", stringToSign), ("CanonicalRequest", canonicalRequest)])
        }
    }
}
