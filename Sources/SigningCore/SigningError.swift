/// An error from the signing core: a stable `code` for programs and a sentence for people.
///
/// The message never contains key material.
public struct SigningError: CodedError, Equatable {
    /// A stable, machine-readable identifier such as `invalid-duration`.
    public let code: String
    /// A human sentence that says what went wrong and what to do next.
    public let message: String

    /// Creates an error with a code and a sentence.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    static func openSSL(_ code: String, _ what: String) -> SigningError {
        SigningError(code: code, message: "\(what) (\(OpenSSLErrorQueue.drain()))")
    }
}
