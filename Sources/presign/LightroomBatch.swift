import ArgumentParser
import Foundation
import LightroomAPI
import SigningCore

/// `--manifest`: one job per JSON line `{"input": URL, "output": URL}` (or `"outputs": [...]`).
enum LightroomManifest {
    struct Entry: Sendable {
        let line: Int
        let request: LightroomJobRequest
    }

    static func read(_ path: String, options: LightroomJobOptions, endpoint: LightroomEndpoint,
                     customize: (inout LightroomJobRequest) throws -> Void) throws -> [Entry] {
        var entries: [Entry] = []
        for (number, object) in try JSONLines.read(path, example: #"{"input": URL, "output": URL}"#) {
            guard let object, let input = object["input"] as? String,
                  let outputs = (object["outputs"] as? [String]) ?? (object["output"] as? String).map({ [$0] }) else {
                throw CLIFailure.usage("Manifest line \(number) is not {\"input\": URL, \"output\": URL} (or \"outputs\": [URL, ...]).")
            }
            do {
                var request = try options.job(endpoint, input: input, outputs: outputs)
                try customize(&request)
                try request.validate()
                entries.append(Entry(line: number, request: request))
            } catch {
                throw CLIFailure.usage("Manifest line \(number): \(CLIFailure.describe(error).0 ?? "\(error)")")
            }
        }
        guard !entries.isEmpty else { throw CLIFailure.usage("The manifest '\(path)' has no jobs.") }
        return entries
    }
}

/// Sends many jobs, `--concurrency` at a time and at most `--rate` requests per second, each
/// verified first unless `--no-verify`; prints one line per job in manifest order, progress and a
/// summary on stderr.
struct LightroomBatch {
    let options: LightroomJobOptions
    let extraInputs: [String]

    struct Result: Sendable {
        let line: Int
        var statusURL: String?
        var final: LightroomJobStatus?
        var error: String?
        var ok: Bool { error == nil && (final?.succeeded ?? true) }
    }

    func run(_ jobs: [LightroomManifest.Entry]) async throws {
        let client = try options.api.client()
        // The token first: otherwise the first job's IMS exchange delays it and bunches the paced requests.
        _ = try await client.tokens.token()
        let pacer = Pacer(interval: 1 / options.rate)
        let interval = try DurationText.parse(options.pollInterval).seconds, timeout = try DurationText.parse(options.timeout).seconds
        let runner = LightroomRunner(options: options)
        let verify = !options.noVerify, wait = options.wait, extra = extraInputs, json = options.json
        var done = 0, notOK = 0
        let all = await runInOrder(jobs, limit: options.concurrency, work: { entry in
            var result = Result(line: entry.line)
            do {
                if verify { try await runner.verify(entry.request, extraInputs: extra, http: client.http, label: "line \(entry.line): ") }
                await pacer.take()
                let link = try await client.submit(entry.request)
                result.statusURL = link
                if wait { AcceptedJobs.shared.add(link) }
                AcceptedJobs.announce(link, json: false, label: "line \(entry.line)")
                if wait {
                    defer { AcceptedJobs.shared.remove(link) }
                    result.final = try await client.wait(for: link, interval: interval, timeout: timeout)
                }
            } catch {
                result.error = CLIFailure.describe(error).0 ?? "\(error)"
            }
            return result
        }, completed: { result in
            done += 1
            if !result.ok { notOK += 1 }
            StandardError.write("lightroom: \(done)/\(jobs.count) done, \(notOK) not ok\n")
        }, emit: { result in
            print(json ? Self.json(result) : Self.line(result))
            fflush(nil)
        })
        let sent = all.filter { $0.statusURL != nil }
        var summary = "lightroom: \(all.count) jobs: \(sent.count) sent"
        if options.wait { summary += " (\(sent.filter { $0.final?.succeeded == true }.count) succeeded, \(sent.filter { !$0.ok }.count) failed)" }
        summary += ", \(all.count - sent.count) not sent\n"
        StandardError.write(summary)
        if !all.allSatisfy(\.ok) { throw ExitCode(1) }
    }

    /// `--json`: one object per job, `{"line", "statusUrl", "error", "status"}`.
    static func json(_ result: Result) -> String {
        SecretRegistry.scrub(JSONText.object([
            ("line", "\(result.line)"), ("statusUrl", result.statusURL.map(JSONText.string) ?? "null"),
            ("error", result.error.map(JSONText.string) ?? "null"), ("status", result.final.map(LightroomText.json) ?? "null"),
        ]))
    }

    static func line(_ result: Result) -> String {
        if let error = result.error {
            return "line \(result.line): \(result.statusURL == nil ? "not sent" : "failed"): \(error.replacingOccurrences(of: "\n", with: " "))"
        }
        return "line \(result.line): \(result.statusURL ?? "")\(result.final.map { " \($0.summary)" } ?? "")"
    }
}

/// Spaces requests `interval` seconds apart.
actor Pacer {
    let interval: Double
    private var next = Date()
    init(interval: Double) { self.interval = interval }

    func take() async {
        let now = Date()
        let slot = max(now, next)
        next = slot.addingTimeInterval(interval)
        let pause = slot.timeIntervalSince(now)
        if pause > 0 { try? await Task.sleep(nanoseconds: UInt64(pause * 1e9)) }
    }
}
