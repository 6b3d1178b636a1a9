import Foundation
import TestSupport
import Testing

/// What the `--curl` commands really send (run with curl against `LocalListener`): exactly the
/// signed request, and local file names that cannot leave the current directory.
struct CurlOutputTests {
    static let awsEnv = ["AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]
    static let azureEnv = ["AZURE_STORAGE_ACCOUNT": "devstoreaccount1",
                           "AZURE_STORAGE_KEY": "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="]
    static let gcsEnv = ["GOOGLE_HMAC_SECRET": "s3cr3t-value-for-tests"]

    /// A presign command line (the listener's base goes where `{}` is) and the local file the
    /// printed curl command reads.
    static let uploads: [(arguments: [String], env: [String: String], file: String)] = [
        (["s3", "s3://photos/out/dir/", "--method", "PUT", "--endpoint", "{}"], awsEnv, "dir"),
        (["s3", "s3://photos/out/dir/", "--method", "PUT", "--content-type", "image/jpeg", "--endpoint", "{}"], awsEnv, "dir"),
        (["azure", "az://devstoreaccount1/lightroom/out/dir/", "--method", "PUT", "--endpoint", "{}/devstoreaccount1"], azureEnv, "dir"),
        (["gcs", "gs://photos/out/dir/", "--method", "PUT", "--hmac-access-id", "GOOG1EXAMPLE", "--endpoint", "{}"], gcsEnv, "dir"),
        (["gcs", "gs://photos/out/a/../b.jpg", "--method", "PUT", "--hmac-access-id", "GOOG1EXAMPLE", "--endpoint", "{}"], gcsEnv, "b.jpg"),
        (["s3", "s3://photos/out/./c.jpg", "--method", "PUT", "--endpoint", "{}"], awsEnv, "c.jpg"),
    ]

    @Test(arguments: 0..<uploads.count)
    func curlSendsExactlyTheSignedRequest(index: Int) async throws {
        let listener = try LocalListener { _ in .init(status: 200, body: "{}") }
        defer { listener.stop() }
        let (arguments, env, file) = Self.uploads[index]
        let made = try await ProcessRunner.presign(arguments.map { $0.replacingOccurrences(of: "{}", with: listener.base) } + ["--curl"], environment: env)
        #expect(made.status == 0, "\(made.stderr)")
        let command = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let sent = try await Self.runInScratchDirectory(command, file: file, contents: "uploaded bytes \(index)")
        #expect(sent.status == 0, "\(command)\n\(sent.stderr)")
        let request = try #require(listener.requests.first, "nothing arrived for \(command)")
        #expect(listener.requests.count == 1)
        #expect(request.method == "PUT")
        #expect(listener.base + request.target == Self.url(in: command), "curl changed the URL: \(command)")
        #expect(request.body == Data("uploaded bytes \(index)".utf8))
        #expect(request.headers["content-type"] == (arguments.contains("--content-type") ? "image/jpeg" : nil))
    }

    /// A Dropbox link with glob characters is sent once, as it is.
    @Test func globCharactersAreNotExpanded() async throws {
        let listener = try LocalListener { request in
            request.target.hasPrefix("/2/") ? .init(status: 200, body: #"{"link": "http://127.0.0.1:1/apitul/1/T[1-2]{a,b}"}"#) : .init(status: 200, body: "{}")
        }
        defer { listener.stop() }
        let made = try await ProcessRunner.presign(["dropbox", "/out/x.jpg", "--method", "PUT", "--curl", "--api-base", listener.base],
                                                   environment: ["DROPBOX_ACCESS_TOKEN": "sl.TEST-ACCESS-TOKEN"])
        #expect(made.status == 0, "\(made.stderr)")
        let command = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "http://127.0.0.1:1", with: listener.base)
        let sent = try await Self.runInScratchDirectory(command, file: "x.jpg", contents: "x")
        #expect(sent.status == 0, "\(command)\n\(sent.stderr)")
        #expect(listener.requests.dropFirst().map(\.target) == ["/apitul/1/T[1-2]{a,b}"])
    }

    static let hostileNames: [(name: String, local: String?)] = [
        ("../../.ssh/authorized_keys", "authorized_keys"), ("..\\..\\evil.exe", "evil.exe"), (".bashrc", nil), ("-K", nil),
        ("--config=x", nil), ("cat\u{1B}[2J.jpg", nil), ("a\u{202E}gpj.exe", nil), ("..", nil), ("/", nil), ("", nil), ("photo one.jpg", "photo one.jpg"),
    ]

    /// Drive file names are chosen by the file's owner: `gdrive --curl` keeps only a safe base
    /// name, else the file id.
    @Test(arguments: 0..<hostileNames.count)
    func driveFileNamesBecomeSafeBaseNames(index: Int) async throws {
        let (name, local) = Self.hostileNames[index]
        let fileID = "1AbCdEfGhIjK"
        let listener = try LocalListener { request in
            if request.target.hasPrefix("/token") { return .init(status: 200, body: #"{"access_token": "ya29.test-token", "expires_in": 3600}"#) }
            let encoded = (try? JSONSerialization.data(withJSONObject: ["id": fileID, "name": name])) ?? Data()
            return .init(status: 200, body: String(decoding: encoded, as: UTF8.self))
        }
        defer { listener.stop() }
        let key = try GoogleTestKey.write(tokenURI: listener.base + "/token")
        let result = try await ProcessRunner.presign(["gdrive", fileID, "--key-file", key, "--api-base", listener.base, "--curl"])
        #expect(result.status == 0, "\(result.stderr)")
        let words = Self.words(result.stdout)
        let output = try #require(words.firstIndex(of: "--output").map { words[$0 + 1] }, "\(result.stdout)")
        #expect(output == (local ?? fileID), "\(result.stdout)")
    }

    /// The URL a curl command line ends with.
    static func url(in command: String) -> String? { words(command).last }

    /// Splits a command line printed with POSIX quoting (single quotes, backslash escapes).
    static func words(_ command: String) -> [String] {
        var words: [String] = [], current = "", quoted = false, inWord = false, escaped = false
        for character in command.trimmingCharacters(in: .whitespacesAndNewlines) {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "'" {
                quoted.toggle()
                inWord = true
            } else if character == "\\" && !quoted {
                escaped = true
                inWord = true
            } else if character == " " && !quoted {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// Runs `command` with `sh -c` in a fresh directory holding `file`.
    static func runInScratchDirectory(_ command: String, file: String, contents: String) async throws -> ProcessResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("presign-curl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(contents.utf8).write(to: directory.appendingPathComponent(file))
        return try await ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "cd \"$1\" && eval \"$2\"", "sh", directory.path, command + " --silent --show-error --max-time 10"],
                                           environment: ProcessInfo.processInfo.environment)
    }
}
