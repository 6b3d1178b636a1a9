/// How the bucket appears in an S3 URL.
public enum S3AddressingStyle: String, Sendable, CaseIterable {
    /// Virtual-hosted on AWS when the bucket name allows it, path style on custom endpoints.
    case automatic
    /// `https://HOST/BUCKET/KEY`.
    case path
    /// `https://BUCKET.HOST/KEY`.
    case virtualHosted
}

/// The scheme and authority of an S3-compatible service (MinIO, R2, a local server).
public struct S3Endpoint: Sendable, Equatable {
    /// `http` or `https`.
    public let scheme: String
    /// The lower-case host name or IP literal (IPv6 in brackets).
    public let host: String
    /// The port, `nil` when it is the scheme's default.
    public let port: Int?

    /// The host as signed and emitted: `host` or `host:port`.
    public var authority: String { port.map { "\(host):\($0)" } ?? host }

    /// Parses `scheme://host[:port][/]`; a default port is dropped. Throws `invalid-endpoint`.
    public init(parsing text: String) throws {
        func fail(_ why: String) -> AWSSigV4Error {
            AWSSigV4Error(code: AWSSigV4Error.invalidEndpoint, message: "The endpoint '\(text)' \(why). Give it as scheme://host[:port], e.g. http://127.0.0.1:9000 or https://s3.example.com.")
        }
        let lowered = text.lowercased()
        let scheme: String
        if lowered.hasPrefix("https://") { scheme = "https" } else if lowered.hasPrefix("http://") { scheme = "http" } else {
            throw fail("does not start with http:// or https://")
        }
        var rest = Substring(lowered.dropFirst(scheme.count + 3))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/") else { throw fail("has a path, which S3 endpoints cannot have") }
        guard !rest.contains("?"), !rest.contains("#"), !rest.contains("@") else { throw fail("has a query, fragment or user name") }
        var host = rest
        var port: Int?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("]") {
            guard let value = Int(rest[rest.index(after: colon)...]), (1...65535).contains(value) else {
                throw fail("has a port that is not a number from 1 to 65535")
            }
            host = rest[..<colon]
            port = value
        }
        guard !host.isEmpty, host.utf8.allSatisfy({ Self.hostBytes.contains($0) }) else {
            throw fail("has no host, or a host with characters a host name cannot have")
        }
        let defaultPort = scheme == "https" ? 443 : 80
        self.scheme = scheme
        self.host = String(host)
        self.port = port == defaultPort ? nil : port
    }

    /// Creates an endpoint from parts; `port` is dropped when it is the scheme's default.
    public init(scheme: String, host: String, port: Int? = nil) {
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port == (scheme == "https" ? 443 : 80) ? nil : port
    }

    private static let hostBytes = Set(Array("abcdefghijklmnopqrstuvwxyz0123456789.-_[]:".utf8))
}

/// S3 bucket-name rules that decide addressing.
public enum S3BucketName {
    /// Throws `invalid-bucket` unless `name` could be an S3 bucket at all (3 to 255 of
    /// `A–Z a–z 0–9 . - _`, the legacy us-east-1 rule; newer buckets are stricter).
    public static func validate(_ name: String) throws {
        guard (3...255).contains(name.utf8.count),
              name.utf8.allSatisfy({ allowed.contains($0) })
        else {
            throw AWSSigV4Error(code: AWSSigV4Error.invalidBucket, message: "'\(name)' is not an S3 bucket name: it must be 3 to 63 characters of lower-case letters, digits, '.' and '-' (older buckets may also have upper case and '_'). Check the s3://BUCKET/KEY argument.")
        }
    }

    /// Whether `name` can be a virtual host label under TLS: 3–63 of `a–z 0–9 -`, starting and
    /// ending with a letter or digit, and no dots (a dot breaks the wildcard certificate).
    public static func isVirtualHostCompatible(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count), bytes.allSatisfy({ dnsLabel.contains($0) }),
              bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-")
        else { return false }
        return true
    }

    private static let allowed = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_".utf8))
    private static let dnsLabel = Set(Array("abcdefghijklmnopqrstuvwxyz0123456789-".utf8))
}
