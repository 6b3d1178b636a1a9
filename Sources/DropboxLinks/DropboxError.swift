import SigningCore

/// A Dropbox failure: the API's own error (its `error_summary`, e.g. `path/not_found/..`), a
/// rate limit, or a missing credential, with a sentence that says what to do.
public struct DropboxError: CodedError, Equatable {
    /// `error_summary` without the trailing `/..` (e.g. `path/not_found`), or a local code
    /// such as `missing-credentials`.
    public let code: String
    /// The sentence.
    public let message: String
    /// The HTTP status, when the API answered.
    public let status: Int?
    /// Seconds the API asked to wait (429).
    public let retryAfter: Double?

    /// Creates an error.
    public init(code: String, message: String, status: Int? = nil, retryAfter: Double? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.retryAfter = retryAfter
    }

    /// Errors raised before any request (bad path, bad duration, missing credentials) are usage errors.
    public var isUsageError: Bool { status == nil }
}
