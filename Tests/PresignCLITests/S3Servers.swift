import Foundation
import TestSupport
import Testing

/// The S3-compatible servers `scripts/s3-servers.sh` starts, as described by `.ci-work/s3.env`.
enum S3Servers {
    struct Server: Sendable, CustomTestStringConvertible {
        let name: String
        let endpoint: String
        var testDescription: String { name }

        /// Runs `presign s3` for `key` on this server and returns the URL.
        func presign(_ key: String, _ flags: [String], expectWarning: Bool = false) async throws -> String {
            let result = try await ProcessRunner.presign(
                ["s3", "s3://\(S3Servers.bucket)/\(key)", "--endpoint", endpoint, "--region", S3Servers.region] + flags,
                environment: ["AWS_ACCESS_KEY_ID": S3Servers.accessKey, "AWS_SECRET_ACCESS_KEY": S3Servers.secretKey])
            #expect(result.status == 0, "presign failed: \(result.stderr)")
            // `send header:` lines name the signed headers the client must send; anything else is a warning.
            let warnings = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("send header: ") }
            #expect(warnings.isEmpty != expectWarning, "stderr: \(result.stderr)")
            #expect(!result.stderr.contains(S3Servers.secretKey))
            return result.stdout.trimmingCharacters(in: .newlines)
        }
    }

    static let environment = ProcessInfo.processInfo.environment
    static let bucket = environment["PRESIGN_TEST_S3_BUCKET"] ?? ""
    static let region = environment["PRESIGN_TEST_S3_REGION"] ?? "us-east-1"
    static let accessKey = environment["PRESIGN_TEST_S3_ACCESS_KEY"] ?? ""
    static let secretKey = environment["PRESIGN_TEST_S3_SECRET_KEY"] ?? ""

    /// `PRESIGN_TEST_S3_SERVERS="name=URL name=URL"`.
    static let all: [Server] = (environment["PRESIGN_TEST_S3_SERVERS"] ?? "").split(separator: " ").compactMap { entry in
        let parts = entry.split(separator: "=", maxSplits: 1)
        return parts.count == 2 ? Server(name: String(parts[0]), endpoint: String(parts[1])) : nil
    }

    /// Present, or required (`PRESIGN_REQUIRE_SERVERS=1`, so a CI run without servers fails loudly).
    static var available: Bool { !all.isEmpty || environment["PRESIGN_REQUIRE_SERVERS"] == "1" }
    static let missingMessage = "S3 servers not running: run scripts/test.sh (or scripts/s3-servers.sh start && source .ci-work/s3.env)"

    /// A prefix unique to this test run, so runs never see each other's objects.
    static let runPrefix = "run-\(UUID().uuidString.prefix(8).lowercased())"

    /// Deterministic, key-specific bytes (a JPEG-like header and 64 KiB of varied content).
    static func payload(for key: String) -> Data {
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
        var state = UInt64(truncatingIfNeeded: key.utf8.reduce(5381) { ($0 << 5) &+ $0 &+ UInt64($1) })
        for _ in 0..<65_536 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            bytes.append(UInt8(truncatingIfNeeded: state >> 33))
        }
        return Data(bytes)
    }

    /// Writes `data` to a fresh temporary file and returns its path.
    static func write(_ data: Data) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("presign-\(UUID().uuidString)")
        try data.write(to: url)
        return url.path
    }

    /// Runs curl on `url` with `arguments`; returns the HTTP status and the response body.
    static func curl(_ arguments: [String], _ url: String) async throws -> (status: Int, body: String) {
        let bodyFile = FileManager.default.temporaryDirectory.appendingPathComponent("presign-body-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: bodyFile) }
        var args = ["-sS", "-w", "%{http_code}", url] + arguments
        if !arguments.contains("--output") { args += ["--output", bodyFile.path] }
        let result = try await ProcessRunner.tool("curl", args)
        #expect(result.status == 0, "curl failed: \(result.stderr)")
        let body = (try? String(contentsOf: bodyFile, encoding: .utf8)) ?? ""
        return (Int(result.stdout) ?? -1, body)
    }
}
