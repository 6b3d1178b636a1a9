/// An error of one of presign's modules: a stable `code` for programs and a `message` for people
/// that says what went wrong and what to do next. Messages never contain secrets.
public protocol CodedError: Error, CustomStringConvertible, Sendable {
    /// A stable, machine-readable identifier such as `invalid-duration`.
    var code: String { get }
    /// A human sentence that says what went wrong and what to do next.
    var message: String { get }
    /// Whether the error was found before anything was sent: bad input, a missing or malformed
    /// credential (a command exits 2), as opposed to a remote failure (exit 1).
    var isUsageError: Bool { get }
}

extension CodedError {
    /// The message.
    public var description: String { message }

    /// Local errors are usage errors unless a type says otherwise.
    public var isUsageError: Bool { true }
}
