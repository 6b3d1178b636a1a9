import ArgumentParser
import SigningCore

/// How a command that makes URLs prints them.
struct OutputFormOptions: ParsableArguments {
    @Flag(help: "Print one JSON object (one per line in batch mode): provider, method, url, headers, expiresAt.")
    var json = false

    @Flag(help: "Print a ready-to-run curl command with the headers the URL needs.")
    var curl = false

    func validate() throws {
        if json && curl { throw ValidationError("--json and --curl cannot be combined; pick one output form.") }
    }
}

/// Flags every signing command shares: output form and the signing clock.
struct SigningOutputOptions: ParsableArguments {
    @OptionGroup var form: OutputFormOptions

    var json: Bool { form.json }
    var curl: Bool { form.curl }

    @Option(help: ArgumentHelp("Sign as if the clock read TIME (RFC 3339, e.g. 2013-05-24T00:00:00Z, or 20130524T000000Z).", valueName: "TIME"))
    var at: String?

    func validate() throws {
        if let at { _ = try Timestamp.parse(at) }
    }

    /// The signing time: `--at`, or the system clock.
    func signingTime() throws -> Timestamp {
        if let at { return try Timestamp.parse(at) }
        return Timestamp(secondsSince1970: Int64(time(nil)))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
