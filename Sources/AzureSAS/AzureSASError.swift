import SigningCore

/// A SAS that cannot be made as asked: a stable `code` and a sentence that says what to do.
/// Never contains an account key or a user delegation key.
public struct AzureSASError: CodedError, Equatable {
    /// A stable identifier such as `invalid-permission`.
    public let code: String
    /// The sentence.
    public let message: String

    /// Creates an error.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
