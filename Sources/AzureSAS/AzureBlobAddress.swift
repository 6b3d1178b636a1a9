import SigningCore

/// A blob or container location: the blob endpoint, and the decoded container and blob names.
public struct AzureBlobAddress: Sendable, Equatable {
    /// `https://ACCOUNT.blob.core.windows.net` or an emulator-style `http://127.0.0.1:10000/ACCOUNT`.
    public var endpoint: String
    public var account: String
    public var container: String
    /// The decoded blob name; `nil` for a container.
    public var blob: String?

    /// Creates an address.
    public init(endpoint: String, account: String, container: String, blob: String?) {
        self.endpoint = endpoint
        self.account = account
        self.container = container
        self.blob = blob
    }

    /// Parses `az://ACCOUNT/CONTAINER[/BLOB]` (names taken literally) or an `http(s)` URL whose
    /// path is percent-decoded once: `https://ACCOUNT.blob.core.windows.net/CONTAINER/BLOB`, or an
    /// emulator-style `http://HOST:PORT/ACCOUNT/CONTAINER/BLOB`. `endpoint` overrides the origin.
    public static func parse(_ text: String, endpoint override: String? = nil) throws -> AzureBlobAddress {
        func fail(_ why: String) -> AzureSASError {
            AzureSASError(code: "invalid-target", message: "'\(text)' \(why). Give az://ACCOUNT/CONTAINER/BLOB or https://ACCOUNT.blob.core.windows.net/CONTAINER/BLOB.")
        }
        let account: String, container: String, blob: String?, endpoint: String
        if text.hasPrefix("az://") {
            let parts = text.dropFirst(5).split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw fail("names no account and container") }
            account = parts[0]
            container = parts[1]
            blob = parts.count > 2 && !parts[2].isEmpty ? parts[2] : nil
            endpoint = override ?? "https://\(account).blob.core.windows.net"
        } else if text.hasPrefix("https://") || text.hasPrefix("http://") {
            guard !text.contains("?") else { throw fail("already has a query; give the blob URL without a SAS") }
            let schemeEnd = text.range(of: "://")!.upperBound
            let rest = text[schemeEnd...]
            let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            let origin = String(text[..<hostEnd])
            let host = String(rest[..<hostEnd]).lowercased()
            guard let path = PercentEncoding.decode(String(rest[hostEnd...])) else { throw fail("has a malformed %-escape in its path") }
            var segments = path.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false).dropFirst().map(String.init)
            if let dot = host.firstIndex(of: "."), host.contains(".blob.") {
                account = String(host[..<dot])
                endpoint = override ?? origin
            } else {
                guard let first = segments.first, !first.isEmpty else { throw fail("has no account in its path (emulator-style URLs are http://HOST:PORT/ACCOUNT/CONTAINER/BLOB)") }
                account = first
                segments = Array(segments.dropFirst().joined(separator: "/").split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init))
                endpoint = override ?? "\(origin)/\(account)"
            }
            guard let first = segments.first, !first.isEmpty else { throw fail("names no container") }
            container = first
            blob = segments.count > 1 && !segments[1].isEmpty ? segments[1] : nil
        } else {
            throw fail("is not an az:// or http(s):// location")
        }
        try validate(account: account, container: container, blob: blob)
        return AzureBlobAddress(endpoint: endpoint.trimmingSuffix("/"), account: account, container: container, blob: blob)
    }

    /// Azure's naming rules for accounts (3–24 lower-case letters and digits), containers
    /// (3–63 of lower-case letters, digits and single hyphens, `$root`, `$web`, `$logs`) and blobs (1–1024 characters).
    public static func validate(account: String, container: String, blob: String?) throws {
        guard (3...24).contains(account.count), account.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber) }) else {
            throw AzureSASError(code: "invalid-account", message: "'\(account)' is not a storage account name: 3 to 24 lower-case letters and digits.")
        }
        let special = ["$root", "$web", "$logs"].contains(container)
        guard special || (3...63).contains(container.count) && container.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") })
                && container.first != "-" && container.last != "-" && !container.contains("--")
        else {
            throw AzureSASError(code: "invalid-container", message: "'\(container)' is not a container name: 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.")
        }
        if let blob, blob.count > 1024 || blob.isEmpty {
            throw AzureSASError(code: "invalid-blob", message: "A blob name is 1 to 1024 characters; this one has \(blob.count).")
        }
    }

    /// The URL of the blob (or container) with `token` as its query, after any `leadingQuery`
    /// (`snapshot=`/`versionid=`, placed first as the SDK's blob client does).
    public func url(token: String, leadingQuery: [(String, String)] = []) -> String {
        let path = "/\(container)" + (blob.map { "/" + PercentEncoding.path.encode($0) } ?? "")
        let leading = leadingQuery.map { "\($0.0)=\(Self.queryValue.encode($0.1))&" }.joined()
        return endpoint + path + "?" + leading + token
    }

    /// Snapshot times and version ids keep their `:` (RFC 3986 allows it in a query).
    private static let queryValue = PercentEncoding(allowing: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:")
}
