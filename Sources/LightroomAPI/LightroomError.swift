import SigningCore

/// A Lightroom API or IMS failure, or bad input found before sending, as a sentence with the fix.
public struct LightroomError: CodedError {
    public let code: String
    public let message: String
    public let isUsageError: Bool
    /// The HTTP status, when the server answered.
    public let status: Int?
    /// The server's `Retry-After` in seconds (429).
    public let retryAfter: Double?

    init(code: String, message: String, isUsageError: Bool = false, status: Int? = nil, retryAfter: Double? = nil) {
        self.code = code
        self.message = message
        self.isUsageError = isUsageError
        self.status = status
        self.retryAfter = retryAfter
    }

    static func usage(_ code: String, _ message: String) -> LightroomError {
        LightroomError(code: code, message: message, isUsageError: true)
    }
}
