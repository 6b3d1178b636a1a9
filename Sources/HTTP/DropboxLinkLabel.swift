import SigningCore

/// The Dropbox path that `presign dropbox` writes after a link it makes, as a URL fragment
/// (`…/apitul/1/TOKEN#path=/Lightroom/out/cat.jpg`). A fragment is never sent to a server (curl,
/// browsers and this project's client drop it), so the link works as before, and other commands
/// can tell the file's name (e.g. the output type of a Lightroom job) from a link that otherwise
/// carries none.
public enum DropboxLinkLabel {
    static let marker = "#path="

    /// `link` with `path` appended as its fragment (percent-encoded, `/` kept).
    public static func labelled(_ link: String, path: String) -> String {
        unlabelled(link) + marker + PercentEncoding.path.encode(path)
    }

    /// The Dropbox path a labelled link names, or `nil` when it carries none.
    public static func path(in url: String) -> String? {
        guard let range = url.range(of: marker) else { return nil }
        let encoded = String(url[range.upperBound...])
        let path = PercentEncoding.decode(encoded) ?? encoded
        return path.isEmpty ? nil : path
    }

    /// `url` without the label: what to hand to a service that may keep the fragment.
    public static func unlabelled(_ url: String) -> String {
        url.range(of: marker).map { String(url[..<$0.lowerBound]) } ?? url
    }
}
