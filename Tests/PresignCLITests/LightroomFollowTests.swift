import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `presign lightroom` never loses an accepted job (its link at once, and how to follow it when
/// interrupted), shows the elapsed time while waiting, shows every verify warning before sending,
/// and reads its endpoints from PRESIGN_LIGHTROOM_API / PRESIGN_IMS_URL.
@Suite(.serialized, .enabled(if: LightroomCLI.available, Comment(rawValue: "Lightroom stand-in not running: run scripts/test.sh")))
struct LightroomFollowTests {
    static let credentials = ["LIGHTROOM_CLIENT_ID": "presign-test-client", "LIGHTROOM_CLIENT_SECRET": "presign-test-secret+&=/"]
    /// A job the stand-in accepts and then fails (nothing listens on port 9): no storage needed.
    static let offlineJob = ["autotone", "--input", "http://127.0.0.1:9/in.jpg", "--output", "http://127.0.0.1:9/follow-out.jpg", "--no-verify"]

    @Test(arguments: [(SIGINT, 130, false), (SIGTERM, 143, true)])
    func anInterruptedWaitSaysHowToFollowTheJob(signal number: Int32, exitCode: Int32, json: Bool) async throws {
        let run = try Running(["lightroom"] + Self.offlineJob + ["--wait", "--poll-interval", "30s"] + (json ? ["--json"] : []) + LightroomCLI.endpoints,
                              environment: Self.credentials)
        defer { run.stop() }
        #expect(try await run.waitForStderr(containing: "accepted"), "accepted in time: \(run.stderr)")
        kill(run.process.processIdentifier, number)
        let status = try await run.exitStatus()
        let link = run.stdout.split(separator: "\n").first.map(String.init) ?? ""
        let statusURL = json ? ((try? JSONSerialization.jsonObject(with: Data(link.utf8))) as? [String: Any])?["statusUrl"] as? String ?? "" : link
        #expect(status == exitCode, "exit \(String(describing: status)); \(run.stderr)")
        #expect(statusURL.hasPrefix(LightroomCLI.base + "/lrService/status/"), "the link was on stdout at once: \(run.stdout)")
        #expect(run.stderr.contains("presign lightroom status \(statusURL)\n") && run.stderr.contains(number == SIGINT ? "Interrupted" : "Terminated"), "\(run.stderr)")
    }

    @Test func aManifestAnnouncesEachAcceptedJobAndPrintsJSONLines() async throws {
        let lines = (1...2).map { #"{"input": "http://127.0.0.1:9/in.jpg", "output": "http://127.0.0.1:9/follow-\#($0).jpg"}"# }
        let result = try await ProcessRunner.presign(["lightroom", "autotone", "--manifest", "-", "--no-verify", "--json"] + LightroomCLI.endpoints,
                                                     environment: Self.credentials, stdin: lines.joined(separator: "\n"))
        #expect(result.status == 0, "\(result.stderr)")
        let objects = result.stdout.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        #expect(objects.map { $0["line"] as? Int } == [1, 2], "\(result.stdout)")
        for (number, object) in zip(1..., objects) {
            let link = object["statusUrl"] as? String ?? ""
            #expect(link.hasPrefix(LightroomCLI.base + "/lrService/status/") && object["error"] is NSNull)
            #expect(result.stderr.contains("lightroom: line \(number) accepted; follow it with: presign lightroom status \(link)\n"), "\(result.stderr)")
        }
    }

    @Test func progressLinesCarryTheElapsedTime() async throws {
        let result = try await ProcessRunner.presign(["lightroom"] + Self.offlineJob + ["--wait", "--poll-interval", "100ms"] + LightroomCLI.endpoints,
                                                     environment: Self.credentials)
        #expect(result.status == 1, "the job fails: \(result.stderr)")
        let progress = result.stderr.split(separator: "\n").filter { $0.hasPrefix("lightroom: ") && !$0.contains("accepted") }
        #expect(!progress.isEmpty && progress.allSatisfy { $0.wholeMatch(of: /lightroom: .+ \(\d+\.\d s\)/) != nil }, "\(result.stderr)")
    }

    @Test func endpointsComeFromTheEnvironmentAndAFlagWins() async throws {
        let submitted = try await ProcessRunner.presign(["lightroom"] + Self.offlineJob + LightroomCLI.endpoints, environment: Self.credentials)
        let link = submitted.stdout.split(separator: "\n").first.map(String.init) ?? ""
        let jobID = String(link.split(separator: "/").last ?? "")
        #expect(submitted.status == 0 && !jobID.isEmpty, "\(submitted.stderr)")
        let variables = Self.credentials.merging(["PRESIGN_LIGHTROOM_API": LightroomCLI.base, "PRESIGN_IMS_URL": LightroomCLI.base + "/ims/token/v3"]) { $1 }
        let fromVariables = try await ProcessRunner.presign(["lightroom", "status", jobID], environment: variables)
        #expect(fromVariables.stdout.hasPrefix("job \(jobID): "), "the variables were used: \(fromVariables.stderr)")
        let closed = Self.credentials.merging(["PRESIGN_LIGHTROOM_API": "http://127.0.0.1:9", "PRESIGN_IMS_URL": "http://127.0.0.1:9/ims"]) { $1 }
        let flagsWin = try await ProcessRunner.presign(["lightroom", "status", jobID] + LightroomCLI.endpoints, environment: closed)
        #expect(flagsWin.stdout.hasPrefix("job \(jobID): "), "the flags won: \(flagsWin.stderr)")
        let dryRun = try await ProcessRunner.presign(["lightroom", "edit", "--input", "https://x/in.jpg", "--output", "https://x/out.jpg", "--set", "Exposure=1", "--dry-run"],
                                                     environment: variables)
        #expect(dryRun.stdout.hasPrefix("POST \(LightroomCLI.base)/lrService/edit\n"), "\(dryRun.stdout)\(dryRun.stderr)")
        for command in [["autotone"], ["status"]] {
            let help = try await ProcessRunner.presign(["lightroom"] + command + ["--help"])
            #expect(help.stdout.contains("PRESIGN_LIGHTROOM_API") && help.stdout.contains("PRESIGN_IMS_URL"), "\(command) --help documents them")
        }
    }
}

/// A `presign` run that a test can signal: output gathered as it comes, stopped by `stop()`.
final class Running: @unchecked Sendable {
    let process = Process()
    private let out = LockedBox(Data()), err = LockedBox(Data())

    init(_ arguments: [String], environment: [String: String]) throws {
        process.executableURL = ProcessRunner.presignExecutable
        process.arguments = arguments
        process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": "/nonexistent-presign-test-home"]
            .merging(environment) { $1 }
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        let out = self.out, err = self.err
        outPipe.fileHandleForReading.readabilityHandler = { handle in out.value.append(handle.availableData) }
        errPipe.fileHandleForReading.readabilityHandler = { handle in err.value.append(handle.availableData) }
        try ChildProcesses.launch(process)
    }

    var stdout: String { String(decoding: out.value, as: UTF8.self) }
    var stderr: String { String(decoding: err.value, as: UTF8.self) }

    /// Whether stderr came to contain `text` within `seconds`.
    func waitForStderr(containing text: String, seconds: Double = 20) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !stderr.contains(text) {
            guard Date() < deadline, process.isRunning else { return stderr.contains(text) }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return true
    }

    /// The exit status once it exited by itself (nil if killed by a signal or still running after `seconds`).
    func exitStatus(seconds: Double = 10) async throws -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        guard !process.isRunning else { return nil }
        try await Task.sleep(nanoseconds: 100_000_000)  // the last output through the pipes
        return process.terminationReason == .exit ? process.terminationStatus : nil
    }

    func stop() { ChildProcesses.stop(process) }
}
