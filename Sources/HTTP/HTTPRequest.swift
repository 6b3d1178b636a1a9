import Foundation

/// What a request sends as its body.
public enum HTTPBody: Sendable {
    /// No body.
    case none
    /// These bytes.
    case bytes([UInt8])
    /// The contents of a file, streamed (for large uploads).
    case file(path: String)
}

/// How a request with a body uses `Expect: 100-continue`.
public enum ExpectContinue: Sendable, Equatable {
    /// Do not send `Expect` (the default: no header the caller did not ask for).
    case off
    /// Send `Expect: 100-continue` and the body once the server agrees (or after `timeout`).
    case send(timeout: Double)
    /// Send `Expect: 100-continue`, then stop before the body: the server's answer to the
    /// headers alone is the result. A non-destructive write check: nothing is uploaded.
    case probe(timeout: Double)
}

/// An HTTP request, sent exactly as described: no header is added that the caller did not ask
/// for (beyond `Host` and `Content-Length`), and the path is sent as given (`./`, `../` kept).
public struct HTTPRequest: Sendable {
    /// The method, e.g. `GET`.
    public var method: String
    /// The full URL.
    public var url: String
    /// Headers in order.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: HTTPBody
    /// For a probe: the body length to announce in `Content-Length` (no bytes are sent).
    public var announcedLength: Int64?
    /// `Expect: 100-continue` handling.
    public var expectContinue: ExpectContinue
    /// Stop reading the response body after this many bytes (the result says it was cut).
    public var maxResponseBytes: Int
    /// Seconds to wait for the connection (TCP and TLS).
    public var connectTimeout: Double
    /// Seconds for the whole exchange.
    public var totalTimeout: Double
    /// Follow redirects (off by default: a signed URL's redirect target is not signed).
    public var followRedirects: Bool
    /// A PEM file of extra trusted certificate authorities (like curl's `--cacert`).
    public var caFile: String?

    /// Creates a request.
    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
                body: HTTPBody = .none, announcedLength: Int64? = nil, expectContinue: ExpectContinue = .off,
                maxResponseBytes: Int = 1 << 20, connectTimeout: Double = 10, totalTimeout: Double = 60,
                followRedirects: Bool = false, caFile: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.announcedLength = announcedLength
        self.expectContinue = expectContinue
        self.maxResponseBytes = maxResponseBytes
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.followRedirects = followRedirects
        self.caFile = caFile
    }

    /// A GET of the first `count` bytes (`Range: bytes=0-(count-1)`), reading at most `count` bytes.
    public static func rangedGet(url: String, firstBytes count: Int, headers: [(name: String, value: String)] = []) -> HTTPRequest {
        HTTPRequest(url: url, headers: headers + [(name: "Range", value: "bytes=0-\(max(count, 1) - 1)")], maxResponseBytes: count)
    }
}
