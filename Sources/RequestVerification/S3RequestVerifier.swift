import AWSSigV4
import SigningCore

/// Checks S3 SigV4 presigned (query-string) requests as S3 does: parameters, credential,
/// expiry and start, the signature over the headers actually sent, and S3's error bodies.
public struct S3RequestVerifier: Sendable {
    /// Secret keys by access key id.
    public let secrets: [String: String]
    /// The region the server is in (`us-east-1` by default).
    public let region: String
    /// How far in the future `X-Amz-Date` may be (S3 allows 15 minutes of clock skew).
    public var allowedSkew: Int64 = 900

    public init(secrets: [String: String], region: String = "us-east-1") {
        self.secrets = secrets
        self.region = region
    }

    /// The bucket and key a request names: virtual host `BUCKET.<domain>` or path `/BUCKET/KEY`.
    public static func target(of request: IncomingRequest, virtualHostDomain: String?) -> (bucket: String, key: String)? {
        guard let path = request.decodedPath, path.hasPrefix("/") else { return nil }
        if let domain = virtualHostDomain, let host = request.header("host")?.lowercased(),
           let hostName = host.split(separator: ":").first, hostName.hasSuffix("." + domain) {
            return (String(hostName.dropLast(domain.count + 1)), String(path.dropFirst()))
        }
        let parts = path.dropFirst().split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bucket = parts.first, !bucket.isEmpty else { return nil }
        return (String(bucket), parts.count > 1 ? String(parts[1]) : "")
    }

    /// Checks `request` at `now`.
    public func verify(_ request: IncomingRequest, now: Timestamp) -> VerificationResult {
        .of({ try check(request, now: now) }, otherwise: { ProviderRefusal.xml(400, "InvalidRequest", "\($0)") })
    }

    private func check(_ request: IncomingRequest, now: Timestamp) throws {
        let parameters = request.queryParameters
        func value(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
        let required = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"]
        guard required.allSatisfy({ value($0) != nil }) else {
            throw ProviderRefusal.xml(400, "AuthorizationQueryParametersError", "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
        }
        guard value("X-Amz-Algorithm") == SigV4.algorithm else {
            throw ProviderRefusal.xml(400, "AuthorizationQueryParametersError", "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
        }
        guard let expires = Int64(value("X-Amz-Expires")!), expires >= 0 else {
            throw ProviderRefusal.xml(400, "AuthorizationQueryParametersError", "X-Amz-Expires should be a number")
        }
        guard expires <= SigV4.maximumExpirySeconds else {
            throw ProviderRefusal.xml(400, "AuthorizationQueryParametersError", "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds")
        }
        guard let date = Timestamp.parseBasicISO8601(value("X-Amz-Date")!) else {
            throw ProviderRefusal.xml(400, "AuthorizationQueryParametersError", "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
        }
        let credential = value("X-Amz-Credential")!.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard credential.count == 5, credential[4] == "aws4_request", credential[3] == "s3" else {
            throw ProviderRefusal.xml(400, "AuthorizationQueryParametersError", "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
        }
        guard let secret = secrets[credential[0]] else {
            throw ProviderRefusal.xml(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", [("AWSAccessKeyId", credential[0])])
        }
        guard credential[2] == region else {
            throw ProviderRefusal.xml(400, "AuthorizationQueryParametersError", "Error parsing the X-Amz-Credential parameter; the region '\(credential[2])' is wrong; expecting '\(region)'", [("Region", region)])
        }
        guard credential[1] == date.dateStamp else {
            throw ProviderRefusal.xml(400, "AuthorizationQueryParametersError", "Error parsing the X-Amz-Credential parameter; incorrect date format \"\(credential[1])\". This date in the credential must be in the format \"yyyyMMdd\".")
        }
        if date.secondsSince1970 > now.secondsSince1970 + allowedSkew {
            throw ProviderRefusal.xml(403, "AccessDenied", "Request is not valid yet")
        }
        if now.secondsSince1970 > date.secondsSince1970 + expires {
            throw ProviderRefusal.xml(403, "AccessDenied", "Request has expired", [("X-Amz-Expires", String(expires)), ("Expires", date.adding(seconds: expires).rfc3339), ("ServerTime", now.rfc3339)])
        }
        let signedNames = value("X-Amz-SignedHeaders")!.split(separator: ";").map(String.init)
        guard signedNames.contains("host") else {
            throw ProviderRefusal.xml(400, "AuthorizationQueryParametersError", "The host header must be signed.")
        }
        let canonicalHeaders = SigV4.canonicalHeaders(request.signedHeaderValues(signedNames))
        let canonicalQuery = SigV4.canonicalQueryString(parameters.filter { $0.name != "X-Amz-Signature" })
        let canonicalURI = PercentEncoding.path.encode(request.decodedPath ?? request.path)
        let canonicalRequest = SigV4.canonicalRequest(method: request.method, canonicalURI: canonicalURI, canonicalQueryString: canonicalQuery,
                                                      canonicalHeaders: canonicalHeaders, payloadHash: SigV4.unsignedPayload)
        let scope = SigV4Scope(timestamp: date, region: credential[2], service: "s3")
        let stringToSign = SigV4.stringToSign(canonicalRequest: canonicalRequest, timestamp: date, scope: scope)
        let expected = SigV4.signature(stringToSign: stringToSign, signingKey: SigV4SigningKey(secretAccessKey: secret, scope: scope))
        guard signaturesEqual(expected, value("X-Amz-Signature")!.lowercased()) else {
            throw ProviderRefusal.xml(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                               [("AWSAccessKeyId", credential[0]), ("StringToSign", stringToSign), ("SignatureProvided", value("X-Amz-Signature")!),
                                ("CanonicalRequest", canonicalRequest)])
        }
    }
}
