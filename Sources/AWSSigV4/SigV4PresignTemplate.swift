import SigningCore

/// Everything of a SigV4 query-string presign except the request path, prepared once, so that
/// signing many paths costs one SHA-256 and one HMAC each.
///
/// The canonical request is assembled from the pieces the staged ``SigV4`` functions produce:
/// `METHOD\n` + canonical URI + `\n` + canonical query + `\n` + canonical headers + `\n` +
/// signed headers + `\n` + payload hash. Not thread-safe (it re-uses buffers and an HMAC
/// context): make one per task.
public final class SigV4PresignTemplate {
    /// The scheme and authority emitted in URLs, e.g. `https://bucket.s3.us-east-1.amazonaws.com`.
    public let origin: String
    /// The canonical query string, which is also the emitted URL's query before `X-Amz-Signature`.
    public let canonicalQueryString: String
    /// The canonical headers (the `host` header included).
    public let canonicalHeaders: SigV4.CanonicalHeaders
    /// When URLs made by this template expire.
    public let expiresAt: Timestamp

    private let originBytes: [UInt8]
    private let requestHead: [UInt8]
    private let requestTail: [UInt8]
    private let stringToSignHead: [UInt8]
    private let urlQuery: [UInt8]
    private let hmac: HMACSHA256.Context
    private let sha256 = SHA256.Context()

    /// The canonical request of the last ``sign(canonicalURI:urlPath:appendingURLTo:)`` call.
    public private(set) var lastCanonicalRequest: [UInt8] = []
    /// The string to sign of the last call.
    public private(set) var lastStringToSign: [UInt8] = []
    /// The hex signature of the last call.
    public private(set) var lastSignature: [UInt8] = []

    /// Prepares a template.
    ///
    /// - Parameters:
    ///   - method: the HTTP method, upper case.
    ///   - scheme: `https` or `http`.
    ///   - authority: the host as signed and emitted: lower case, `:port` only when not the default.
    ///   - query: the caller's own query parameters (raw); the `X-Amz-*` ones are added here.
    ///   - headers: headers to sign besides `host`.
    ///   - expiresIn: lifetime in seconds, 1 to 604800.
    ///   - timestamp: the signing time (`X-Amz-Date`).
    ///   - payloadHash: `UNSIGNED-PAYLOAD` for S3, or the hex SHA-256 of the body.
    ///   - signSessionToken: whether `X-Amz-Security-Token` is part of the signed query (S3: yes).
    public init(
        credentials: AWSCredentials, signingKey: SigV4SigningKey, scope: SigV4Scope,
        method: String, scheme: String, authority: String,
        query: [SigV4.QueryParameter], headers: [SigV4.Header],
        expiresIn: Int64, timestamp: Timestamp,
        payloadHash: String = SigV4.unsignedPayload, signSessionToken: Bool = true
    ) throws {
        guard (1...SigV4.maximumExpirySeconds).contains(expiresIn) else {
            throw AWSSigV4Error(code: AWSSigV4Error.invalidExpiry, message: "A presigned URL must live between 1 second and 7 days (604800 s); \(expiresIn) s was asked. Choose --expires 7d or less.")
        }
        for parameter in query where Self.authParameters.contains(parameter.name.lowercased()) {
            throw AWSSigV4Error(code: AWSSigV4Error.invalidQuery, message: "The query parameter '\(parameter.name)' is set by the signer itself. Remove it from --query.")
        }
        let allHeaders = [("host", authority)] + headers
        let canonical = SigV4.canonicalHeaders(allHeaders.map { (name: $0.0, value: $0.1) })
        var parameters = query
        parameters.append(("X-Amz-Algorithm", SigV4.algorithm))
        parameters.append(("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope)"))
        parameters.append(("X-Amz-Date", timestamp.basicISO8601))
        parameters.append(("X-Amz-Expires", String(expiresIn)))
        parameters.append(("X-Amz-SignedHeaders", canonical.signedHeaders))
        if let token = credentials.sessionToken, signSessionToken {
            parameters.append(("X-Amz-Security-Token", token))
        }
        let canonicalQuery = SigV4.canonicalQueryString(parameters)
        var emittedQuery = canonicalQuery
        if let token = credentials.sessionToken, !signSessionToken {
            emittedQuery += "&X-Amz-Security-Token=" + PercentEncoding.unreserved.encode(token)
        }
        origin = "\(scheme)://\(authority)"
        originBytes = Array(origin.utf8)
        canonicalQueryString = canonicalQuery
        canonicalHeaders = canonical
        expiresAt = timestamp.adding(seconds: expiresIn)
        requestHead = Array("\(method)\n".utf8)
        requestTail = Array("\n\(canonicalQuery)\n\(canonical.block)\n\(canonical.signedHeaders)\n\(payloadHash)".utf8)
        stringToSignHead = Array(SigV4.stringToSignPrefix(timestamp: timestamp, scope: scope).utf8)
        urlQuery = Array("?\(emittedQuery)&X-Amz-Signature=".utf8)
        hmac = HMACSHA256.Context(key: signingKey.bytes)
        lastCanonicalRequest.reserveCapacity(requestHead.count + requestTail.count + 256)
        lastStringToSign.reserveCapacity(stringToSignHead.count + 64)
    }

    static let authParameters: Set<String> = [
        "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-expires",
        "x-amz-signedheaders", "x-amz-security-token", "x-amz-signature",
    ]

    /// Signs one request path and appends its URL to `output`.
    ///
    /// - Parameters:
    ///   - canonicalURI: the canonical URI (for S3 the encoded path itself).
    ///   - urlPath: the path as emitted in the URL (for S3 the same bytes).
    public func sign(canonicalURI: [UInt8], urlPath: [UInt8], appendingURLTo output: inout [UInt8]) {
        lastCanonicalRequest.removeAll(keepingCapacity: true)
        lastCanonicalRequest.append(contentsOf: requestHead)
        lastCanonicalRequest.append(contentsOf: canonicalURI)
        lastCanonicalRequest.append(contentsOf: requestTail)

        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digestBuffer in
            let digest = digestBuffer.baseAddress!
            lastCanonicalRequest.withUnsafeBytes { sha256.hash($0, into: digest) }
            lastStringToSign.removeAll(keepingCapacity: true)
            lastStringToSign.append(contentsOf: stringToSignHead)
            Hex.append(UnsafeRawBufferPointer(start: digest, count: 32), to: &lastStringToSign)
            lastStringToSign.withUnsafeBytes { hmac.authenticate($0, into: digest) }
            lastSignature.removeAll(keepingCapacity: true)
            Hex.append(UnsafeRawBufferPointer(start: digest, count: 32), to: &lastSignature)
        }
        output.append(contentsOf: originBytes)
        output.append(contentsOf: urlPath)
        output.append(contentsOf: urlQuery)
        output.append(contentsOf: lastSignature)
    }
}
