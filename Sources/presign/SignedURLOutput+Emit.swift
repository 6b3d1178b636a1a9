import SigningCore

extension SignedURLOutput {
    /// Prints the result on stdout in the form asked: the `--json` object, the `--curl` command
    /// (for a GCS resumable session start, the two-step shell snippet), or the URL alone. With the
    /// URL alone, every header the client must send goes to stderr as `send header: Name: value`,
    /// so that stdout stays the URL.
    func emit(json: Bool, curl: Bool, name: String?, fallback: String) {
        if json {
            print(self.json)
        } else if curl {
            print(startsResumableSession ? resumableUploadScript(name: name, fallback: fallback) : curlCommand(name: name, fallback: fallback))
        } else {
            Self.announce(headers)
            print(url)
        }
    }

    /// Tells on stderr, one `send header: Name: value` line each, the headers a client must send.
    static func announce(_ headers: [(name: String, value: String)]) {
        for header in headers { StandardError.write("send header: \(header.name): \(header.value)\n") }
    }

    /// Whether this is a GCS resumable-session start: a POST with the signed `x-goog-resumable: start`.
    var startsResumableSession: Bool {
        method == "POST" && headers.contains { $0.name.lowercased() == "x-goog-resumable" && $0.value == "start" }
    }

    /// A POSIX shell snippet that uploads a file through a resumable session: it starts the
    /// session with the signed POST (and its signed headers), takes the session URL from the
    /// answer's `Location` header, and PUTs the file to it. It sets no shell options and never
    /// exits, so it can be pasted into an interactive shell; it fails (status 1, a message on
    /// stderr) when no session was started. The session URL is only ever expanded inside double
    /// quotes, so nothing a server answers is run.
    func resumableUploadScript(name: String?, fallback: String) -> String {
        let file = Shell.quote(LocalFileName.safe(name, fallback: fallback))
        var start = ["curl", "--fail-with-body", "--silent", "--show-error", "-X", "POST", "--data-binary", "''"]
        if !headers.contains(where: { $0.name.lowercased() == "content-type" }) { start += ["-H", Shell.quote("Content-Type:")] }
        for header in headers { start += ["-H", Shell.quote("\(header.name): \(header.value)")] }
        start += ["--dump-header", "-", "--output", "/dev/null", Shell.quote(url)]
        return """
        location=$(\(start.joined(separator: " ")) | tr -d '\\r' | sed -n 's/^[Ll][Oo][Cc][Aa][Tt][Ii][Oo][Nn]:[[:space:]]*//p' | tail -n 1)
        if [ -n "$location" ]; then curl --fail-with-body --globoff --upload-file \(file) "$location"; else echo 'presign: the session was not started (no Location header in the answer)' >&2; false; fi
        """
    }
}
