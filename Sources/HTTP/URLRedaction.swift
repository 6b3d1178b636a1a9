import SigningCore

/// Hides signatures and tokens in URLs shown in diagnostics (a URL that is a command's result is
/// shown whole; one in an error or a log line is not): the password of user-info (or the whole
/// user-info when it is one word, often a token), tokens in the path (Dropbox links), and
/// secret query values.
public enum URLRedaction {
    /// Query parameter names whose values are secrets or signatures (compared case-insensitively,
    /// after percent-decoding, as servers read them).
    public static let secretParameters: Set<String> = SecretRegistry.secretNames

    /// What a secret is replaced with.
    public static let placeholder = SecretRegistry.placeholder

    /// `url` with every secret replaced by `REDACTED`.
    public static func redact(_ url: String) -> String {
        let fragmentStart = url.firstIndex(of: "#") ?? url.endIndex
        let beforeFragment = url[..<fragmentStart]
        let queryStart = beforeFragment.firstIndex(of: "?") ?? fragmentStart
        var head = String(beforeFragment[..<queryStart])
        if let schemeEnd = head.range(of: "://") {
            let rest = head[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            let authority = redactUserInfo(rest[..<authorityEnd])
            head = String(head[..<schemeEnd.upperBound]) + authority + redactPath(host: authority, path: rest[authorityEnd...])
        }
        guard queryStart < fragmentStart else { return head + url[fragmentStart...] }
        let query = url[url.index(after: queryStart)..<fragmentStart]
        let redacted = query.split(separator: "&", omittingEmptySubsequences: false).map { part -> String in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentEncoding.decode(String(pieces[0])) ?? String(pieces[0])
            guard pieces.count == 2, secretParameters.contains(name.lowercased()) else { return String(part) }
            return "\(pieces[0])=\(placeholder)"
        }
        return head + "?" + redacted.joined(separator: "&") + url[fragmentStart...]
    }

    /// `scheme://host[:port]` of `url` (no user-info), for messages that need no path.
    public static func origin(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return redact(url) }
        let rest = url[schemeEnd.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<end]
        let hostStart = authority.lastIndex(of: "@").map { authority.index(after: $0) } ?? authority.startIndex
        return String(url[..<schemeEnd.upperBound] + authority[hostStart...])
    }

    /// `user:REDACTED@host` for `user:password@host`, `REDACTED@host` for `word@host`.
    static func redactUserInfo(_ authority: Substring) -> String {
        guard let at = authority.lastIndex(of: "@") else { return String(authority) }
        let userInfo = authority[..<at]
        let kept = userInfo.firstIndex(of: ":").map { String(userInfo[...$0]) } ?? ""
        return kept + placeholder + authority[at...]
    }

    /// The path with everything after a Dropbox link's marker (or all of a content host's
    /// path) replaced; other paths as they are.
    static func redactPath(host authority: String, path: Substring) -> String {
        let hostPart = authority.split(separator: "@").last.map(String.init) ?? authority
        let host = hostPart.hasPrefix("[") ? hostPart : String(hostPart.split(separator: ":").first ?? "")
        guard let link = DropboxLinkPath.classify(host: host, path: String(path)) else { return String(path) }
        let kept = URLNormalization.segments(path).prefix(link.publicSegments)
        return "/" + (kept + [Substring(placeholder)]).joined(separator: "/")
    }
}
