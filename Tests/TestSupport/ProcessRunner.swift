import Foundation

/// Runs a program to completion and captures what it printed.
public struct ProcessResult: Sendable {
    /// The exit status.
    public let status: Int32
    /// Everything written to stdout.
    public let stdout: String
    /// Everything written to stderr.
    public let stderr: String
}

public enum ProcessRunner {
    /// The `presign` executable built beside the test bundle.
    public static let presignExecutable: URL = {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("presign")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return TestPaths.repositoryRoot.appendingPathComponent(".build/debug/presign")
    }()

    /// Runs `executable` with `arguments`, an exact `environment`, and `stdin` as input.
    ///
    /// Async, and blocking no cooperative thread: the pipes are read on threads of their own and
    /// the exit is awaited through the termination handler, so tests that wait on processes never
    /// starve the timing-sensitive tests running beside them.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String], stdin: String? = nil) async throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let outData = LockedData(), errorData = LockedData()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ProcessResult, Error>) in
            let group = DispatchGroup()
            group.enter()
            group.enter()
            group.enter()
            process.terminationHandler = { _ in group.leave() }
            do {
                try ChildProcesses.launch(process)
            } catch {
                continuation.resume(throwing: error)
                return
            }
            Thread.detachNewThread { outData.set(out.fileHandleForReading.readDataToEndOfFile()); group.leave() }
            Thread.detachNewThread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()); group.leave() }
            Thread.detachNewThread {
                if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
                try? input.fileHandleForWriting.close()
            }
            group.notify(queue: .global()) {
                ChildProcesses.stop(process)
                continuation.resume(returning: ProcessResult(status: process.terminationStatus,
                                                             stdout: String(decoding: outData.value, as: UTF8.self),
                                                             stderr: String(decoding: errorData.value, as: UTF8.self)))
            }
        }
    }

    /// Runs `presign` with `arguments` and exactly `environment` (plus PATH and a throwaway HOME).
    public static func presign(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) async throws -> ProcessResult {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": "/nonexistent-presign-test-home"]
        env.merge(environment) { $1 }
        return try await run(presignExecutable, arguments, environment: env, stdin: stdin)
    }

    /// Runs a program found on PATH.
    public static func tool(_ name: String, _ arguments: [String]) async throws -> ProcessResult {
        try await run(URL(fileURLWithPath: "/usr/bin/env"), [name] + arguments, environment: ProcessInfo.processInfo.environment)
    }
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var done = false
    func set(_ value: Data) { lock.lock(); data = value; done = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return done }
    var value: Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// Runs blocking work (large file writes, waiting on a pipe) on a thread of its own, so it
/// never holds one of the few cooperative threads that every other async test needs.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
