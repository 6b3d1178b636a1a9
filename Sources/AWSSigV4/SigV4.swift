import SigningCore

/// The stages of AWS Signature Version 4, each a function that tests can call on its own.
///
/// Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
/// and, for S3 query-string authentication,
/// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
public enum SigV4 {
    /// The algorithm name of the query parameter `X-Amz-Algorithm`.
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The payload hash of S3 presigned URLs.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// The longest lifetime of a presigned URL, in seconds (7 days).
    public static let maximumExpirySeconds: Int64 = 604_800

    /// One header line as given by the caller (any case, untrimmed).
    public typealias Header = CanonicalHTTP.Header
    /// One query parameter, raw (not percent-encoded).
    public typealias QueryParameter = CanonicalHTTP.QueryParameter
    /// Canonical headers and the signed-headers list.
    public typealias CanonicalHeaders = CanonicalHTTP.Headers

    // MARK: Canonical request pieces (shared with Google's V4 signing, in SigningCore)

    /// The canonical query string (see ``CanonicalHTTP/queryString(_:)``).
    public static func canonicalQueryString(_ parameters: [QueryParameter]) -> String {
        CanonicalHTTP.queryString(parameters)
    }

    /// Canonical headers (see ``CanonicalHTTP/headers(_:)``).
    public static func canonicalHeaders(_ headers: [Header]) -> CanonicalHeaders {
        CanonicalHTTP.headers(headers)
    }

    /// The canonical request: method, URI, query, headers, signed headers and payload hash, one per line.
    public static func canonicalRequest(
        method: String, canonicalURI: String, canonicalQueryString: String,
        canonicalHeaders: CanonicalHeaders, payloadHash: String
    ) -> String {
        CanonicalHTTP.request(method: method, canonicalURI: canonicalURI, canonicalQueryString: canonicalQueryString,
                              headers: canonicalHeaders, payloadHash: payloadHash)
    }

    /// The string to sign: algorithm, `X-Amz-Date`, scope and the hex SHA-256 of the canonical request.
    public static func stringToSign(canonicalRequest: String, timestamp: Timestamp, scope: SigV4Scope) -> String {
        "\(stringToSignPrefix(timestamp: timestamp, scope: scope))\(SHA256.hexDigest(canonicalRequest))"
    }

    /// Everything in the string to sign before the canonical request's hash.
    static func stringToSignPrefix(timestamp: Timestamp, scope: SigV4Scope) -> String {
        "\(algorithm)\n\(timestamp.basicISO8601)\n\(scope)\n"
    }

    /// The signature: lower-case hex HMAC-SHA256 of the string to sign with the derived key.
    public static func signature(stringToSign: String, signingKey: SigV4SigningKey) -> String {
        Hex.encode(HMACSHA256(key: signingKey.bytes).authenticate(stringToSign))
    }

    // MARK: Canonical URI

    /// The canonical URI of non-S3 services: the request path (as sent, possibly already
    /// percent-encoded) with dot segments removed and empty segments collapsed when `normalize`
    /// is true, then `UriEncode`d again with `/` kept (so `%3A` becomes `%253A`).
    public static func genericCanonicalURI(requestPath: String, normalize: Bool) -> String {
        let path = normalize ? normalizedPath(requestPath) : requestPath
        return PercentEncoding.path.encode(path.isEmpty ? "/" : path)
    }

    /// RFC 3986 dot-segment removal plus collapsing of empty segments, keeping a trailing slash.
    static func normalizedPath(_ path: String) -> String {
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = output.popLast()
            default: output.append(segment)
            }
        }
        var result = "/" + output.joined(separator: "/")
        if result != "/" && (path.hasSuffix("/") || path.hasSuffix("/.") || path.hasSuffix("/..")) { result += "/" }
        return result
    }
}
