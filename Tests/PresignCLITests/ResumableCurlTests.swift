import Foundation
import TestSupport
import Testing

/// `presign gcs ... --method RESUMABLE --curl` prints a shell snippet that starts the session with
/// the signed POST, takes `Location` from the answer, and PUTs the file there: run with /bin/sh
/// against `LocalListener` playing the storage server.
struct ResumableCurlTests {
    static let env = ["GOOGLE_HMAC_SECRET": "s3cr3t-value-for-tests"]

    /// Prints the snippet for an upload of `gs://photos/out/cat.jpg` to `listener`.
    static func snippet(_ listener: LocalListener, extra: [String] = []) async throws -> String {
        let made = try await ProcessRunner.presign(["gcs", "gs://photos/out/cat.jpg", "--method", "RESUMABLE", "--hmac-access-id", "GOOG1EXAMPLE",
                                                    "--endpoint", listener.base, "--curl"] + extra, environment: env)
        #expect(made.status == 0, "\(made.stderr)")
        return made.stdout
    }

    /// Runs `script` with /bin/sh in a fresh directory holding `cat.jpg`; returns the result
    /// and the names in the directory afterwards.
    static func run(_ script: String, contents: String) async throws -> (ProcessResult, [String]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("presign-resumable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(contents.utf8).write(to: directory.appendingPathComponent("cat.jpg"))
        try Data(script.utf8).write(to: directory.appendingPathComponent("upload.sh"))
        let result = try await ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "cd \"$1\" && sh ./upload.sh", "sh", directory.path],
                                                 environment: ProcessInfo.processInfo.environment)
        return (result, try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted())
    }

    @Test func snippetStartsTheSessionAndUploadsToItsLocation() async throws {
        let listener = try LocalListener { request in
            request.method == "POST"
                ? .init(status: 200, body: "", headers: ["Location": "http://127.0.0.1:\(request.headers["host"]?.split(separator: ":").last ?? "0")/upload/storage/v1/b/photos/o?uploadType=resumable&upload_id=ABC-123"])
                : .init(status: 200, body: "{}")
        }
        defer { listener.stop() }
        let script = try await Self.snippet(listener, extra: ["--content-type", "image/jpeg"])
        let (result, _) = try await Self.run(script, contents: "the whole file")
        #expect(result.status == 0, "\(script)\n\(result.stderr)")
        let requests = listener.requests
        #expect(requests.map(\.method) == ["POST", "PUT"], "\(script)")
        let start = try #require(requests.first)
        #expect(start.headers["x-goog-resumable"] == "start" && start.headers["content-type"] == "image/jpeg")
        #expect(start.body.isEmpty, "the session start carries no file")
        #expect(start.target.hasPrefix("/photos/out/cat.jpg?") && start.target.contains("X-Goog-Signature="))
        let upload = try #require(requests.last)
        #expect(upload.target == "/upload/storage/v1/b/photos/o?uploadType=resumable&upload_id=ABC-123")
        #expect(upload.body == Data("the whole file".utf8))
    }

    /// A server's `Location` is data, never shell code; without one, nothing is uploaded and the
    /// snippet fails with a message.
    @Test func locationIsNeverRunAndAMissingOneFails() async throws {
        let hostile = try LocalListener { request in
            request.method == "POST" ? .init(status: 200, body: "", headers: ["Location": "http://127.0.0.1:1/x?$(touch${IFS}pwned)`touch${IFS}pwned2`"]) : .init(status: 200, body: "")
        }
        defer { hostile.stop() }
        let (_, names) = try await Self.run(try await Self.snippet(hostile), contents: "x")
        #expect(names == ["cat.jpg", "upload.sh"], "the Location header ran as code: \(names)")

        let refusing = try LocalListener { _ in .init(status: 403, contentType: "application/xml", body: "<Error><Code>SignatureDoesNotMatch</Code></Error>") }
        defer { refusing.stop() }
        let script = try await Self.snippet(refusing)
        let (result, _) = try await Self.run(script, contents: "x")
        #expect(result.status != 0)
        #expect(result.stderr.contains("session was not started"), "\(result.stderr)")
        #expect(refusing.requests.map(\.method) == ["POST"])
    }

    /// The snippet is two lines, sets no shell options and does not `exit` (it may be pasted
    /// into an interactive shell).
    @Test func snippetIsPasteSafe() async throws {
        let listener = try LocalListener { _ in .init(status: 500, body: "") }
        defer { listener.stop() }
        let script = try await Self.snippet(listener)
        #expect(script.split(separator: "\n").count == 2, "\(script)")
        #expect(!script.contains("set -") && !script.contains("exit"), "\(script)")
    }
}
