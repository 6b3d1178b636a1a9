import SigningCore

/// An error from SigV4 signing or S3 addressing: a stable `code` and a sentence that says what to do.
///
/// Messages never contain a secret access key or a session token.
public struct AWSSigV4Error: CodedError, Equatable {
    /// A stable, machine-readable identifier such as `expires-too-long`.
    public let code: String
    /// A human sentence that says what went wrong and what to do next.
    public let message: String

    /// Creates an error.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    static let invalidBucket = "invalid-bucket"
    static let invalidKey = "invalid-key"
    static let invalidExpiry = "invalid-expiry"
    static let invalidHeader = "invalid-header"
    static let invalidQuery = "invalid-query"
    static let invalidRegion = "invalid-region"
    static let invalidCredentials = "invalid-credentials"
}
