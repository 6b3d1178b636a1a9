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

    /// The `--curl` command; `file` is the local file to write (GET) or upload (PUT, POST).
    func curlCommand(file: String, pathAsIs: Bool = false) -> String {
        var words = ["curl", "--fail-with-body"]
        if pathAsIs { words.append("--path-as-is") }
        switch method {
        case "GET": words += ["--output", Shell.quote(file)]
        case "PUT": words += ["--upload-file", Shell.quote(file)]
        case "HEAD": words.append("--head")
        case "POST": words += ["-X", "POST", "--data-binary", Shell.quote("@" + file)]
        default: words += ["-X", method]
        }
        for header in headers { words += ["-H", Shell.quote("\(header.name): \(header.value)")] }
        words.append(Shell.quote(url))
        return words.joined(separator: " ")
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
