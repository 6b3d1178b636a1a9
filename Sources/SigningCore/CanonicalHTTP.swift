/// The canonical forms of a request that AWS SigV4 and Google's V4 signing share: the encoded,
/// sorted query string, the canonical header block, and the canonical request text.
///
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html,
/// https://cloud.google.com/storage/docs/authentication/canonical-requests)
public enum CanonicalHTTP {
    /// One header as given by the caller (any case, untrimmed).
    public typealias Header = (name: String, value: String)
    /// One query parameter, raw (not percent-encoded).
    public typealias QueryParameter = (name: String, value: String)

    /// The canonical query string: names and values `UriEncode`d separately, sorted by encoded
    /// name and then encoded value in byte order, joined with `&` (a valueless name gives `name=`).
    public static func queryString(_ parameters: [QueryParameter]) -> String {
        let encoded = parameters.map {
            (PercentEncoding.unreserved.encode($0.name), PercentEncoding.unreserved.encode($0.value))
        }
        let sorted = encoded.sorted { lhs, rhs in
            if lhs.0 != rhs.0 { return lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8) }
            return lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
        }
        return sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Canonical headers and the signed-headers list.
    public struct Headers: Sendable, Equatable {
        /// `name:value\n` for each header, sorted by lower-case name (so it ends with `\n`).
        public let block: String
        /// The sorted lower-case names joined with `;`.
        public let signedHeaders: String
        /// The sorted lower-case names.
        public let names: [String]
        /// Canonical values by lower-case name (repeated headers joined with `,`).
        public let values: [String: String]
    }

    /// Canonicalises headers: names lower-cased, values trimmed with inner white-space runs folded
    /// to one space, repeated names joined with `,` in the order given, sorted by name.
    public static func headers(_ headers: [Header]) -> Headers {
        var values: [String: [String]] = [:]
        for header in headers {
            let name = String(trimmingWhitespace(header.name).lowercased())
            values[name, default: []].append(foldWhitespace(header.value))
        }
        let names = values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let joined = values.mapValues { $0.joined(separator: ",") }
        let block = names.map { "\($0):\(joined[$0]!)\n" }.joined()
        return Headers(block: block, signedHeaders: names.joined(separator: ";"), names: names, values: joined)
    }

    /// The canonical request: method, URI, query, headers, signed headers and payload hash, one per line.
    public static func request(method: String, canonicalURI: String, canonicalQueryString: String, headers: Headers, payloadHash: String) -> String {
        "\(method)\n\(canonicalURI)\n\(canonicalQueryString)\n\(headers.block)\n\(headers.signedHeaders)\n\(payloadHash)"
    }

    /// Trims spaces, tabs and line breaks and folds every inner run of them to one space.
    public static func foldWhitespace(_ value: String) -> String {
        var out: [UInt8] = []
        var pendingSpace = false
        for byte in value.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func trimmingWhitespace(_ text: String) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return text[first...last]
    }
}
