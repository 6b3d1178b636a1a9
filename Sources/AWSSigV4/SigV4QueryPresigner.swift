import SigningCore
import Synchronization

/// A request to presign with SigV4 query-string authentication.
public struct SigV4Request: Sendable {
    /// The HTTP method, e.g. `GET`.
    public var method: String
    /// `https` or `http`.
    public var scheme: String
    /// The host as signed and emitted: lower case, with `:port` only when not the scheme default.
    public var authority: String
    /// The path as emitted in the URL, already percent-encoded.
    public var path: String
    /// The canonical URI when it differs from `path` (generic services); `nil` for S3.
    public var canonicalURI: String?
    /// The caller's query parameters, raw.
    public var query: [SigV4.QueryParameter]
    /// Headers to sign besides `host`.
    public var headers: [SigV4.Header]

    /// Creates a request.
    public init(method: String, scheme: String, authority: String, path: String, canonicalURI: String? = nil,
                query: [SigV4.QueryParameter] = [], headers: [SigV4.Header] = []) {
        self.method = method
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.canonicalURI = canonicalURI
        self.query = query
        self.headers = headers
    }
}

/// A presigned URL with the intermediate strings that produced it.
public struct SigV4PresignedURL: Sendable {
    /// The URL to hand out.
    public let url: String
    /// Headers the client must send for the URL to work (every signed header except `host`),
    /// lower-case names with canonical values, sorted by name.
    public let requiredHeaders: [(name: String, value: String)]
    /// The signed header names, sorted.
    public let signedHeaders: [String]
    /// When the URL stops working.
    public let expiresAt: Timestamp
    /// Stage 1: the canonical request.
    public let canonicalRequest: String
    /// Stage 2: the string to sign.
    public let stringToSign: String
    /// Stage 4: the hex signature.
    public let signature: String
}

/// Signs requests with SigV4 query-string authentication (presigned URLs).
///
/// A value type that does no I/O and never reads the clock. The derived signing key is cached
/// per (date, region, service) and shared by copies of the presigner.
public struct SigV4QueryPresigner: Sendable {
    /// The credentials that sign.
    public let credentials: AWSCredentials
    /// The signing region.
    public let region: String
    /// The signing service (`s3` for S3).
    public let service: String
    private let keys: SigningKeyCache

    /// Creates a presigner.
    public init(credentials: AWSCredentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.keys = SigningKeyCache(secretAccessKey: credentials.secretAccessKey)
    }

    /// The signing key for requests made at `timestamp`, derived once per date stamp.
    public func signingKey(for timestamp: Timestamp) -> (SigV4SigningKey, SigV4Scope) {
        let scope = SigV4Scope(timestamp: timestamp, region: region, service: service)
        return (keys.key(for: scope), scope)
    }

    /// Prepares a template that signs many paths that share everything else.
    public func template(
        method: String, scheme: String, authority: String,
        query: [SigV4.QueryParameter] = [], headers: [SigV4.Header] = [],
        expiresIn: Int64, at timestamp: Timestamp,
        payloadHash: String = SigV4.unsignedPayload, signSessionToken: Bool = true
    ) throws -> SigV4PresignTemplate {
        let (key, scope) = signingKey(for: timestamp)
        return try SigV4PresignTemplate(
            credentials: credentials, signingKey: key, scope: scope, method: method, scheme: scheme,
            authority: authority, query: query, headers: headers, expiresIn: expiresIn,
            timestamp: timestamp, payloadHash: payloadHash, signSessionToken: signSessionToken)
    }

    /// Presigns one request.
    public func presign(
        _ request: SigV4Request, expiresIn: Int64, at timestamp: Timestamp,
        payloadHash: String = SigV4.unsignedPayload, signSessionToken: Bool = true
    ) throws -> SigV4PresignedURL {
        let template = try template(
            method: request.method, scheme: request.scheme, authority: request.authority,
            query: request.query, headers: request.headers, expiresIn: expiresIn, at: timestamp,
            payloadHash: payloadHash, signSessionToken: signSessionToken)
        var url: [UInt8] = []
        template.sign(canonicalURI: Array((request.canonicalURI ?? request.path).utf8),
                      urlPath: Array(request.path.utf8), appendingURLTo: &url)
        let canonical = template.canonicalHeaders
        return SigV4PresignedURL(
            url: String(decoding: url, as: UTF8.self),
            requiredHeaders: canonical.names.filter { $0 != "host" }.map { (name: $0, value: canonical.values[$0]!) },
            signedHeaders: canonical.names,
            expiresAt: template.expiresAt,
            canonicalRequest: String(decoding: template.lastCanonicalRequest, as: UTF8.self),
            stringToSign: String(decoding: template.lastStringToSign, as: UTF8.self),
            signature: String(decoding: template.lastSignature, as: UTF8.self))
    }
}

/// Derived signing keys by scope, for one secret; a handful of scopes at most are kept.
final class SigningKeyCache: Sendable {
    private let secretAccessKey: String
    private let keys = Mutex<[SigV4Scope: SigV4SigningKey]>([:])

    init(secretAccessKey: String) { self.secretAccessKey = secretAccessKey }

    func key(for scope: SigV4Scope) -> SigV4SigningKey {
        if let cached = keys.withLock({ $0[scope] }) { return cached }
        let derived = SigV4SigningKey(secretAccessKey: secretAccessKey, scope: scope)
        keys.withLock { cache in
            if cache.count >= 8 { cache.removeAll() }
            cache[scope] = derived
        }
        return derived
    }
}
