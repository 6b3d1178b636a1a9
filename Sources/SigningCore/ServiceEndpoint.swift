/// The scheme and authority of a storage service endpoint (an S3-compatible server, a GCS
/// emulator, ...): no path, the default port dropped.
public struct ServiceEndpoint: Sendable, Equatable {
    /// `http` or `https`.
    public let scheme: String
    /// The lower-case host name or IP literal (IPv6 in brackets).
    public let host: String
    /// The port, `nil` when it is the scheme's default.
    public let port: Int?

    /// The host as signed and emitted: `host` or `host:port`.
    public var authority: String { port.map { "\(host):\($0)" } ?? host }

    /// Whether the host is an IP literal (`127.0.0.1`, `[::1]`), which cannot take a bucket label.
    /// A host whose last label is all digits is one: no top-level domain is numeric.
    public var isIPAddress: Bool {
        if host.hasPrefix("[") { return true }
        guard let last = host.split(separator: ".").last else { return false }
        return last.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Parses `scheme://host[:port][/]`; a default port is dropped. Throws `invalid-endpoint`.
    public init(parsing text: String) throws {
        func fail(_ why: String) -> SigningError {
            SigningError(code: "invalid-endpoint", message: "The endpoint '\(text)' \(why). Give it as scheme://host[:port], e.g. http://127.0.0.1:9000 or https://storage.example.com.")
        }
        let lowered = text.lowercased()
        let scheme: String
        if lowered.hasPrefix("https://") { scheme = "https" } else if lowered.hasPrefix("http://") { scheme = "http" } else {
            throw fail("does not start with http:// or https://")
        }
        var rest = Substring(lowered.dropFirst(scheme.count + 3))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/") else { throw fail("has a path, which an endpoint cannot have") }
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
