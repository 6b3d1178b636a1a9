import Foundation
import TestSupport

/// `presign serve` as a child process on a free port, optionally under shell limits
/// (`ulimit -f 64` runs it as `/bin/sh -c 'ulimit -f 64; exec presign serve ...'`).
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let baseURL: String
    /// Where the server's stderr goes.
    let errorLog: URL

    init(root: URL, extra: [String] = [], shellLimits: String? = nil) async throws {
        let arguments = ["serve", "--root", root.path, "--port", "0"] + extra
        if let shellLimits {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "\(shellLimits); exec \"$0\" \"$@\"", ProcessRunner.presignExecutable.path] + arguments
        } else {
            process.executableURL = ProcessRunner.presignExecutable
            process.arguments = arguments
        }
        let output = Pipe()
        process.standardOutput = output
        errorLog = FileManager.default.temporaryDirectory.appendingPathComponent("serve-stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errorLog)
        try ChildProcesses.launch(process)
        let line = try await offThePool { () -> String in
            var data = Data()
            while !data.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                data.append(chunk)
            }
            return String(decoding: data, as: UTF8.self)
        }
        baseURL = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard baseURL.hasPrefix("http://") else {
            let log = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
            ChildProcesses.stop(process)
            try? FileManager.default.removeItem(at: errorLog)
            throw StandInError(message: "presign serve did not start: \(line) \(log)")
        }
    }

    /// What the server wrote to stderr so far.
    var errorText: String { (try? String(contentsOf: errorLog, encoding: .utf8)) ?? "" }

    /// `VmHWM` (peak resident set) of the server, in KiB.
    func peakMemoryKiB() -> Int? { statusField("VmHWM:") }

    /// `VmRSS` (current resident set) of the server, in KiB.
    func residentMemoryKiB() -> Int? { statusField("VmRSS:") }

    private func statusField(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    /// How many descriptors the server holds open (`/proc/PID/fd`).
    func openDescriptors() -> Int? {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/fd"))?.count
    }

    func stop() {
        ChildProcesses.stop(process)
        try? FileManager.default.removeItem(at: errorLog)
    }
}
