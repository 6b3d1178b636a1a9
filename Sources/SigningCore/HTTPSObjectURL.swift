/// An `https://` URL given on the command line to name a storage object (not a signed URL): its
/// host and its path, percent-decoded once, as `docs/CLI.md` rules.
public struct HTTPSObjectURL: Sendable, Equatable {
    /// Why such a URL cannot name an object.
    public enum Refusal: Error, Sendable {
        case queryOrFragment
        case malformedEscape

        /// The reason, as the end of a sentence that starts with the URL.
        public var why: String {
            switch self {
            case .queryOrFragment: "has a query or fragment (is it already signed?)"
            case .malformedEscape: "has a malformed %-escape in its path"
            }
        }
    }

    /// The host in lower case, without a `:443` port.
    public let host: String
    /// The path after the first `/`, percent-decoded once (empty when there is none).
    public let path: String

    /// `nil` when `text` does not start with `https://` (in any case); throws a `Refusal` when it
    /// has a query or fragment or a malformed `%` escape.
    public static func parse(_ text: String) throws(Refusal) -> HTTPSObjectURL? {
        guard text.lowercased().hasPrefix("https://") else { return nil }
        let rest = text.dropFirst("https://".count)
        guard !rest.contains("?"), !rest.contains("#") else { throw .queryOrFragment }
        let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var host = rest[..<hostEnd].lowercased()
        if host.hasSuffix(":443") { host.removeLast(4) }
        guard let path = PercentEncoding.decode(String(rest[hostEnd...].dropFirst())) else { throw .malformedEscape }
        return HTTPSObjectURL(host: host, path: path)
    }

    /// As `parse(_:)`, with every refusal made the caller's error: `fail(reason)`, where the reason
    /// for a text that is not an `https://` URL at all is `notHTTPS`.
    public static func parse<Failure: Error>(_ text: String, notHTTPS: String, fail: (String) -> Failure) throws(Failure) -> HTTPSObjectURL {
        let parsed: HTTPSObjectURL?
        do { parsed = try parse(text) } catch { throw fail(error.why) }
        guard let parsed else { throw fail(notHTTPS) }
        return parsed
    }
}
