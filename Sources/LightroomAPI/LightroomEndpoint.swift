import HTTP
import SigningCore
import URLCheck

/// The Lightroom API's job endpoints (`POST /lrService/...`).
public enum LightroomEndpoint: String, CaseIterable, Sendable {
    case autoTone, autoStraighten, presets, xmp, edit

    /// The path under the API base.
    public var path: String { "/lrService/\(rawValue)" }

    /// Whether `inputs` is `{source: {...}}` (presets, xmp, edit) rather than flat `{href, storage}`.
    var nestsSource: Bool { self == .presets || self == .xmp || self == .edit }
}

/// Where the service reads or writes a file, as the job body names it.
public enum LightroomStorage: String, CaseIterable, Sendable {
    case external, azure, dropbox

    /// Azure Blob SAS URLs are `azure`, Dropbox temporary links `dropbox`, every other signed or
    /// public URL (S3, GCS, Drive, ...) `external`: the provider `presign inspect` recognises.
    public static func inferred(from url: String) -> LightroomStorage {
        switch URLInspector(now: Timestamp(secondsSince1970: 0)).inspect(url).provider {
        case "azure": .azure
        case "dropbox": .dropbox
        default: .external
        }
    }
}

/// The output file types the API writes.
public enum LightroomOutputType: String, CaseIterable, Sendable {
    case jpeg = "image/jpeg", dng = "image/x-adobe-dng", png = "image/png", xmp = "application/rdf+xml"

    /// From the file extension (`.jpg`, `.jpeg`, `.dng`, `.png`, `.xmp`) of the URL's path, or of
    /// the Dropbox path a link made by `presign dropbox` names (``DropboxLinkLabel``), else `nil`
    /// (a Dropbox link without that label: its last segment is a token, not a file name).
    public static func inferred(from url: String) -> LightroomOutputType? {
        let path: String
        if let dropboxPath = DropboxLinkLabel.path(in: url) {
            path = dropboxPath
        } else {
            let parsed = ParsedURL(url)
            guard DropboxLinkPath.classify(host: parsed.host, path: parsed.path) == nil else { return nil }
            path = String(url.prefix { $0 != "?" && $0 != "#" })
        }
        let file = (PercentEncoding.decode(path) ?? path).split(separator: "/").last.map { $0.lowercased() } ?? ""
        let ext = file.split(separator: ".").count > 1 ? String(file.split(separator: ".").last!) : ""
        switch ext {
        case "jpg", "jpeg": return .jpeg
        case "dng": return .dng
        case "png": return .png
        case "xmp": return .xmp
        default: return nil
        }
    }
}
