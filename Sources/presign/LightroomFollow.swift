import Dispatch
import Foundation
import LightroomAPI
import SigningCore

/// Jobs the API accepted and that are still being waited for. Once the first is added, SIGINT and
/// SIGTERM no longer kill the process silently: it says how to follow each job
/// (`presign lightroom status URL`) and exits 130 or 143, as a shell expects.
final class AcceptedJobs: @unchecked Sendable {
    /// The process's one list (signals are per process).
    static let shared = AcceptedJobs()

    private let lock = NSLock()
    private var links: [String] = []
    private var sources: [DispatchSourceSignal] = []

    /// Says on stderr (and on stdout: the link, or `{"statusUrl": ...}` with `--json`) that the
    /// job was accepted, at once and flushed, so that an interruption cannot lose it.
    static func announce(_ statusURL: String, json: Bool, label: String = "job") {
        if json { print(JSONText.object([("statusUrl", JSONText.string(statusURL))])) } else if label == "job" { print(statusURL) }
        fflush(nil)
        StandardError.write("lightroom: \(label) accepted; follow it with: presign lightroom status \(statusURL)\n")
    }

    /// Follows `statusURL` from now on; the first call installs the signal handlers.
    func add(_ statusURL: String) {
        lock.withLock {
            links.append(statusURL)
            guard sources.isEmpty else { return }
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { AcceptedJobs.shared.interrupted(by: number) }
                source.resume()
                sources.append(source)
            }
        }
    }

    /// `statusURL` finished (or failed to be followed): no need to mention it any more.
    func remove(_ statusURL: String) {
        lock.withLock { links.removeAll { $0 == statusURL } }
    }

    /// What an interruption prints: every job still running and how to follow it.
    static func interruptionText(signal number: Int32, links: [String]) -> String {
        let what = number == SIGINT ? "Interrupted" : "Terminated"
        guard !links.isEmpty else { return "presign: \(what); no accepted job was still running.\n" }
        let jobs = links.count == 1 ? "The job goes on at the service" : "The \(links.count) jobs go on at the service"
        return "presign: \(what) while waiting. \(jobs); follow \(links.count == 1 ? "it" : "them") with:\n"
            + links.map { "  presign lightroom status \($0)\n" }.joined()
    }

    private func interrupted(by number: Int32) {
        let pending = lock.withLock { links }
        fflush(nil)
        StandardError.write(Self.interruptionText(signal: number, links: pending))
        exit(128 + number)
    }
}
