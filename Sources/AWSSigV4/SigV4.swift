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
    public typealias Header = (name: String, value: String)
    /// One query parameter, raw (not percent-encoded).
    public typealias QueryParameter = (name: String, value: String)

    // MARK: Canonical request pieces

    /// The canonical query string: names and values `UriEncode`d separately, sorted by encoded
    /// name and then encoded value in byte order, joined with `&` (a valueless name gives `name=`).
    public static func canonicalQueryString(_ parameters: [QueryParameter]) -> String {
        let encoded = parameters.map {
            (PercentEncoding.unreserved.encode($0.name), PercentEncoding.unreserved.encode($0.value))
        }
        let sorted = encoded.sorted { lhs, rhs in
            if lhs.0 != rhs.0 { return lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8) }
            return lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
        }
        return sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Canonical headers and the signed-headers list.
    public struct CanonicalHeaders: Sendable, Equatable {
        /// `name:value\n` for each header, sorted by lower-case name (so it ends with `\n`).
        public let block: String
        /// The sorted lower-case names joined with `;`.
        public let signedHeaders: String
        /// The sorted lower-case names.
        public let names: [String]
        /// Canonical values by lower-case name (repeated headers joined with `,`).
        public let values: [String: String]
    }

    /// Canonicalises headers: names lower-cased, values trimmed with inner white-space runs folded
    /// to one space, repeated names joined with `,` in the order given, sorted by name.
    public static func canonicalHeaders(_ headers: [Header]) -> CanonicalHeaders {
        var values: [String: [String]] = [:]
        for header in headers {
            let name = String(header.name.trimmingASCIIWhitespace().lowercased())
            values[name, default: []].append(foldWhitespace(header.value))
        }
        let names = values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let joined = values.mapValues { $0.joined(separator: ",") }
        let block = names.map { "\($0):\(joined[$0]!)\n" }.joined()
        return CanonicalHeaders(block: block, signedHeaders: names.joined(separator: ";"), names: names, values: joined)
    }

    /// The canonical request: method, URI, query, headers, signed headers and payload hash, one per line.
    public static func canonicalRequest(
        method: String, canonicalURI: String, canonicalQueryString: String,
        canonicalHeaders: CanonicalHeaders, payloadHash: String
    ) -> String {
        "\(method)\n\(canonicalURI)\n\(canonicalQueryString)\n\(canonicalHeaders.block)\n\(canonicalHeaders.signedHeaders)\n\(payloadHash)"
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

    /// S3's canonical URI for an object key: `UriEncode` once with `/` kept, never normalised
    /// (`a//b`, `./`, `../` and a leading `/` stay as they are).
    public static func s3CanonicalPath(bucket: String?, key: String) -> String {
        let encodedKey = PercentEncoding.path.encode(key)
        if let bucket { return "/\(PercentEncoding.path.encode(bucket))/\(encodedKey)" }
        return "/\(encodedKey)"
    }

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

    static func foldWhitespace(_ value: String) -> String {
        var out: [UInt8] = []
        var pendingSpace = false
        for byte in value.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    func trimmingASCIIWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}
