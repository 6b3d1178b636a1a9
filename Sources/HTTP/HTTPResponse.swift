/// Where the time of an exchange went, in seconds from its start (libcurl's timings).
public struct HTTPTimings: Sendable, Equatable {
    /// Name resolution done.
    public var dns: Double = 0
    /// TCP connection established.
    public var connect: Double = 0
    /// TLS handshake done (0 for plain HTTP).
    public var tls: Double = 0
    /// First response byte received.
    public var firstByte: Double = 0
    /// Exchange finished.
    public var total: Double = 0

    /// Creates timings.
    public init(dns: Double = 0, connect: Double = 0, tls: Double = 0, firstByte: Double = 0, total: Double = 0) {
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.firstByte = firstByte
        self.total = total
    }
}

/// The answer to a request.
public struct HTTPResponse: Sendable {
    /// The final status, or 100 when a probe stopped after the server's `100 Continue`.
    public let status: Int
    /// The final response's headers, in order, names as received.
    public let headers: [(name: String, value: String)]
    /// The body, at most `maxResponseBytes` of it.
    public let body: [UInt8]
    /// Whether the body was cut at `maxResponseBytes`.
    public let bodyTruncated: Bool
    /// Whether the server answered `100 Continue` to an `Expect: 100-continue` request.
    public let continueReceived: Bool
    /// Whether the request body was (at least partly) sent.
    public let bodySent: Bool
    /// Timings.
    public let timings: HTTPTimings

    /// Creates a response (for stand-ins and tests).
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], bodyTruncated: Bool = false,
                continueReceived: Bool = false, bodySent: Bool = false, timings: HTTPTimings = HTTPTimings()) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyTruncated = bodyTruncated
        self.continueReceived = continueReceived
        self.bodySent = bodySent
        self.timings = timings
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The text of the body's first `<name>` element, as in S3, GCS and Azure error bodies
    /// (`<Code>`, `<Message>`, `<AuthenticationErrorDetail>`); `nil` when there is none.
    public func xmlElement(_ name: String) -> String? {
        let text = self.text
        guard let start = text.range(of: "<\(name)>"), let end = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex) else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }
}
