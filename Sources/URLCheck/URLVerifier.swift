import Foundation
import HTTP
import SigningCore

/// Checks that the service can really read each input and write each output, without destroying
/// data: a ranged GET for inputs (then a look at the bytes), an `Expect: 100-continue` PUT aborted
/// after the server accepts the headers for outputs.
public struct URLVerifier: Sendable {
    public var http: HTTPClient
    /// 429, 502, 503, 504 retried, as the Lightroom service retries when it fetches and stores.
    public var policy: RetryPolicy = .storageFetch()
    /// Upload a small probe instead of stopping after `100 Continue` (overwrites the object).
    public var writeProbe = false
    /// Allow consuming single-use links (Dropbox upload links) to prove them.
    public var consume = false
    public var caFile: String?
    public var timeout: Double = 30
    public var minimumLifetime: Int64 = 900
    /// The time for the offline checks (`--at`); `nil` is the system clock.
    public var now: Timestamp?
    /// Headers the consumer will send (`--header`), sent with every check; they replace a
    /// provider header of the same name.
    public var headers: [(name: String, value: String)] = []

    public init(http: HTTPClient = HTTPClient()) { self.http = http }

    /// Checks `url` in `role` (inferred from the URL, else input, when `nil`).
    public func verify(_ url: String, role: URLRole?) async -> VerificationOutcome {
        let clock = now ?? Timestamp(Date())
        let report = URLInspector(now: clock, minimumLifetime: minimumLifetime, role: role, sentHeaders: Set(headers.map { $0.name.lowercased() })).inspect(url)
        let effective = role ?? report.impliedRole ?? .input
        var outcome = VerificationOutcome(url: URLRedaction.redact(url), role: effective, roleInferred: role == nil, provider: report.provider)
        outcome.problems = report.problems
        outcome.warnings = report.warnings
        if role == nil {
            if report.impliedRole == nil {
                outcome.warnings.append("Checked as an input: the URL does not say whether it is for reading or writing (give --input or --output).")
            } else {
                outcome.notes.append("Checked as an \(effective.rawValue), as the URL implies.")
            }
        }
        guard !report.malformed else {
            outcome.verdict = .failed
            outcome.hint = "Fix the URL; nothing was sent."
            return outcome
        }
        if report.singleUse && !consume {
            // Whether even a header-only request uses up the link is not documented: send nothing,
            // whatever the role, the spelling or --write-probe.
            outcome.verdict = effective == .output && outcome.problems.isEmpty ? .unverifiable : .failed
            outcome.hint = "A Dropbox upload link works once, so proving it means using it; nothing was sent. Let the job use it, or re-run with --consume (then make a new link for the job)."
            if outcome.verdict == .unverifiable {
                outcome.warnings.append("Not checked: a single-use Dropbox upload link can be proven only by using it (verdict unverifiable; --strict makes it fail).")
            }
            return outcome
        }
        do {
            switch effective {
            case .input: try await checkRead(url, report: report, into: &outcome)
            case .output: try await checkWrite(url, report: report, into: &outcome)
            }
        } catch let exhausted as RetryExhausted {
            fail(&outcome, code: exhausted.error.code, hint: exhausted.error.message)
        } catch let error as HTTPError {
            fail(&outcome, code: error.code, hint: error.message)
        } catch {
            fail(&outcome, code: nil, hint: "\(error)")
        }
        if outcome.verdict == .ok && !outcome.problems.isEmpty {
            outcome.verdict = .failed
            outcome.hint = outcome.hint ?? outcome.problems.first
        }
        return outcome
    }

    func fail(_ outcome: inout VerificationOutcome, code: String?, hint: String) {
        outcome.verdict = .failed
        outcome.providerCode = code ?? outcome.providerCode
        outcome.hint = hint
    }

    private func checkRead(_ url: String, report: InspectionReport, into outcome: inout VerificationOutcome) async throws {
        var request = HTTPRequest.rangedGet(url: url, firstBytes: 4096, headers: headers)
        request.caFile = caFile
        request.totalTimeout = timeout
        let response = try await send(request, into: &outcome)
        outcome.status = response.status
        checkClock(response, into: &outcome)
        guard response.status == 200 || response.status == 206 else {
            let diagnosis = ProviderDiagnosis.diagnose(response, provider: report.provider, role: .input)
            return fail(&outcome, code: diagnosis.code, hint: unsentHeaderHint(response, report: report) ?? diagnosis.hint)
        }
        if let kind = ContentSniffer.sniff(response.body) {
            outcome.content = kind.name
            if kind.isHTML {
                return fail(&outcome, code: nil, hint: "The URL serves an HTML page (a share or login page?), not the file. Use a direct download URL.")
            }
            if !kind.isImage { outcome.warnings.append("The content is \(kind.name), not an image; fine for presets and XMP, not for a photo input.") }
        } else {
            outcome.content = response.body.isEmpty ? "empty" : "unrecognised"
            outcome.warnings.append(response.body.isEmpty ? "The object is empty." : "The first bytes are not an image format the Lightroom API reads (JPEG, PNG, TIFF, DNG/raw, HEIC, PSD).")
        }
    }

