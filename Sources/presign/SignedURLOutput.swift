import SigningCore

/// A signed URL as the signing commands print it.
struct SignedURLOutput {
    var provider: String
    var method: String
    var url: String
    /// Headers the client must send, lower-case names, in a stable order.
    var headers: [(name: String, value: String)]
    /// RFC 3339 UTC, or `nil` where the provider does not say.
    var expiresAt: String?
    /// Provider-specific fields appended after the contract fields (already JSON values).
    var extra: [(name: String, json: String)] = []

    /// The `--json` object: contract fields first, in the documented order.
    var json: String {
        var fields = [
            ("provider", JSONText.string(provider)),
            ("method", JSONText.string(method)),
            ("url", JSONText.string(url)),
            ("headers", JSONText.object(headers.map { ($0.name, JSONText.string($0.value)) })),
            ("expiresAt", expiresAt.map(JSONText.string) ?? "null"),
        ]
        fields += extra.map { ($0.name, $0.json) }
        return JSONText.object(fields)
    }

    /// The `--curl` command. `name` (a key, a path, a name a server chose) gives the local file
    /// to write (GET) or upload (PUT, POST), reduced to a safe base name (`LocalFileName`), else
    /// `fallback`.
    ///
    /// curl sends exactly the signed request: `--upload-file` only when the URL's path names a
    /// file (for a path ending in `/` curl would append the local file's name), else the body as
    /// `--data-binary` without curl's form content type; `--path-as-is` when the path has `.` or
    /// `..` segments (curl would remove them); `--globoff` when the URL has `[]{}` (curl would
    /// expand them into several requests).
    func curlCommand(name: String?, fallback: String) -> String {
        let local = LocalFileName.safe(name, fallback: fallback), file = Shell.quote(local)
        let path = Self.path(of: url)
        var words = ["curl", "--fail-with-body"]
        if Self.hasDotSegments(path) { words.append("--path-as-is") }
        if url.contains(where: { "[]{}".contains($0) }) { words.append("--globoff") }
        switch method {
        case "GET": words += ["--output", file]
        case "PUT" where !path.isEmpty && !path.hasSuffix("/"): words += ["--upload-file", file]
        case "PUT", "POST":
            words += ["-X", method, "--data-binary", Shell.quote("@" + local)]
            if !headers.contains(where: { $0.name.lowercased() == "content-type" }) { words += ["-H", Shell.quote("Content-Type:")] }
        case "HEAD": words.append("--head")
        default: words += ["-X", method]
        }
        for header in headers { words += ["-H", Shell.quote("\(header.name): \(header.value)")] }
        words.append(Shell.quote(url))
        return words.joined(separator: " ")
    }

    /// Whether `path` (or a key) has `.` or `..` segments, which most HTTP clients remove.
    static func hasDotSegments<Text: StringProtocol>(_ path: Text) -> Bool {
        path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == "." || $0 == ".." }
    }

    /// The path of `url` as written (no query or fragment; empty when there is none).
    static func path(of url: String) -> Substring {
        let rest = url.range(of: "://").map { url[$0.upperBound...] } ?? url[...]
        let end = rest.firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authorityEnd = rest[..<end].firstIndex(of: "/") ?? end
        return rest[authorityEnd..<end]
    }
}

/// Local file names for `--curl` commands, taken from a key or from a name a server or a file's
/// owner chose (`../../.ssh/authorized_keys`): only a base name that stays in the current
/// directory and cannot be read as an option.
enum LocalFileName {
    /// Used when neither the name nor the fallback is safe.
    static let lastResort = "presign-file"

    /// The last component of `name` (after `/` or `\`) when it is safe: not empty, no leading
    /// `-` or `.`, no control or format characters, at most 255 bytes; else that of `fallback`.
    static func safe(_ name: String?, fallback: String) -> String {
        for candidate in [name, fallback] {
            if let base = candidate?.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last, isSafe(base) { return String(base) }
        }
        return lastResort
    }

    /// Whether `base` can be given to curl as a local file name as it is.
    static func isSafe(_ base: Substring) -> Bool {
        guard let first = base.first, first != "-", first != ".", base.utf8.count <= 255 else { return false }
        return base.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .unassigned, .privateUse, .surrogate: false
            default: true
            }
        }
    }
}

/// POSIX shell quoting.
enum Shell {
    static func quote(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { c in
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || "-_./:=@%+,".unicodeScalars.contains(c))
        }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
