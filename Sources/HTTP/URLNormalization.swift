import SigningCore

/// Hosts and paths in the one spelling that servers treat alike, for matching URLs against
/// known shapes (never for sending: a URL is always sent as it was given).
public enum URLNormalization {
    /// `host` in lower case without trailing dots (`Content.DropboxAPI.com.` is `content.dropboxapi.com`).
    public static func host<Text: StringProtocol>(_ host: Text) -> String {
        var lowered = host.lowercased()
        while lowered.hasSuffix(".") { lowered.removeLast() }
        return lowered
    }

    /// `path` with escapes of unreserved characters decoded (`%61` is `a`), other escapes in
    /// upper case, and runs of `/` collapsed to one. A malformed escape is kept as written.
    public static func path<Text: StringProtocol>(_ path: Text) -> String {
        let input = Array(path.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            if let decoded = PercentEncoding.escape(in: input, at: index) {
                if PercentEncoding.unreserved.allows(decoded) {
                    out.append(decoded)
                } else {
                    out += "%\(Hex.encode([decoded]).uppercased())".utf8
                }
                index += 3
                continue
            }
            let byte = input[index]
            if !(byte == UInt8(ascii: "/") && out.last == UInt8(ascii: "/")) { out.append(byte) }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The non-empty segments of the normalised `path`.
    public static func segments<Text: StringProtocol>(_ path: Text) -> [Substring] {
        Substring(self.path(path)).split(separator: "/")
    }
}

/// Dropbox links that carry their token in the path: temporary links (`/apitl/1/TOKEN`, and
/// any path on a `dropboxusercontent.com` host) and single-use upload links (`/apitul/1/TOKEN`),
/// recognised in every spelling (host case, trailing dot, `//`, `%61pitul`).
public enum DropboxLinkPath {
    /// What the path says the link is.
    public enum Kind: Sendable, Equatable {
        /// A temporary download link.
        case temporary
        /// A single-use upload link: using it (even to check it) consumes it.
        case upload
    }

    /// The kind of link, and how many leading normalised path segments are not secret (the
    /// marker and its version); `nil` for a URL that is no such link.
    public static func classify(host: String, path: String) -> (kind: Kind, publicSegments: Int)? {
        let host = URLNormalization.host(host)
        let segments = URLNormalization.segments(path).map { $0.lowercased() }
        for (index, segment) in segments.enumerated() where segment == "apitul" || segment == "apitl" {
            let kept = min(index + 2, segments.count)
            return (segment == "apitul" ? .upload : .temporary, kept)
        }
        if host == "content.dropboxapi.com" && segments.first != "2" { return (.upload, 0) }
        if isContentHost(host) { return (.temporary, 0) }
        return nil
    }

    /// Whether `host` (normalised) serves Dropbox file content.
    public static func isContentHost(_ host: String) -> Bool {
        host == "dropboxusercontent.com" || host.hasSuffix(".dropboxusercontent.com")
    }
}
