import Foundation
import TestSupport
import Testing

/// `presign lightroom` end to end: JuiceFS (a real S3 server checking every signature) is the
/// storage, the IMS and Lightroom API stand-in reads the input through the signed GET URL and
/// writes the output through the signed PUT URL; the output is then read back. Verification first
/// keeps a job with a bad URL from being sent; no secret appears anywhere.
@Suite(.serialized, .enabled(if: S3Servers.available && LightroomCLI.available, Comment(rawValue: "test servers not running: run scripts/test.sh")))
struct LightroomCommandTests {
    static let secret = "presign-test-secret+&=/"
    let server = S3Servers.all.first { $0.name == "juicefs" } ?? S3Servers.all.first ?? S3Servers.Server(name: "none", endpoint: "http://127.0.0.1:1")
    let prefix = "\(S3Servers.runPrefix)/lightroom-\(UUID().uuidString.prefix(6))"

    func lightroom(_ arguments: [String], environment: [String: String]? = nil) async throws -> ProcessResult {
        let env = environment ?? ["LIGHTROOM_CLIENT_ID": "presign-test-client", "LIGHTROOM_CLIENT_SECRET": Self.secret]
        let result = try await ProcessRunner.presign(["lightroom"] + arguments + LightroomCLI.endpoints, environment: env)
        for secret in [Self.secret, "lr-test-"] {
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "a secret was printed")
        }
        return result
    }

    /// Stores a JPEG-like input and returns its GET URL and a PUT URL for the output.
    func storedPair() async throws -> (input: String, output: String, outputRead: String, bytes: Data) {
        let bytes = S3Servers.payload(for: "\(prefix)/in.jpg")
        let put = try await server.presign("\(prefix)/in.jpg", ["--method", "PUT"])
        let upload = try await S3Servers.curl(["-X", "PUT", "--data-binary", "@" + (try S3Servers.write(bytes))], put)
        #expect(upload.status == 200)
        return (try await server.presign("\(prefix)/in.jpg", []), try await server.presign("\(prefix)/out.jpg", ["--method", "PUT"]),
                try await server.presign("\(prefix)/out.jpg", []), bytes)
    }

    @Test func aJobRunsEndToEndAndTheOutputIsWritten() async throws {
        let pair = try await storedPair()
        let result = try await lightroom(["autotone", "--input", pair.input, "--output", pair.output, "--wait", "--poll-interval", "100ms"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix(LightroomCLI.base + "/lrService/status/") && result.stdout.contains(": 1 succeeded"))
        #expect(result.stderr.contains("lightroom: 1 succeeded"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lr-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let read = try await S3Servers.curl(["--output", file.path], pair.outputRead)
        let written = try Data(contentsOf: file)
        #expect(read.status == 200 && written == pair.bytes, "the output is the service's result")
        let status = try await lightroom(["status", String(result.stdout.split(separator: "\n")[0]), "--json"])
        #expect(status.status == 0 && status.stdout.contains(#""succeeded":true"#))
    }

    @Test func aJobWithABadOutputIsNotSent() async throws {
        let pair = try await storedPair()
        let expired = try await server.presign("\(prefix)/late.jpg", ["--method", "PUT", "--at", "2020-01-01T00:00:00Z", "--expires", "1h"])
        let refused = try await lightroom(["autotone", "--input", pair.input, "--output", expired])
        #expect(refused.status == 1 && refused.stderr.contains("The job was not sent") && refused.stderr.contains("expired"), "\(refused.stderr)")
        #expect(try await !LightroomCLI.lastJobBody().contains("late.jpg"), "nothing reached the API")
        // Sent anyway, the service fails to write, and the exit code says so.
        let forced = try await lightroom(["autotone", "--input", pair.input, "--output", expired, "--no-verify", "--wait", "--poll-interval", "100ms"])
        #expect(forced.status == 1 && forced.stdout.contains("failed") && forced.stdout.contains("Unable to upload the outputs"), "\(forced.stdout)\(forced.stderr)")
    }

    @Test func everyVerifyWarningIsShownBeforeTheJobIsSent() async throws {
        let pair = try await storedPair()
        let short = try await server.presign("\(prefix)/short.jpg", ["--method", "PUT", "--expires", "5m"])
        let result = try await lightroom(["autotone", "--input", pair.input, "--output", short])
        #expect(result.status == 0, "\(result.stderr)")
        let expiry = result.stderr.range(of: "before a typical job would finish"), accepted = result.stderr.range(of: "accepted; follow it with")
        #expect(result.stderr.contains("presign: warning: output \(server.endpoint)"), "\(result.stderr)")
        #expect(expiry.flatMap { warned in accepted.map { warned.lowerBound < $0.lowerBound } } == true, "warned before sending: \(result.stderr)")
    }

    @Test func aManifestIsSentWithinTheRateAndSummarised() async throws {
        let pair = try await storedPair()
        var lines: [String] = []
        for index in 1...7 {
            let output = try await server.presign("\(prefix)/batch-\(index).jpg", ["--method", "PUT"])
            lines.append(#"{"input": "\#(pair.input)", "output": "\#(output)"}"#)
        }
        let expired = try await server.presign("\(prefix)/batch-late.jpg", ["--method", "PUT", "--at", "2020-01-01T00:00:00Z"])
        lines.append(#"{"input": "\#(pair.input)", "outputs": ["\#(expired)"]}"#)
        let file = try S3Servers.write(Data(lines.joined(separator: "\n").utf8))
        let before = try await LightroomCLI.arrivals("/lrService/edit").count
        let result = try await lightroom(["edit", "--set", "Exposure=0.25", "--manifest", file, "--concurrency", "4", "--rate", "10", "--wait", "--poll-interval", "100ms"])
        #expect(result.status == 1)
        let printed = result.stdout.split(separator: "\n")
        #expect(printed.count == 8 && printed.prefix(7).allSatisfy { $0.hasSuffix(" 1 succeeded") } && printed[7].hasPrefix("line 8: not sent:"), "\(result.stdout)")
        #expect(result.stderr.contains("lightroom: 8 jobs: 7 sent (7 succeeded, 0 failed), 1 not sent"), "\(result.stderr)")
        let arrivals = Array(try await LightroomCLI.arrivals("/lrService/edit").dropFirst(before))
        // Requests leave 0.1 s apart; each arrives up to 50 ms late on a loaded machine, so any j
        // consecutive gaps span at least j × 0.1 s − 0.05 s (without pacing they would be ~0).
        let gaps = zip(arrivals.dropFirst(), arrivals).map { $0 - $1 }
        let spans = arrivals.indices.flatMap { i in arrivals.indices.filter { $0 > i }.map { j in (arrivals[j] - arrivals[i]) - Double(j - i) * 0.1 } }
        #expect(arrivals.count == 7 && spans.allSatisfy { $0 >= -0.05 }, "at most 10 per second: \(gaps)")
        for index in 1...7 {
            let read = try await S3Servers.curl([], try await server.presign("\(prefix)/batch-\(index).jpg", []))
            #expect(read.status == 200)
        }
    }

    @Test func dryRunShowsTheBodyWithoutSecretsOrSignatures() async throws {
        let pair = try await storedPair()
        let result = try await lightroom(["edit", "--input", pair.input, "--output", pair.output, "--set", "Exposure=0.5", "--set", "WhiteBalance=Auto", "--dry-run"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("POST \(LightroomCLI.base)/lrService/edit\nAuthorization: Bearer <redacted>\nx-api-key: presign-test-client"))
        #expect(result.stdout.contains(#""Exposure" : 0.5"#) && result.stdout.contains("X-Amz-Signature=REDACTED") && !result.stdout.contains(String(pair.input.suffix(20))))
    }

    @Test(arguments: [
        ["autotone", "--input", "https://x/in.jpg"],
        ["autotone", "--input", "https://x/in.jpg", "--output", "https://x/out"],
        ["autotone", "--input", "http://example.com/in.jpg", "--output", "https://x/out.jpg"],
        ["edit", "--input", "https://x/in.jpg", "--output", "https://x/out.jpg", "--set", "Exposure=9"],
        ["edit", "--input", "https://x/in.jpg", "--output", "https://x/out.jpg"],
        ["presets", "--input", "https://x/in.jpg", "--output", "https://x/out.jpg"],
        ["autostraighten", "--input", "https://x/in.jpg", "--output", "https://x/out.jpg", "--upright", "sideways"],
        ["autotone", "--input", "https://x/in.jpg", "--output", "https://x/out.jpg", "--quality", "13"],
        ["xmp", "--input", "https://x/in.jpg", "--output", "https://x/out.jpg", "--xmp", "/no/such.xmp"],
    ])
    func badInputExitsTwo(_ arguments: [String]) async throws {
        let result = try await lightroom(arguments + ["--dry-run"])
        #expect(result.status == 2 && result.stdout.isEmpty && result.stderr.hasPrefix("Error: "), "\(arguments): \(result.stderr)")
    }

    @Test func aBadManifestLineIsNamedAndNothingIsSent() async throws {
        let file = try S3Servers.write(Data(#"{"input": "https://x/in.jpg", "output": "https://x/out.jpg"}\#n{"input": "https://x/in.jpg"}"#.utf8))
        let result = try await lightroom(["autotone", "--manifest", file])
        #expect(result.status == 2 && result.stderr.contains("Manifest line 2") && result.stdout.isEmpty, "\(result.stderr)")
        let range = try S3Servers.write(Data(#"{"input": "https://x/in.jpg", "output": "https://x/out.jpg", "quality": 3}"#.utf8))
        let edit = try await lightroom(["edit", "--manifest", range, "--set", "Exposure=7"])
        #expect(edit.status == 2 && edit.stderr.contains("Manifest line 1: Exposure must be from -5 to 5"), "\(edit.stderr)")
    }

    @Test func missingCredentialsExitTwo() async throws {
        let result = try await lightroom(["autotone", "--input", "https://x/in.jpg", "--output", "https://x/out.jpg"], environment: [:])
        #expect(result.status == 2 && result.stderr.contains("LIGHTROOM_CLIENT_ID"))
    }
}

enum LightroomCLI {
    static let environment = ProcessInfo.processInfo.environment
    static let base = environment["PRESIGN_TEST_LIGHTROOM"] ?? ""
    static var available: Bool { !base.isEmpty || environment["PRESIGN_REQUIRE_SERVERS"] == "1" }
    static var endpoints: [String] { ["--api-base", base, "--ims-url", base + "/ims/token/v3", "--backoff", "50ms"] }

    /// When requests for `path` reached the stand-in (monotonic seconds).
    static func arrivals(_ path: String) async throws -> [Double] {
        let result = try await ProcessRunner.tool("curl", ["-s", base + "/__attempts?path=" + path])
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["times"] as? [Double] ?? []
    }

    /// The body of the last autoTone job the stand-in received ("" when none).
    static func lastJobBody() async throws -> String {
        let result = try await ProcessRunner.tool("curl", ["-s", base + "/__requests/last?path=/lrService/autoTone"])
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["body"] as? String ?? ""
    }
}
