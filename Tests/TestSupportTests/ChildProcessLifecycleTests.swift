import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Nothing the tests start outlives them: a stand-in ends with its scope (also when the scope is
/// cancelled), promptly on SIGTERM and SIGINT, and with the test process however that dies; and it
/// leaves no temporary state behind.
@Suite(.serialized)
struct ChildProcessLifecycleTests {
    /// A scratch folder, used as the stand-in's TMPDIR so that its temporary state can be seen.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("presign-lifecycle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func entries(_ url: URL) -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] }

    /// Waits (polling, up to `seconds`) for `condition`; returns whether it came true.
    static func eventually(within seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() > deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    @Test func aCancelledScopeStopsItsStandInAndItsStateGoes() async throws {
        let tmp = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let started = LockedBox<Int32?>(nil)
        let task = Task {
            try await StandInProcess.with(script: "dropbox_standin.py", environment: ["TMPDIR": tmp.path]) { standIn in
                started.value = standIn.pid
                try await Task.sleep(for: .seconds(120))
            }
        }
        #expect(await Self.eventually(within: 30) { started.value != nil })
        let pid = try #require(started.value)
        #expect(ChildProcesses.isAlive(pid))
        #expect(Self.entries(tmp).contains { $0.hasPrefix("presign-dropbox-standin-") }, "the stand-in keeps its state in a temporary folder")
        task.cancel()
        _ = await task.result
        #expect(!ChildProcesses.isAlive(pid))
        #expect(Self.entries(tmp).isEmpty, "left behind: \(Self.entries(tmp))")
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aStandInEndsPromptlyOnASignal(_ signal: Int32) async throws {
        let tmp = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let standIn = try StandInProcess(script: "google_standin.py",
                                         arguments: ["--key-file", TestPaths.fixture("google-jwt/test-service-account.json").path],
                                         environment: ["TMPDIR": tmp.path])
        defer { standIn.stop() }
        #expect(!Self.entries(tmp).isEmpty)
        let sent = Date()
        kill(standIn.pid, signal)
        #expect(await Self.eventually(within: 5) { !ChildProcesses.isAlive(standIn.pid) })
        let took = Date().timeIntervalSince(sent)
        #expect(took < 1, "the stand-in took \(took) s to end")
        #expect(Self.entries(tmp).isEmpty, "left behind: \(Self.entries(tmp))")
    }

    /// Runs ``StandInLifecycleProbe`` (a suite whose scope starts a stand-in and then waits) in a
    /// child run of this test binary, kills that run halfway, and expects its stand-in gone.
    @Test(arguments: [SIGKILL, SIGTERM, SIGINT])
    func aKilledTestRunTakesItsStandInWithIt(_ signal: Int32) async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tmp = folder.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let run = Process()
        run.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        run.arguments = ["--testing-library", "swift-testing", "--filter", "StandInLifecycleProbe"]
        run.environment = ProcessInfo.processInfo.environment.merging(
            [StandInLifecycleProbe.folderVariable: folder.path, "TMPDIR": tmp.path]) { $1 }
        run.standardOutput = FileHandle.nullDevice
        run.standardError = FileHandle.nullDevice
        try ChildProcesses.launch(run)
        defer { ChildProcesses.stop(run) }
        let pidFile = folder.appendingPathComponent(StandInLifecycleProbe.pidFile)
        #expect(await Self.eventually(within: 60) { FileManager.default.fileExists(atPath: pidFile.path) },
                "the probe suite did not start its stand-in")
        let pid = try #require(Int32(try String(contentsOf: pidFile, encoding: .utf8)))
        #expect(ChildProcesses.isAlive(pid))

        kill(run.processIdentifier, signal)
        #expect(await Self.eventually(within: 10) { !run.isRunning })
        #expect(await Self.eventually(within: 2) { !ChildProcesses.isAlive(pid) }, "stand-in \(pid) outlived the killed test run")
        #expect(await Self.eventually(within: 2) { Self.entries(tmp).isEmpty }, "left behind: \(Self.entries(tmp))")
    }
}

/// Names the folder where the child run writes its stand-in's PID (set only for that run).
let lifecycleProbeFolderVariable = "PRESIGN_LIFECYCLE_PROBE_FOLDER"

/// The child run of ``ChildProcessLifecycleTests/aKilledTestRunTakesItsStandInWithIt(_:)``: enabled only
/// there. Its scope starts a stand-in; the test writes the stand-in's PID and waits to be killed.
@Suite(.enabled(if: ProcessInfo.processInfo.environment[lifecycleProbeFolderVariable] != nil),
       .standIn("dropbox_standin.py"))
struct StandInLifecycleProbe {
    static let folderVariable = lifecycleProbeFolderVariable
    static let pidFile = "standin.pid"

    @Test func holdAStandInUntilKilled() async throws {
        let folder = try #require(ProcessInfo.processInfo.environment[Self.folderVariable])
        let pid = try #require(StandInProcess.current?.pid)
        let temporary = URL(fileURLWithPath: folder).appendingPathComponent("pid.partial")
        try "\(pid)".write(to: temporary, atomically: false, encoding: .utf8)
        try FileManager.default.moveItem(at: temporary, to: URL(fileURLWithPath: folder).appendingPathComponent(Self.pidFile))
        try await Task.sleep(for: .seconds(120))
    }
}
