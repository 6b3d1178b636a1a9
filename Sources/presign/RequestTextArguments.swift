import SigningCore

/// `Name: value` as typed after `--header`.
enum HeaderText {
    static func parse(_ text: String) throws -> CanonicalHTTP.Header {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else {
            throw CLIFailure.usage("--header '\(text)' is not 'Name: value'. Write it as e.g. --header 'x-goog-meta-job: 42'.")
        }
        return (name: String(text[..<colon]).trimmingCharacters(in: .whitespaces), value: String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
    }
}

/// `name=value` as typed after `--query`.
enum QueryText {
    static func parse(_ text: String) throws -> CanonicalHTTP.QueryParameter {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw CLIFailure.usage("--query '\(text)' is not name=value. Write it as e.g. --query generation=1 (name= for an empty value).")
        }
        return (name: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
    }
}
