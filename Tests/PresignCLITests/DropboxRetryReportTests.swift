import Foundation
import TestSupport
import Testing

/// `presign dropbox` reports each retry of the API call on stderr, against a Dropbox stand-in of
/// its own whose scripted 503s no other suite meets.
@Suite(.standIn("dropbox_standin.py"))
struct DropboxRetryReportTests {
    var base: String { StandInProcess.current?.base ?? "" }

    func curl(_ arguments: [String]) async throws -> ProcessResult {
        try await ProcessRunner.tool("curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}"] + arguments)
    }

    @Test func eachRetryIsOneStderrLine() async throws {
        let path = "/presign-retry/\(UUID().uuidString.prefix(8)).jpg"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try Data("jpeg".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try await curl(["-T", file.path, base + "/__files" + path]).stdout.hasPrefix("20"))
        let script = #"{"route": "/2/files/get_temporary_link", "responses": [{"status": 503}, {"status": 503}]}"#
        #expect(try await curl(["-H", "Content-Type: application/json", "--data-binary", script, base + "/__control"]).stdout == "200")
        let result = try await ProcessRunner.presign(["dropbox", path, "--api-base", base, "--backoff", "50ms"],
                                                     environment: ["DROPBOX_ACCESS_TOKEN": "sl.TEST-ACCESS-TOKEN"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("retrying in ") }
        #expect(lines.count == 2, "\(result.stderr)")
        for (index, line) in lines.enumerated() {
            #expect(line.contains(" s after 503 (\(index + 1)/3): \(base)/2/files/get_temporary_link"), "\(line)")
        }
        #expect(!result.stderr.contains("sl.TEST-ACCESS-TOKEN"))
    }
}
