import ArgumentParser
import Foundation
import HTTP
import LightroomAPI
import SigningCore
import URLCheck

/// Verifies a job's URLs, sends it, and follows it.
struct LightroomRunner {
    let options: LightroomJobOptions

    /// Builds the job (or, with `--manifest`, one job per line), `customize` adding the endpoint's
    /// options, and runs it.
    func run(_ endpoint: LightroomEndpoint, extraInputs: [String] = [], customize: (inout LightroomJobRequest) throws -> Void) async throws {
        if let manifest = options.manifest {
            let jobs = try LightroomManifest.read(manifest, options: options, endpoint: endpoint, customize: customize)
            try await LightroomBatch(options: options, extraInputs: extraInputs).run(jobs)
            return
        }
        var job = try options.job(endpoint)
        try customize(&job)
        try await run(job, extraInputs: extraInputs)
    }

    func run(_ job: LightroomJobRequest, extraInputs: [String] = []) async throws {
        try job.validate()
        if options.dryRun {
            let client = LightroomClient(base: options.api.resolvedAPIBase(), apiKey: ProcessInfo.processInfo.environment["LIGHTROOM_CLIENT_ID"] ?? "<LIGHTROOM_CLIENT_ID>",
                                         tokens: IMSTokenProvider(source: .accessToken("")))
            print(LightroomText.dryRun(try client.plannedRequest(job)))
            return
        }
        let client = try options.api.client()
        if !options.noVerify { try await verify(job, extraInputs: extraInputs, http: client.http) }
        let statusURL = try await client.submit(job)
        if options.wait { AcceptedJobs.shared.add(statusURL) }  // before the announcement, so no signal after it goes unhandled
        AcceptedJobs.announce(statusURL, json: options.json)
        guard options.wait else { return }
        let interval = try DurationText.parse(options.pollInterval).seconds
        let timeout = try DurationText.parse(options.timeout).seconds
        let final = try await client.wait(for: statusURL, interval: interval, timeout: timeout) { status, elapsed in
            StandardError.write("lightroom: \(status.summary) (\(LightroomClient.elapsedText(elapsed)))\n")
        }
        AcceptedJobs.shared.remove(statusURL)
        print(options.json ? LightroomText.json(final) : LightroomText.human(final))
        if !final.succeeded { throw ExitCode(1) }
    }

    /// `presign verify` on the input, presets and outputs; every warning is shown (prefixed with
    /// `label`, e.g. a manifest line) and any failure stops the job.
    func verify(_ job: LightroomJobRequest, extraInputs: [String], http: HTTPClient, label: String = "") async throws {
        var verifier = URLVerifier(http: http)
        verifier.policy = options.api.retry.storageFetch
        var outcomes: [VerificationOutcome] = []
        for url in [job.input.href] + extraInputs { outcomes.append(await verifier.verify(url, role: .input)) }
        for output in job.outputs { outcomes.append(await verifier.verify(output.file.href, role: .output)) }
        StandardError.write(Self.warnings(outcomes, label: label))
        let failed = outcomes.filter { $0.verdict == .failed }
        guard failed.isEmpty else {
            let lines = failed.map { "\($0.role.rawValue) \($0.url): \($0.hint ?? "failed")" }
            throw CLIFailure.failed("The job was not sent: \(failed.count) URL\(failed.count == 1 ? "" : "s") failed the check.\n  " + lines.joined(separator: "\n  ")
                                    + "\nFix them (presign verify shows the details), or pass --no-verify to send anyway.")
        }
    }

    /// One `presign: warning:` line per warning `presign verify` would show, and one per URL that
    /// could not be proven.
    static func warnings(_ outcomes: [VerificationOutcome], label: String) -> String {
        var text = ""
        for outcome in outcomes {
            let subject = "\(label)\(outcome.role.rawValue) \(outcome.url)"
            for warning in outcome.warnings { text += "presign: warning: \(subject): \(warning)\n" }
            if outcome.verdict == .inconclusive || outcome.verdict == .unverifiable {
                text += "presign: warning: \(subject) could not be proven (\(outcome.hint ?? "inconclusive")); sending anyway.\n"
            }
        }
        return text
    }
}

/// `--xmp FILE_OR_URL`: the XMP text.
enum XMPSource {
    static func read(_ location: String) async throws -> String {
        if location.hasPrefix("https://") || location.hasPrefix("http://") {
            let response = try await HTTPClient().send(HTTPRequest(url: location, maxResponseBytes: 8 << 20))
            guard response.status == 200 else { throw CLIFailure.usage("Cannot fetch the XMP from \(URLRedaction.redact(location)): HTTP \(response.status). Give a readable URL or a file.") }
            return response.text
        }
        guard let data = FileManager.default.contents(atPath: location), let text = String(data: data, encoding: .utf8), !text.isEmpty else {
            throw CLIFailure.usage("Cannot read the XMP file '\(location)'. Give an XMP file or its URL.")
        }
        return text
    }
}

/// How `presign lightroom` prints: hrefs redacted, and the service's texts (output errors)
/// scrubbed of the secrets the process holds.
enum LightroomText {
    static func human(_ status: LightroomJobStatus) -> String {
        SecretRegistry.scrub(humanText(status))
    }

    private static func humanText(_ status: LightroomJobStatus) -> String {
        var lines = ["job \(status.jobID): \(status.summary)"]
        for output in status.outputs {
            lines.append("  \(output.status.padding(toLength: 9, withPad: " ", startingAt: 0)) \(output.href.map(URLRedaction.redact) ?? "")\(output.error.map { "\n            \($0)" } ?? "")")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ status: LightroomJobStatus) -> String {
        SecretRegistry.scrub(JSONText.object([
            ("jobId", JSONText.string(status.jobID)), ("finished", status.isFinished ? "true" : "false"), ("succeeded", status.succeeded ? "true" : "false"),
            ("outputs", JSONText.array(status.outputs.map { output in
                JSONText.object([("status", JSONText.string(output.status)), ("href", output.href.map { JSONText.string(URLRedaction.redact($0)) } ?? "null"),
                                 ("error", output.error.map(JSONText.string) ?? "null")])
            })),
        ]))
    }

    static func dryRun(_ request: (method: String, url: String, headers: [(name: String, value: String)], body: [UInt8])) -> String {
        var body = String(decoding: request.body, as: UTF8.self)
        if let object = try? JSONSerialization.jsonObject(with: Data(request.body)),
           let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) {
            body = String(decoding: pretty, as: UTF8.self)
        }
        body = redactURLs(body)
        return (["\(request.method) \(URLRedaction.redact(request.url))"] + request.headers.map { "\($0.name): \($0.value)" } + ["", body]).joined(separator: "\n")
    }

    /// Every quoted URL in `text` with its signature redacted.
    static func redactURLs(_ text: String) -> String {
        var result = "", rest = Substring(text)
        while let start = rest.range(of: "\"http") {
            result += rest[..<start.lowerBound] + "\""
            let tail = rest[rest.index(after: start.lowerBound)...]
            let end = tail.firstIndex(of: "\"") ?? tail.endIndex
            result += URLRedaction.redact(String(tail[..<end]))
            rest = tail[end...]
        }
        return result + rest
    }
}
