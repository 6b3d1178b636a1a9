import ArgumentParser
import Foundation
import SigningCore

/// A failure the commands raise themselves, with its exit code.
struct CLIFailure: Error, CustomStringConvertible {
    /// The sentence shown after `Error: `.
    let message: String
    /// 1 for an operation that failed, 2 for a usage error.
    let exitCode: Int32

    var description: String { message }

    /// A usage error (exit 2): bad flag, bad value, missing credential; nothing was sent.
    static func usage(_ message: String) -> CLIFailure { CLIFailure(message: message, exitCode: 2) }
    /// An operation that failed (exit 1).
    static func failed(_ message: String) -> CLIFailure { CLIFailure(message: message, exitCode: 1) }

    /// The message and exit code for any error, scrubbed of every secret the process holds (a
    /// message may quote a server, and servers echo credentials); a `nil` message means nothing
    /// more to print (help and version requests exit 0 through ArgumentParser; `ExitCode`
    /// carries its own).
    static func describe(_ error: Error) -> (String?, Int32) {
        let (message, code) = unscrubbed(error)
        return (message.map(SecretRegistry.scrub), code)
    }

    private static func unscrubbed(_ error: Error) -> (String?, Int32) {
        switch error {
        case let failure as CLIFailure: return (failure.message, failure.exitCode)
        case let error as any CodedError: return (error.message, error.isUsageError ? 2 : 1)
        case let code as ExitCode: return code == .success ? (nil, 0) : (nil, code.rawValue)
        default:
            if Presign.exitCode(for: error) == .success { return (nil, 0) }
            // Parse and validation errors: ArgumentParser's message and usage, exit 2.
            return (Presign.fullMessage(for: error).replacingOccurrences(of: "Error: ", with: ""), 2)
        }
    }
}

/// Unbuffered writes to stderr, every one scrubbed of the secrets the process holds (warnings
/// and progress lines may quote a server).
enum StandardError {
    static func write(_ text: String) {
        var copy = SecretRegistry.scrub(text)
        copy.withUTF8 { buffer in _ = Foundation.write(2, buffer.baseAddress, buffer.count) }
    }
}

/// Buffered writes to stdout, flushed in large blocks (batch output).
final class StandardOutput {
    private var buffer: [UInt8] = []
    private let limit: Int

    init(limit: Int = 1 << 18) {
        self.limit = limit
        buffer.reserveCapacity(limit + 4096)
    }

    func append(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes); flushIfFull() }
    func append(_ text: String) { buffer.append(contentsOf: text.utf8); flushIfFull() }

    /// Appends through a closure that writes into the buffer directly (no copies).
    func withBuffer(_ body: (inout [UInt8]) throws -> Void) rethrows {
        try body(&buffer)
        flushIfFull()
    }

    private func flushIfFull() { if buffer.count >= limit { flush() } }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { Foundation.write(1, $0.baseAddress, $0.count) }
            if written <= 0 {
                if errno == EINTR { continue }
                break
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
