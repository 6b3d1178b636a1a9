import ArgumentParser
import SigningCore

/// `--retries` and `--backoff`, shared by every command that talks to a server.
struct RetryOptions: ParsableArguments {
    @Option(help: "Retries after a transient failure (5xx, 429 where honoured, dropped connections).")
    var retries: Int = 3

    @Option(help: ArgumentHelp("Base delay before the first retry; doubles each time, with jitter (250ms, 1s, ...).", valueName: "DURATION"))
    var backoff: String = "1s"

    func validate() throws {
        guard (0...10).contains(retries) else { throw ValidationError("--retries must be from 0 to 10, not \(retries).") }
        _ = try DurationText.parse(backoff)
    }

    /// The base delay in seconds.
    var backoffSeconds: Double { (try? DurationText.parse(backoff).seconds) ?? 1 }
}
