import SigningCore

/// A Google signing or token failure: a stable `code` (Google's own `error` where it answered)
/// and a sentence that says what to do. Never contains a private key, an assertion or a token.
public struct GoogleAuthError: CodedError, Equatable {
    public let code: String
    public let message: String
    /// The HTTP status when a Google endpoint answered; `nil` for local problems (usage errors).
    public let status: Int?

    /// Creates an error.
    public init(code: String, message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }

    public var isUsageError: Bool { status == nil }
}
