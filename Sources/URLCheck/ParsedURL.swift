import HTTP
import SigningCore

/// A URL split by hand, tolerant of anything (a malformed URL is reported, never a crash).
public struct ParsedURL: Sendable {
    public let scheme: String
    /// The host without the port, in lower case and without trailing dots (`Example.COM.` is
    /// `example.com`), so every spelling a server treats alike matches the same rules.
    public let host: String
    public let port: Int?
    /// The path as written (still percent-encoded).
    public let path: String
    /// Query parameters, percent-decoded where possible, in order (repeats kept).
    public let query: [(name: String, value: String)]
    /// Problems found while splitting (bad escapes, no host, ...).
    public let defects: [String]

    public init(_ text: String) {
        var defects: [String] = []
        var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var scheme = ""
        if let range = rest.range(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            rest = rest[range.upperBound...]
        } else {
            defects.append("it has no scheme (https://)")
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        if let at = authority.lastIndex(of: "@") {
            defects.append("it carries a user name or password before the host")
            authority = authority[authority.index(after: at)...]
        }
        var port: Int?
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            port = Int(authority[authority.index(after: colon)...])
            if port == nil || !(1...65535).contains(port!) { defects.append("its port is not a number from 1 to 65535") }
            authority = authority[..<colon]
        }
        if authority.isEmpty {
            defects.append("it has no host")
        } else if !authority.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.[]:_".contains($0)) }) {
            defects.append("its host has characters a host name cannot have")
        }
        let queryStart = rest.firstIndex(of: "?")
        let path = String(queryStart.map { rest[..<$0] } ?? rest)
        var query: [(name: String, value: String)] = []
        if let queryStart {
            for part in rest[rest.index(after: queryStart)...].split(separator: "&", omittingEmptySubsequences: true) {
                let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let rawName = String(pieces[0]), rawValue = pieces.count > 1 ? String(pieces[1]) : ""
                let name = PercentEncoding.decode(rawName), value = PercentEncoding.decode(rawValue)
                if name == nil || value == nil { defects.append("the query parameter '\(rawName.prefix(40))' has a malformed %-escape") }
                query.append((name: name ?? rawName, value: value ?? rawValue))
            }
        }
        if PercentEncoding.decode(path) == nil { defects.append("its path has a malformed %-escape") }
        self.scheme = scheme
        self.host = URLNormalization.host(authority)
        self.port = port
        self.path = path.isEmpty ? "/" : path
        self.query = query
        self.defects = defects
    }

    /// The first value of `name` (exact case).
    public func value(_ name: String) -> String? { query.first { $0.name == name }?.value }

    /// The first value of `name`, ignoring case.
    public func valueIgnoringCase(_ name: String) -> String? {
        let lowered = name.lowercased()
        return query.first { $0.name.lowercased() == lowered }?.value
    }

    /// Names that appear more than once.
    public var repeatedNames: [String] {
        var seen = Set<String>(), repeated: [String] = []
        for item in query where !seen.insert(item.name).inserted && !repeated.contains(item.name) { repeated.append(item.name) }
        return repeated
    }

    /// Whether the host is this machine.
    public var isLoopback: Bool {
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        let loopbackIPv4 = octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
        return host == "localhost" || host.hasSuffix(".localhost") || loopbackIPv4 || host == "[::1]"
    }

    /// The path percent-decoded, or as written when it cannot be.
    public var decodedPath: String { PercentEncoding.decode(path) ?? path }
}

import Foundation
