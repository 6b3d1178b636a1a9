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
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String], stdin: String? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes concurrently so a full pipe never blocks the child.
        let errorData = LockedData()
        let reader = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return ProcessResult(status: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errorData.value, as: UTF8.self))
    }

    /// Runs `presign` with `arguments` and exactly `environment` (plus PATH and a throwaway HOME).
    public static func presign(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> ProcessResult {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": "/nonexistent-presign-test-home"]
        env.merge(environment) { $1 }
        return try run(presignExecutable, arguments, environment: env, stdin: stdin)
    }

    /// Runs a program found on PATH.
    public static func tool(_ name: String, _ arguments: [String]) throws -> ProcessResult {
        try run(URL(fileURLWithPath: "/usr/bin/env"), [name] + arguments, environment: ProcessInfo.processInfo.environment)
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
