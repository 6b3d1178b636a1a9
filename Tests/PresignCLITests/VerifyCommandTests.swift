import Foundation
import TestSupport
import Testing

/// `presign verify` as users run it, against nginx (TLS, static files, WebDAV), the fault server
/// (transient failures) and the Dropbox stand-in (single-use upload links): verdicts, exit codes,
/// JSON lines in input order for a 1000-URL manifest, and usage errors.
@Suite(.enabled(if: VerifyServers.available, Comment(rawValue: "HTTP test servers not running: run scripts/test.sh")))
struct VerifyCommandTests {
    let env = ProcessInfo.processInfo.environment

    func verify(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) async throws -> ProcessResult {
        try await ProcessRunner.presign(["verify", "--backoff", "20ms"] + arguments, environment: environment, stdin: stdin)
    }

    func lines(_ json: String) throws -> [[String: Any]] {
        try json.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func tlsContentAndMethodFailuresEachSayWhy() async throws {
        let good = VerifyServers.tlsGood, selfSigned = VerifyServers.tlsSelfSigned, plain = VerifyServers.staticHTTP
        let output = "\(plain)/upload/verify-\(UUID().uuidString).jpg"
        let result = try await verify(["--cacert", VerifyServers.caFile, "--json",
                                       "--input", "\(good)/sample.bin", "--input", "\(good)/page.html", "--input", "\(selfSigned)/sample.bin",
                                       "--output", output, "--output", "\(plain)/hello.txt"])
        #expect(result.status == 1)
        let objects = try lines(result.stdout)
        #expect(objects.map { $0["verdict"] as? String } == ["ok", "failed", "failed", "ok", "failed"], "\(result.stdout)")
        #expect(objects.map { $0["status"] as? Int } == [206, 206, nil, 100, 405])
        #expect((objects[1]["hint"] as? String)?.contains("HTML") == true)
        #expect((objects[2]["hint"] as? String)?.contains("self-signed") == true)
        #expect((objects[4]["hint"] as? String)?.contains("PUT") == true)
        #expect(objects.allSatisfy { Set($0.keys).isSuperset(of: ["url", "role", "ok", "status", "verdict", "problems", "warnings", "hint"]) })
        let written = try await ProcessRunner.tool("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", output])
        #expect(written.stdout == "404", "checking the output wrote it")
    }

    @Test func transientFailuresAreRetriedAsTheServiceDoes() async throws {
        let id = "verify-\(UUID().uuidString.prefix(8))"
        let recovered = try await verify(["--input", "\(VerifyServers.fault)/flaky/\(id)?fail=2&status=503"])
        #expect(recovered.status == 0 && recovered.stdout.contains("Answered after 3 tries (earlier: 503, 503)"), "\(recovered.stdout)")
        let persistent = try await verify(["--retries", "1", "--input", "\(VerifyServers.fault)/flaky/\(id)-b?fail=5&status=503"])
        #expect(persistent.status == 1 && persistent.stdout.contains("HTTP 503"), "\(persistent.stdout)")
        let notRetried = try await verify(["--input", "\(VerifyServers.fault)/flaky/\(id)-c?fail=1&status=500"])
        #expect(notRetried.status == 1 && notRetried.stdout.contains("HTTP 500"), "500 is not a storage-fetch retry status")
    }

    @Test func aDropboxUploadLinkIsUsedOnlyWithConsume() async throws {
        let path = "/presign-verify/\(UUID().uuidString.prefix(8))/out.jpg"
        let made = try await ProcessRunner.presign(["dropbox", path, "--method", "PUT", "--api-base", VerifyServers.dropbox],
                                                   environment: ["DROPBOX_ACCESS_TOKEN": "sl.TEST-ACCESS-TOKEN"])
        let link = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(made.status == 0 && link.contains("/apitul/1/"))
        let careful = try await verify([link])
        #expect(careful.status == 0 && careful.stdout.hasPrefix("UNVERIFIABLE output") && careful.stdout.contains("--consume"), "\(careful.stdout)")
        let consumed = try await verify(["--consume", "--output", link])
        #expect(consumed.status == 0 && consumed.stdout.contains("consumed"), "the link was still unused: \(consumed.stdout)")
        let again = try await verify(["--consume", "--output", link])
        #expect(again.status == 1 && again.stdout.contains("HTTP 410"), "\(again.stdout)")
    }

    @Test func aManifestOf1000IsCheckedConcurrentlyAndPrintedInOrder() async throws {
        let count = 1000
        let manifest = (0..<count).map { index in
            let path = index % 10 == 3 ? "missing-\(index).jpg" : "hello.txt?n=\(index)"
            return #"{"role": "input", "url": "\#(VerifyServers.staticHTTP)/\#(path)"}"#
        }.joined(separator: "\n")
        let result = try await verify(["--manifest", "-", "--concurrency", "32", "--json"], stdin: manifest)
        #expect(result.status == 1)
        let objects = try lines(result.stdout)
        #expect(objects.count == count)
        for (index, object) in objects.enumerated() {
            let missing = index % 10 == 3
            #expect((object["url"] as? String)?.hasSuffix(missing ? "missing-\(index).jpg" : "n=\(index)") == true)
            #expect(object["ok"] as? Bool == !missing && object["status"] as? Int == (missing ? 404 : 206))
        }
        #expect(result.stderr.contains("verify: 1000/1000 checked, 100 not ok"))
    }

    @Test(arguments: [["verify"], ["verify", "--concurrency", "0", "http://x/y"], ["verify", "--manifest", "-"], ["verify", "--manifest", "/no/such/file"],
                      ["verify", "--timeout", "soon", "http://x/y"]])
    func usageErrorsExitTwo(_ arguments: [String]) async throws {
        let result = try await ProcessRunner.presign(arguments, stdin: #"{"role": "sideways", "url": "http://x/y"}"#)
        #expect(result.status == 2 && result.stdout.isEmpty && result.stderr.hasPrefix("Error: "), "\(arguments): \(result.stderr)")
    }
}

enum VerifyServers {
    static let environment = ProcessInfo.processInfo.environment
    static let caFile = environment["PRESIGN_TEST_TLS_CA"] ?? ""
    static let tlsGood = environment["PRESIGN_TEST_TLS_GOOD"] ?? ""
    static let tlsSelfSigned = environment["PRESIGN_TEST_TLS_SELFSIGNED"] ?? ""
    static let staticHTTP = environment["PRESIGN_TEST_HTTP_STATIC"] ?? ""
    static let fault = environment["PRESIGN_TEST_FAULT"] ?? ""
    static let dropbox = environment["PRESIGN_TEST_DROPBOX"] ?? ""
    static var available: Bool { !staticHTTP.isEmpty || environment["PRESIGN_REQUIRE_SERVERS"] == "1" }
}
