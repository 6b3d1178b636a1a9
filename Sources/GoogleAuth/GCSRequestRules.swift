import SigningCore

/// GCS naming, method and expiry rules, and where a request's URL points.
enum GCSRequestRules {
    static let methods: Set<String> = ["GET", "PUT", "HEAD", "DELETE", "POST"]
    static let reservedQuery: Set<String> = ["x-goog-algorithm", "x-goog-credential", "x-goog-date", "x-goog-expires", "x-goog-signedheaders", "x-goog-signature"]

    static func validate(_ request: GCSURLRequest) throws {
        func fail(_ code: String, _ message: String) -> GoogleAuthError { GoogleAuthError(code: code, message: message) }
        guard (1...GCSV4Signer.maximumExpirySeconds).contains(request.expiresIn) else {
            throw fail("invalid-expiry", "A GCS signed URL lives between 1 second and 7 days (604800 s); \(request.expiresIn) s was asked. Choose --expires 7d or less.")
        }
        guard methods.contains(request.method) else {
            throw fail("invalid-method", "GCS signed URLs are for GET, PUT, HEAD, DELETE or POST (resumable start), not \(request.method).")
        }
        let bucket = request.bucket
        guard (3...222).contains(bucket.count),
              bucket.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || "-_.".contains($0)) }),
              bucket.first.map({ $0.isLetter || $0.isNumber }) == true, bucket.last.map({ $0.isLetter || $0.isNumber }) == true
        else {
            throw fail("invalid-bucket", "'\(bucket)' is not a GCS bucket name: 3 to 63 characters (222 with dots) of lower-case letters, digits, '-', '_' and '.', starting and ending with a letter or digit.")
        }
        if let object = request.object {
            guard !object.isEmpty, object.utf8.count <= 1024, !object.contains("\r"), !object.contains("\n") else {
                throw fail("invalid-object", "A GCS object name is 1 to 1024 bytes of UTF-8 without line breaks.")
            }
        }
        if case .bucketBoundHostname(let host) = request.style, host.isEmpty || host.contains("/") {
            throw fail("invalid-hostname", "The bucket-bound hostname must be a host name such as cdn.example.com, not '\(host)'.")
        }
        for parameter in request.query where reservedQuery.contains(parameter.name.lowercased()) {
            throw fail("invalid-query", "The query parameter '\(parameter.name)' is set by the signer itself. Remove it from --query.")
        }
        for header in request.headers {
            if header.name.lowercased() == "host" {
                throw fail("invalid-header", "The host header is set from the URL; remove it from --header.")
            }
            guard header.value.unicodeScalars.allSatisfy({ $0.isASCII && ($0.value >= 0x20 || $0 == "\t") }) else {
                throw fail("invalid-header", "The value of header '\(header.name)' has non-ASCII or control characters, which HTTP headers cannot carry reliably. Percent-encode it or leave it out.")
            }
        }
    }

    /// The URL origin, the host as signed, and the canonical (and emitted) path.
    static func location(_ request: GCSURLRequest) -> (origin: String, signedHost: String, path: String) {
        let objectPath = request.object.map { "/" + PercentEncoding.path.encode($0) } ?? ""
        let scheme = request.endpoint?.scheme ?? request.scheme
        let base = request.endpoint ?? ServiceEndpoint(scheme: scheme, host: "storage.\(request.universeDomain)")
        let authority: String, path: String, hostOnly: String
        switch request.style {
        case .path:
            authority = base.authority
            hostOnly = base.host
            path = "/" + PercentEncoding.path.encode(request.bucket) + objectPath
        case .virtualHosted:
            authority = "\(request.bucket).\(base.authority)"
            hostOnly = "\(request.bucket).\(base.host)"
            path = objectPath.isEmpty ? "/" : objectPath
        case .bucketBoundHostname(let host):
            // The scheme's default port never appears in the URL or the signed host.
            let bound = (try? ServiceEndpoint(parsing: "\(scheme)://\(host)")) ?? ServiceEndpoint(scheme: scheme, host: host)
            authority = bound.authority
            hostOnly = bound.host
            path = objectPath.isEmpty ? "/" : objectPath
        }
        return ("\(scheme)://\(authority)", request.omitPortFromSignedHost ? hostOnly : authority, path)
    }
}
