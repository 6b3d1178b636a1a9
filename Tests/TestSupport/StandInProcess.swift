import Foundation
import Testing

/// A Python stand-in server (`Tests/StandIns/*.py`) started by a test or a suite for itself on a free
/// port, so scripted faults queued there cannot be consumed by other tests.
///
/// It is started through ``ChildProcesses`` (it dies with the test process) with `--exit-with-parent`
/// (it also watches for that itself) and without `--state-dir`, so it keeps its state in a temporary
/// folder of its own that it removes when it exits. ``stop()`` ends it (SIGTERM, then SIGKILL);
/// ``with(script:arguments:environment:_:)`` and the ``StandInScope`` suite trait stop it when their
/// scope ends, also when the test fails or is cancelled.
public final class StandInProcess: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`.
    public let base: String
    /// The stand-in's process id.
    public let pid: Int32
    private let process: Process

    /// The stand-in of the ``StandInScope`` that encloses the running test, if any.
    @TaskLocal public static var current: StandInProcess?

    /// Starts `Tests/StandIns/<script>` with `--port 0` and `arguments` and waits (up to 15 s) for its
    /// "... listening on http://HOST:PORT" line. `environment` is added to the test's own.
    public init(script: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = TestPaths.python
        process.arguments = [TestPaths.repositoryRoot.appendingPathComponent("Tests/StandIns/\(script)").path,
                             "--host", "127.0.0.1", "--port", "0", "--exit-with-parent", "--quiet"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try ChildProcesses.launch(process)
        pid = process.processIdentifier
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
            ChildProcesses.stop(process)
            throw StandInError(message: "\(script) did not start with \(TestPaths.python.path): \(text.isEmpty ? "no output" : text)")
        }
        base = String(text[range.lowerBound...].prefix { !$0.isWhitespace })
    }

    /// Stops the stand-in (SIGTERM, SIGKILL after 2 s) and waits for it; safe to call again.
    public func stop() { ChildProcesses.stop(process) }

    deinit { stop() }

    /// Runs `body` with a stand-in that is stopped when `body` returns, throws or is cancelled.
    public static func with<T>(script: String, arguments: [String] = [], environment: [String: String] = [:],
                               _ body: (StandInProcess) async throws -> T) async throws -> T {
        let standIn = try await offThePool { try StandInProcess(script: script, arguments: arguments, environment: environment) }
        defer { standIn.stop() }
        return try await body(standIn)
    }
}

/// A suite trait that runs the whole suite with its own stand-in, reachable as
/// ``StandInProcess/current``, and stops it when the suite ends (passed, failed or cancelled).
public struct StandInScope: SuiteTrait, TestScoping {
    /// The stand-in's file in `Tests/StandIns/`.
    public let script: String
    /// Extra command-line arguments.
    public let arguments: [String]

    /// The scope covers the suite once, not each of its tests.
    public var isRecursive: Bool { false }

    /// Starts the stand-in, runs the suite with it as ``StandInProcess/current``, stops it.
    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await StandInProcess.with(script: script, arguments: arguments) { standIn in
            try await StandInProcess.$current.withValue(standIn) { try await function() }
        }
    }
}

extension Trait where Self == StandInScope {
    /// The suite runs with its own instance of `Tests/StandIns/<script>` (see ``StandInScope``).
    public static func standIn(_ script: String, arguments: [String] = []) -> Self {
        StandInScope(script: script, arguments: arguments)
    }
}

/// A stand-in that could not be started.
public struct StandInError: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    /// An error saying `message`.
    public init(message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
