import SigningCore

/// A credential or configuration that is missing or malformed: a stable `code` and a sentence
/// that names where the tool looked and what to do. Never contains a secret.
public struct AWSConfigError: CodedError, Equatable {
    /// A stable, machine-readable identifier such as `no-credentials`.
    public let code: String
    /// A human sentence.
    public let message: String

    /// Creates an error.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