    private func checkWrite(_ url: String, report: InspectionReport, into outcome: inout VerificationOutcome) async throws {
        // A single-use link gets here only with --consume (see verify): it is proven by using it.
        let singleUse = report.singleUse
        let uploading = writeProbe || singleUse
        if !uploading, let control = SignatureControl.tampered(url) {
            // The negative control goes first: a server that says 100 Continue to a broken
            // signature proves nothing with it, and the real URL is then not sent at all (an
            // upload cut short could leave an empty object behind on such a server).
            let answer = try await send(writeRequest(control, report: report, uploading: false), into: &outcome).status
            if answer == 100 || (200...299).contains(answer) {
                outcome.status = nil
                outcome.verdict = .inconclusive
                outcome.hint = "This server answers 100 Continue before it checks the signature (it did so for a deliberately broken copy of this URL), so writing cannot be proven without uploading. Re-run with --write-probe to upload a small probe (it overwrites the object)."
                return
            }
        }
        let response = try await send(writeRequest(url, report: report, uploading: uploading), into: &outcome)
        outcome.status = response.status == 0 ? nil : response.status
        checkClock(response, into: &outcome)
        switch response.status {
        case 100:
            outcome.notes.append(SignatureControl.tampered(url) == nil
                ? "The server accepted the upload's headers (100 Continue); nothing was written. The URL has no signature, so whether the server judges access before the body could not be tested."
                : "The server accepted the upload's headers (100 Continue) and refused a deliberately broken copy of the URL; nothing was written.")
        case 200...299:
            if uploading && !singleUse {
                outcome.notes.append("A \(Self.probe.count)-byte probe was written to the output (--write-probe); the job will overwrite it.")
            } else {
                outcome.warnings.append(!uploading ? "The server answered \(response.status) before any body was sent."
                    : "The single-use link was consumed by the probe (--consume): make a new one for the job.")
            }
        case 0:
            outcome.verdict = .inconclusive
            outcome.hint = "The server did not answer Expect: 100-continue, so writing could not be proven without uploading. Re-run with --write-probe to upload a small probe\(singleUse ? " (a single-use link needs --consume)" : "")."
        default:
            let diagnosis = ProviderDiagnosis.diagnose(response, provider: report.provider, role: .output)
            fail(&outcome, code: diagnosis.code, hint: unsentHeaderHint(response, report: report) ?? diagnosis.hint)
        }
    }

    static let probe = Array("presign verify probe\n".utf8)

    /// The PUT (or the URL's own method) with the headers the provider needs: the probe body, or
    /// `Expect: 100-continue` and a stop before the body.
    private func writeRequest(_ url: String, report: InspectionReport, uploading: Bool) -> HTTPRequest {
        let method = report.method ?? "PUT"
        let given = Set(self.headers.map { $0.name.lowercased() })
        let headers = report.requiredHeaders.filter { !$0.value.isEmpty && !given.contains($0.name.lowercased()) } + self.headers
        var request = uploading
            ? HTTPRequest(method: method, url: url, headers: headers, body: .bytes(Self.probe))
            : HTTPRequest(method: method, url: url, headers: headers, announcedLength: 1 << 20, expectContinue: .probe(timeout: 5))
        request.caFile = caFile
        request.totalTimeout = timeout
        return request
    }

    /// When a refusal (400, 401, 403: servers differ) follows a check that left out signed headers whose values the URL does not
    /// carry, the fix is to send them, not to sign again: which ones, and how.
    func unsentHeaderHint(_ response: HTTPResponse, report: InspectionReport) -> String? {
        guard [400, 401, 403].contains(response.status) else { return nil }
        let given = Set(headers.map { $0.name.lowercased() })
        let unsent = report.requiredHeaders.filter { $0.value.isEmpty && !given.contains($0.name.lowercased()) }.map(\.name)
        guard let first = unsent.first else { return nil }
        let names = unsent.count == 1 ? "the header \(first)" : "the headers \(unsent.joined(separator: ", "))"
        return "The URL signs \(names), which this check did not send (the URL does not carry the value): pass what the consumer will send with --header '\(first): VALUE'\(unsent.count > 1 ? " (once per header)" : "")."
    }

    /// Sends with the retry policy; retries are reported as a warning.
    private func send(_ request: HTTPRequest, into outcome: inout VerificationOutcome) async throws -> HTTPResponse {
        let result = try await http.send(request, retrying: policy)
        if result.attempts.count > 1 {
            let earlier = result.attempts.dropLast().map { $0.status.map(String.init) ?? $0.error?.code ?? "no answer" }
            outcome.warnings.append("Answered after \(result.attempts.count) tries (earlier: \(earlier.joined(separator: ", "))); the service retries such failures too.")
        }
        return result.response
    }

    /// A server clock far from ours explains "not valid yet" and early expiry.
    private func checkClock(_ response: HTTPResponse, into outcome: inout VerificationOutcome) {
        guard now == nil, let serverTime = response.header("Date").flatMap(HTTPDate.parse) else { return }
        let skew = serverTime.timeIntervalSinceNow
        if abs(skew) > 300 {
            outcome.warnings.append("The server's clock differs from this machine's by \(Int(skew)) s; times in signed URLs are judged by the server's. Sync this machine's clock.")
        }
    }
}
