import SigningCore

/// What signs GCS V4 URLs: a service-account key (`GOOG4-RSA-SHA256`) or an HMAC key (`GOOG4-HMAC-SHA256`).
public enum GCSCredential: Sendable {
    case serviceAccount(email: String, key: RSAPrivateKey)
    /// An HMAC access id and its secret (used as text, not decoded).
    case hmac(accessID: String, secret: String)

    var algorithm: String {
        switch self {
        case .serviceAccount: "GOOG4-RSA-SHA256"
        case .hmac: "GOOG4-HMAC-SHA256"
        }
    }

    var credentialID: String {
        switch self {
        case .serviceAccount(let email, _): email
        case .hmac(let accessID, _): accessID
        }
    }
}

/// How the bucket appears in a GCS URL.
public enum GCSURLStyle: Sendable, Equatable {
    /// `https://storage.googleapis.com/BUCKET/OBJECT`.
    case path
    /// `https://BUCKET.storage.googleapis.com/OBJECT`.
    case virtualHosted
    /// A CNAME or load balancer: `https://HOST/OBJECT`.
    case bucketBoundHostname(String)
}

/// A GCS object (or bucket) URL to sign.
public struct GCSURLRequest: Sendable {
    public var bucket: String
    /// `nil` for a bucket-level URL (e.g. listing).
    public var object: String?
    /// GET, PUT, HEAD, DELETE or POST (POST only to start a resumable upload).
    public var method: String
    public var expiresIn: Int64
    /// Headers to sign (the client must send them), e.g. `content-type`, `x-goog-resumable: start`.
    public var headers: [CanonicalHTTP.Header] = []
    /// Extra query parameters to sign, raw.
    public var query: [CanonicalHTTP.QueryParameter] = []
    public var style: GCSURLStyle = .path
    /// `https` or `http`, unless `endpoint` sets it.
    public var scheme = "https"
    /// A custom endpoint (an emulator, a private endpoint); its scheme and port win.
    public var endpoint: ServiceEndpoint?
    /// `storage.<universeDomain>` is the default host.
    public var universeDomain = "googleapis.com"
    /// Sign `host` without the port even when it is not the default, as Google's conformance tests
    /// do for `localhost:8080` (a real server checks the Host header sent, which has the port).
    public var omitPortFromSignedHost = false

    /// Creates a request.
    public init(bucket: String, object: String?, method: String = "GET", expiresIn: Int64 = 3600) {
        self.bucket = bucket
        self.object = object
        self.method = method
        self.expiresIn = expiresIn
    }
}

/// A signed GCS URL with the intermediate strings that produced it.
public struct GCSSignedURL: Sendable {
    public let url: String
    public let method: String
    /// Every signed header except `host`, canonical, sorted by name.
    public let requiredHeaders: [(name: String, value: String)]
    public let expiresAt: Timestamp
    public let canonicalRequest: String
    public let stringToSign: String
    /// Lower-case hex.
    public let signature: String
}

/// Signs GCS V4 URLs (https://cloud.google.com/storage/docs/access-control/signing-urls-manually).
/// A value type with no I/O; the signing time is a parameter.
public struct GCSV4Signer: Sendable {
    /// The longest lifetime GCS accepts, in seconds (7 days).
    public static let maximumExpirySeconds: Int64 = 604_800
    public let credential: GCSCredential

    /// Creates a signer.
    public init(credential: GCSCredential) { self.credential = credential }

    /// Signs `request` as of `timestamp`.
    public func sign(_ request: GCSURLRequest, at timestamp: Timestamp) throws -> GCSSignedURL {
        try GCSRequestRules.validate(request)
        let (origin, signedHost, path) = GCSRequestRules.location(request)
        let scope = "\(timestamp.dateStamp)/auto/storage/goog4_request"
        let headers = CanonicalHTTP.headers([(name: "host", value: signedHost)] + request.headers)
        var query = request.query
        query += [
            ("X-Goog-Algorithm", credential.algorithm), ("X-Goog-Credential", "\(credential.credentialID)/\(scope)"),
            ("X-Goog-Date", timestamp.basicISO8601), ("X-Goog-Expires", String(request.expiresIn)),
            ("X-Goog-SignedHeaders", headers.signedHeaders),
        ]
        let canonicalQuery = CanonicalHTTP.queryString(query)
        let payload = headers.values["x-goog-content-sha256"] ?? "UNSIGNED-PAYLOAD"
        let canonicalRequest = CanonicalHTTP.request(method: request.method, canonicalURI: path, canonicalQueryString: canonicalQuery,
                                                     headers: headers, payloadHash: payload)
        let stringToSign = "\(credential.algorithm)\n\(timestamp.basicISO8601)\n\(scope)\n\(SHA256.hexDigest(canonicalRequest))"
        let signature: String
        switch credential {
        case .serviceAccount(_, let key):
            signature = Hex.encode(try key.signSHA256(stringToSign))
        case .hmac(_, let secret):
            let key = V4KeyDerivation.signingKey(prefix: "GOOG4", secret: secret, date: timestamp.dateStamp, region: "auto",
                                                 service: "storage", terminator: "goog4_request")
            signature = Hex.encode(HMACSHA256(key: key).authenticate(stringToSign))
        }
        return GCSSignedURL(
            url: "\(origin)\(path)?\(canonicalQuery)&X-Goog-Signature=\(signature)", method: request.method,
            requiredHeaders: headers.names.filter { $0 != "host" }.map { (name: $0, value: headers.values[$0]!) },
            expiresAt: timestamp.adding(seconds: request.expiresIn), canonicalRequest: canonicalRequest,
            stringToSign: stringToSign, signature: signature)
    }
}
