import SigningCore

/// `--expires DURATION` turned into whole seconds, with the provider's limits as errors that
/// name the limit (never a silent clamp).
enum LifetimeArgument {
    /// - Parameters:
    ///   - text: what the user typed.
    ///   - range: the seconds the provider allows.
    ///   - limit: the sentence naming the limit, e.g. "S3 allows a presigned URL at most 7 days (604800 s)".
    ///   - suggestion: what to type instead, e.g. "--expires 7d or less".
    static func seconds(_ text: String, allowed range: ClosedRange<Int64>, limit: String, suggestion: String) throws -> Int64 {
        let duration = try DurationText.parse(text)
        guard let seconds = duration.wholeSeconds, seconds >= 1 else {
            throw CLIFailure.usage("--expires \(text) is not a whole number of seconds of at least 1s. Use e.g. 3600, 15m or 12h.")
        }
        guard range.contains(seconds) else {
            throw CLIFailure.usage("--expires \(text) is outside what \(limit). Use \(suggestion).")
        }
        return seconds
    }
}
