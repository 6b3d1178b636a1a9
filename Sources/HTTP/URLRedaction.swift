/// Hides signatures and tokens in URLs shown in diagnostics (a URL that is a command's result is
/// shown whole; one in an error or a log line is not).
public enum URLRedaction {
    /// Query parameter names whose values are secrets or signatures (compared case-insensitively).
    public static let secretParameters: Set<String> = [
        "x-amz-signature", "x-amz-security-token", "x-goog-signature", "sig", "signature",
        "access_token", "token", "code", "client_secret", "x-amz-credential-secret",
    ]

    /// `url` with every secret query value replaced by `REDACTED`.
    public static func redact(_ url: String) -> String {
        guard let question = url.firstIndex(of: "?") else { return url }
        let fragmentStart = url[question...].firstIndex(of: "#") ?? url.endIndex
        let query = url[url.index(after: question)..<fragmentStart]
        let redacted = query.split(separator: "&", omittingEmptySubsequences: false).map { part -> String in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2, secretParameters.contains(pieces[0].lowercased()) else { return String(part) }
            return "\(pieces[0])=REDACTED"
        }
        return String(url[...question]) + redacted.joined(separator: "&") + String(url[fragmentStart...])
    }

    /// `scheme://host[:port]` of `url`, for messages that need no path.
    public static func origin(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return redact(url) }
        let rest = url[schemeEnd.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        return String(url[..<end])
    }
}
