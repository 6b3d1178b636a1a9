/// The INI dialect of the AWS shared `credentials` and `config` files.
///
/// `[section]` headers; `key = value` lines (`:` also separates, as Python's configparser
/// allows); `#` and `;` comment lines; indented lines continue the previous key (nested
/// settings such as `s3 =` blocks), which this reader attaches to no top-level key.
struct INIFile: Sendable {
    /// Key/value pairs by section name, keys lower-cased, values trimmed.
    var sections: [String: [String: String]] = [:]
    /// Lines that are neither a section, a setting nor a comment, with their numbers.
    var malformedLines: [Int] = []

    init(text: String) {
        var current: String?
        // "\r\n" is one Character in Swift, so split on newline characters, not on "\n".
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if line.first == " " || line.first == "\t" {
                if current == nil { malformedLines.append(index + 1) }
                continue
            }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else { malformedLines.append(index + 1); current = nil; continue }
                let name = String(trimmed.dropFirst().dropLast().trimmingWhitespace())
                current = name
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let section = current,
                  let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" })
            else { malformedLines.append(index + 1); continue }
            let key = String(trimmed[..<separator].trimmingWhitespace()).lowercased()
            let value = String(trimmed[trimmed.index(after: separator)...].trimmingWhitespace())
            sections[section, default: [:]][key] = value
        }
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
