import SigningCore

/// A request as a storage server received it: what a signature check needs.
public struct IncomingRequest: Sendable {
    public var method: String
    /// The request target's path, still percent-encoded, as sent.
    public var path: String
    /// The raw query string (without `?`), as sent.
    public var query: String
    /// Headers in the order received.
    public var headers: [(name: String, value: String)]
    /// Whether it came over TLS.
    public var isHTTPS: Bool
    /// The client's address (for IP-restricted SAS).
    public var clientIP: String?

    public init(method: String, path: String, query: String, headers: [(name: String, value: String)], isHTTPS: Bool = false, clientIP: String? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.isHTTPS = isHTTPS
        self.clientIP = clientIP
    }

    /// Values of header `name` (case-insensitive), joined with `,` when repeated.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        let values = headers.filter { $0.name.lowercased() == lowered }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }

    /// The signed headers as received, every occurrence kept (canonicalisation trims each one and
    /// joins repeats with `,`), and an empty value for a signed header that was not sent.
    public func signedHeaderValues(_ names: [String]) -> [(name: String, value: String)] {
        names.flatMap { name -> [(name: String, value: String)] in
            let found = headers.filter { $0.name.lowercased() == name }.map { (name: name, value: $0.value) }
            return found.isEmpty ? [(name: name, value: "")] : found
        }
    }

    /// The query's parameters, percent-decoded (`+` stays `+`), in order.
    public var queryParameters: [(name: String, value: String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentEncoding.decode(String(pieces[0])) ?? String(pieces[0])
            let value = pieces.count > 1 ? (PercentEncoding.decode(String(pieces[1])) ?? String(pieces[1])) : ""
            return (name: name, value: value)
        }
    }

    /// The path percent-decoded once, or `nil` when it has a malformed escape.
    public var decodedPath: String? { PercentEncoding.decode(path) }
}

/// The answer a check gives: the request may proceed, or the provider's refusal.
public enum VerificationResult: Sendable {
    case allowed
    case denied(ProviderRefusal)
}

/// A refusal exactly as the provider words it: status, error code, body and headers.
public struct ProviderRefusal: Sendable, Error, Equatable {
    public let status: Int
    public let code: String
    public let message: String
    /// The XML (or JSON) body the provider sends.
    public let body: String
    public let contentType: String
    public let headers: [String: String]

    public init(status: Int, code: String, message: String, body: String, contentType: String = "application/xml", headers: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.body = body
        self.contentType = contentType
        self.headers = headers
    }
}

extension ProviderRefusal {
    /// A refusal with an S3/GCS-style XML error body.
    public static func xml(_ status: Int, _ code: String, _ message: String, _ extra: [(String, String)] = []) -> ProviderRefusal {
        ProviderRefusal(status: status, code: code, message: message, body: XMLText.error(code: code, message: message, extra: extra))
    }
}

extension VerificationResult {
    /// `.allowed` when `check` returns; its refusal when it throws one; `otherwise` for any other error.
    static func of(_ check: () throws -> Void, otherwise: (Error) -> ProviderRefusal) -> VerificationResult {
        do {
            try check()
            return .allowed
        } catch let refusal as ProviderRefusal {
            return .denied(refusal)
        } catch {
            return .denied(otherwise(error))
        }
    }
}

/// Minimal XML for providers' error bodies.
public enum XMLText {
    /// Escapes `& < > "`.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// `<?xml ...?><Error><Code>…</Code><Message>…</Message>…</Error>` with extra elements in order.
    public static func error(code: String, message: String, extra: [(String, String)] = []) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(escape(code))</Code><Message>\(escape(message))</Message>"
        for (name, value) in extra { xml += "<\(name)>\(escape(value))</\(name)>" }
        return xml + "</Error>"
    }
}

/// Constant-time comparison of two signatures.
func signaturesEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
}
