import Foundation

/// A stand-in server (`Tests/StandIns/*.py`) started by a test suite for itself on a free port,
/// so scripted faults queued by that suite cannot be consumed by tests running in parallel.
/// It stops when the value is released.
public final class StandInProcess: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`.
    public let base: String
    private let process: Process
    private let stateDirectory: URL

    /// Starts `Tests/StandIns/<script>` with `--port 0` and `arguments`; waits for its
    /// "... listening on http://HOST:PORT" line.
    public init(script: String, arguments: [String] = []) throws {
        stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("standin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.repositoryRoot.appendingPathComponent("Tests/StandIns/\(script)").path,
                             "--host", "127.0.0.1", "--port", "0", "--state-dir", stateDirectory.path, "--quiet"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        let reader = output.fileHandleForReading
        let deadline = Date().addingTimeInterval(15)
        while !line.contains(UInt8(ascii: "\n")) && Date() < deadline {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "http://") else {
            process.terminate()
            throw StandInError(message: "\(script) did not start: \(text)")
        }
        base = String(text[range.lowerBound...].prefix { !$0.isWhitespace })
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: stateDirectory)
    }
}

/// A stand-in that could not be started.
public struct StandInError: Error, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
