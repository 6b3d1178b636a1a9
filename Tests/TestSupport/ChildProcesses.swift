import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Every process a test starts, started so that it cannot outlive the test process.
///
/// - Each child leads a process group of its own (Foundation's `Process` starts it so), so stopping
///   it stops what it started.
/// - On Linux each child is started through `setpriv --pdeathsig TERM` from one thread that lives as
///   long as the test process: the kernel sends the child SIGTERM when the test process dies, however
///   it dies (a crash, SIGKILL, a killed `swift test`). The death signal follows the thread that
///   started the child, hence that one long-lived thread.
/// - Every child still running when the test process exits normally is stopped then.
/// - ``stop(_:grace:)`` (SIGTERM to the group, SIGKILL after `grace`) is what a test's scope calls.
public enum ChildProcesses {
    /// Starts `process` (executable and arguments already set) as described above.
    public static func launch(_ process: Process) throws {
        guard let executable = process.executableURL else { throw StandInError(message: "a child process needs an executable") }
        var wrapped = [executable.path] + (process.arguments ?? [])
        if FileManager.default.isExecutableFile(atPath: setpriv) { wrapped = [setpriv, "--pdeathsig", "TERM", "--"] + wrapped }
        process.executableURL = URL(fileURLWithPath: wrapped[0])
        process.arguments = Array(wrapped.dropFirst())
        Registry.shared.installExitHook()
        try LauncherThread.shared.run { try process.run() }
        Registry.shared.add(process)
    }

    /// Stops `process` and everything in its process group: SIGTERM, then SIGKILL if it is still
    /// running after `grace` seconds; returns once it has been reaped. Safe to call more than once.
    public static func stop(_ process: Process, grace: TimeInterval = 2) {
        defer { Registry.shared.remove(process) }
        guard process.processIdentifier > 0, process.isRunning else { return }
        signalGroup(of: process, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { signalGroup(of: process, SIGKILL) }
        process.waitUntilExit()
    }

    /// Whether a process with this PID exists and has not exited (a zombie counts as exited).
    public static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    static let setpriv = "/usr/bin/setpriv"

    static func signalGroup(of process: Process, _ signal: Int32) {
        let pid = process.processIdentifier
        if kill(-pid, signal) != 0 { kill(pid, signal) }
    }

    /// The children still running; stopped when the test process exits.
    final class Registry: @unchecked Sendable {
        static let shared = Registry()
        private let lock = NSLock()
        private var children: [ObjectIdentifier: Process] = [:]
        private var hooked = false

        func add(_ process: Process) { lock.withLock { children[ObjectIdentifier(process)] = process } }
        func remove(_ process: Process) { _ = lock.withLock { children.removeValue(forKey: ObjectIdentifier(process)) } }

        func installExitHook() {
            let first = lock.withLock { () -> Bool in defer { hooked = true }; return !hooked }
            if first { atexit { ChildProcesses.Registry.shared.stopAll() } }
        }

        func stopAll() {
            let all = lock.withLock { Array(children.values) }
            for process in all where process.isRunning { ChildProcesses.signalGroup(of: process, SIGTERM) }
            let deadline = Date().addingTimeInterval(2)
            while all.contains(where: { $0.isRunning }) && Date() < deadline { usleep(10_000) }
            for process in all where process.isRunning { ChildProcesses.signalGroup(of: process, SIGKILL) }
        }
    }

    /// The one thread that starts every child (see the type's documentation); it never exits.
    final class LauncherThread: @unchecked Sendable {
        static let shared = LauncherThread()
        private let condition = NSCondition()
        private var jobs: [() -> Void] = []

        private init() {
            let thread = Thread { [unowned self] in self.loop() }
            thread.name = "presign-tests-child-launcher"
            thread.start()
        }

        private func loop() {
            while true {
                condition.lock()
                while jobs.isEmpty { condition.wait() }
                let job = jobs.removeFirst()
                condition.unlock()
                job()
            }
        }

        /// Runs `body` on the launcher thread and returns its result.
        func run(_ body: @escaping () throws -> Void) throws {
            let done = DispatchSemaphore(value: 0)
            let failure = LockedBox<Error?>(nil)
            condition.lock()
            jobs.append {
                do { try body() } catch { failure.value = error }
                done.signal()
            }
            condition.signal()
            condition.unlock()
            done.wait()
            if let error = failure.value { throw error }
        }
    }
}

/// A value shared between threads behind a lock.
public final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    /// A box holding `value`.
    public init(_ value: Value) { stored = value }

    /// The value (read and written under the lock).
    public var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
