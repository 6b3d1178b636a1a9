import Foundation

/// When and how long to wait before retrying, shared by every caller (verify, token exchanges,
/// Dropbox, Lightroom).
///
/// The delay before retry n (n = 0, 1, 2, ...) is `backoff × 2^n` times a random factor in
/// [0.5, 1.0], or the server's `Retry-After` where `honoursRetryAfter` allows it.
public struct RetryPolicy: Sendable {
    /// How many retries after the first attempt.
    public var retries: Int
    /// The base delay in seconds.
    public var backoff: Double
    /// Statuses that are retried.
    public var retryableStatuses: Set<Int>
    /// Whether a `Retry-After` header replaces the computed delay.
    public var honoursRetryAfter: Bool
    /// Whether transport errors (timeouts, dropped connections) are retried too. Errors that a
    /// retry cannot mend never are: see ``shouldRetry(_:)``.
    public var retriesTransportErrors: Bool
    /// Whether a refused connection is retried (off by default: nothing listening on the port is
    /// rarely mended within the back-off, least of all on loopback). Callers that talk to a
    /// server that may be restarting opt in.
    public var retriesRefusedConnections = false
    /// Called before each retry with what is about to happen (`nil`, the default, keeps the
    /// library silent; the command line reports on stderr).
    public var onRetry: (@Sendable (RetryEvent) -> Void)?
    /// The longest wait accepted from `Retry-After`, in seconds.
    public var maximumRetryAfter: Double
    /// The source of the random factor (tests inject a fixed one).
    public var random: @Sendable () -> Double

    /// Creates a policy.
    public init(retries: Int = 3, backoff: Double = 1, retryableStatuses: Set<Int>, honoursRetryAfter: Bool = false,
                retriesTransportErrors: Bool = true, maximumRetryAfter: Double = 300,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0.5...1.0) }) {
        self.retries = retries
        self.backoff = backoff
        self.retryableStatuses = retryableStatuses
        self.honoursRetryAfter = honoursRetryAfter
        self.retriesTransportErrors = retriesTransportErrors
        self.maximumRetryAfter = maximumRetryAfter
        self.random = random
    }

    /// The Lightroom API's rule for API calls: only 5xx, 3 retries, exponential back-off.
    public static func serverErrors(retries: Int = 3, backoff: Double = 1) -> RetryPolicy {
        RetryPolicy(retries: retries, backoff: backoff, retryableStatuses: Set(500...599))
    }

    /// How the Lightroom service itself fetches and stores files: 429, 502, 503, 504, three times.
    public static func storageFetch(retries: Int = 3, backoff: Double = 1) -> RetryPolicy {
        RetryPolicy(retries: retries, backoff: backoff, retryableStatuses: [429, 502, 503, 504], honoursRetryAfter: true)
    }

    /// The computed delay before retry `n`, without `Retry-After`.
    public func backoffDelay(beforeRetry n: Int) -> Double {
        backoff * pow(2, Double(n)) * min(max(random(), 0.5), 1.0)
    }

    /// Whether a transport error is worth retrying: never a cancelled transfer, an unusable URL or
    /// local file, a TLS failure or a host name that did not resolve (none of which a retry
    /// mends); a refused connection only with ``retriesRefusedConnections``; timeouts and
    /// dropped connections when ``retriesTransportErrors``.
    public func shouldRetry(_ error: HTTPError) -> Bool {
        guard retriesTransportErrors else { return false }
        switch error.kind {
        case .cancelled, .invalidURL, .localFile, .dnsFailure,
             .tlsUnknownAuthority, .tlsSelfSigned, .tlsNameMismatch, .tlsExpired, .tlsOther:
            return false
        case .connectionRefused:
            return retriesRefusedConnections
        case .timeout, .connectionDropped, .other:
            return true
        }
    }

    /// The delay before retry `n` after `response`, or `nil` when the response is not retried.
    public func delay(beforeRetry n: Int, after response: HTTPResponse, now: Date = Date()) -> Double? {
        guard retryableStatuses.contains(response.status) else { return nil }
        if honoursRetryAfter, let header = response.header("Retry-After"), let seconds = Self.parseRetryAfter(header, now: now) {
            return min(seconds, maximumRetryAfter)
        }
        return backoffDelay(beforeRetry: n)
    }

    /// `Retry-After` as seconds: delta-seconds or an HTTP-date (RFC 9110 section 10.2.3).
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return Double(seconds) }
        return HTTPDate.parse(trimmed).map { max(0, $0.timeIntervalSince(now)) }
    }
}

/// The IMF-fixdate of `Date` and `Retry-After` headers (RFC 9110 section 5.6.7).
public enum HTTPDate {
    /// `Sun, 06 Nov 1994 08:49:37 GMT` as a date, or `nil`.
    public static func parse(_ value: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value.trimmingCharacters(in: .whitespaces))
    }
}
