import ArgumentParser
import HTTP
import SigningCore

/// `--retries` and `--backoff`, shared by every command that talks to a server.
struct RetryOptions: ParsableArguments {
    @Option(help: "Retries after a transient failure (5xx, 429 where honoured, timeouts and dropped connections; never an unknown host or a refused connection). Each retry is reported on stderr.")
    var retries: Int = 3

    @Option(help: ArgumentHelp("Base delay before the first retry; doubles each time, with jitter (250ms, 1s, ...).", valueName: "DURATION"))
    var backoff: String = "1s"

    func validate() throws {
        guard (0...10).contains(retries) else { throw ValidationError("--retries must be from 0 to 10, not \(retries).") }
        _ = try DurationText.parse(backoff)
    }

    /// The base delay in seconds.
    var backoffSeconds: Double { (try? DurationText.parse(backoff).seconds) ?? 1 }

    /// The Lightroom API's rule (5xx) with these retries, each reported on stderr.
    var serverErrors: RetryPolicy { Self.reported(.serverErrors(retries: retries, backoff: backoffSeconds)) }

    /// The storage-fetch rule (429, 502, 503, 504) with these retries, each reported on stderr.
    var storageFetch: RetryPolicy { Self.reported(.storageFetch(retries: retries, backoff: backoffSeconds)) }

    /// Writes a retry to stderr: `retrying in 0.8 s after 503 (2/3): URL` (URL redacted).
    static let reporter: @Sendable (RetryEvent) -> Void = { event in StandardError.write("\(event): \(event.url)\n") }

    /// `policy` with every retry written to stderr.
    static func reported(_ policy: RetryPolicy) -> RetryPolicy {
        var policy = policy
        policy.onRetry = reporter
        return policy
    }
}
