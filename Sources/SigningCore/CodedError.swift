/// An error of one of presign's modules: a stable `code` for programs and a `message` for people
/// that says what went wrong and what to do next. Messages never contain secrets.
public protocol CodedError: Error, CustomStringConvertible, Sendable {
    /// A stable, machine-readable identifier such as `invalid-duration`.
    var code: String { get }
    /// A human sentence that says what went wrong and what to do next.
    var message: String { get }
}

extension CodedError {
    /// The message.
    public var description: String { message }
}
