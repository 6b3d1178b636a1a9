/// A retry about to be made, as reported to ``RetryPolicy/onRetry``.
public struct RetryEvent: Sendable, CustomStringConvertible {
    /// Which retry this is, from 1.
    public let retry: Int
    /// How many retries the policy allows.
    public let retries: Int
    /// The wait before it, in seconds.
    public let delay: Double
    /// The status that is retried, or `nil` after a transport error.
    public let status: Int?
    /// The transport error that is retried, if any.
    public let error: HTTPError?
    /// The request's URL with its secrets redacted.
    public let url: String

    /// Creates an event.
    public init(retry: Int, retries: Int, delay: Double, status: Int?, error: HTTPError?, url: String) {
        self.retry = retry
        self.retries = retries
        self.delay = delay
        self.status = status
        self.error = error
        self.url = URLRedaction.redact(url)
    }

    /// What failed: the status (`503`) or the transport error's code (`connection-dropped`).
    public var reason: String { status.map(String.init) ?? error?.code ?? "no answer" }

    /// `retrying in 0.8 s after 503 (2/3)`.
    public var description: String {
        let tenths = (delay * 10).rounded() / 10
        return "retrying in \(tenths) s after \(reason) (\(retry)/\(retries))"
    }
}

extension RetryPolicy {
    /// Reports retry `n` (from 0) to ``onRetry`` and waits `delay` seconds: what every retry
    /// loop does between two attempts. `status` or `error` says what failed.
    public func pause(beforeRetry n: Int, delay: Double, status: Int? = nil, error: HTTPError? = nil, url: String) async throws {
        onRetry?(RetryEvent(retry: n + 1, retries: retries, delay: delay, status: status, error: error, url: url))
        try await Task.sleep(nanoseconds: UInt64(max(0, delay) * 1_000_000_000))
    }
}
