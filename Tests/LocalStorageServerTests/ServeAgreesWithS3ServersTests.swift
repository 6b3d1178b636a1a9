import AWSSigV4
import Foundation
import HTTP
import LocalStorageServer
import SigningCore
import TestSupport
import Testing

/// `presign serve` and the real S3-compatible servers (JuiceFS gateway, SeaweedFS) take the same
/// decision on the same presigned requests, made by botocore and by this project: valid,
/// tampered, expired, future-dated (SeaweedFS accepts those, so JuiceFS alone is the reference
/// there) and wrong-method.
@Suite(.serialized, .enabled(if: S3Reference.available, Comment(rawValue: "S3 servers not running: run scripts/test.sh")))
struct ServeAgreesWithS3ServersTests {
    enum Signer: String, CaseIterable { case presign, botocore }

    struct Scenario: Sendable {
        let name: String
        let method: String
        let urlMethod: String
        let offset: Int64
        let expires: Int64
        let tamper: Bool
        let seaweedAgrees: Bool
    }

    static let scenarios = [
        Scenario(name: "valid PUT", method: "PUT", urlMethod: "PUT", offset: 0, expires: 600, tamper: false, seaweedAgrees: true),
        Scenario(name: "valid GET", method: "GET", urlMethod: "GET", offset: 0, expires: 600, tamper: false, seaweedAgrees: true),
        Scenario(name: "tampered GET", method: "GET", urlMethod: "GET", offset: 0, expires: 600, tamper: true, seaweedAgrees: true),
        Scenario(name: "tampered PUT", method: "PUT", urlMethod: "PUT", offset: 0, expires: 600, tamper: true, seaweedAgrees: true),
        Scenario(name: "expired GET", method: "GET", urlMethod: "GET", offset: -7200, expires: 60, tamper: false, seaweedAgrees: true),
        Scenario(name: "future-dated GET", method: "GET", urlMethod: "GET", offset: 86_400, expires: 600, tamper: false, seaweedAgrees: false),
        Scenario(name: "GET URL used to PUT", method: "PUT", urlMethod: "GET", offset: 0, expires: 600, tamper: false, seaweedAgrees: true),
        Scenario(name: "PUT URL used to GET", method: "GET", urlMethod: "PUT", offset: 0, expires: 600, tamper: false, seaweedAgrees: true),
    ]

    @Test(arguments: Signer.allCases)
    func sameDecisions(_ signer: Signer) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("serve-agree-\(UUID().uuidString)")
        var configuration = StorageServerConfiguration(root: root)
        configuration.s3Secrets = [S3Reference.accessKey: S3Reference.secretKey]
        let serve = try await StorageServer.start(configuration)
        defer { Task { await serve.stop(); try? FileManager.default.removeItem(at: root) } }
        let servers = [("presign serve", serve.baseURL)] + S3Reference.servers
        let key = "agree/\(signer.rawValue)-\(UUID().uuidString.prefix(8)) photo.jpg"
        let http = HTTPClient()
        for scenario in Self.scenarios {
            var decisions: [String: Bool] = [:]
            for (name, endpoint) in servers {
                var url = try await S3Reference.url(signer: signer, endpoint: endpoint, key: key, method: scenario.urlMethod,
                                                    at: Timestamp(Date()).adding(seconds: scenario.offset), expires: scenario.expires)
                if scenario.tamper { url = String(url.dropLast()) + (url.hasSuffix("0") ? "1" : "0") }
                let body: HTTPBody = scenario.method == "PUT" ? .bytes(Array("agree".utf8)) : .none
                let response = try await http.send(HTTPRequest(method: scenario.method, url: url, body: body))
                decisions[name] = (200...299).contains(response.status)
            }
            let reference = decisions["juicefs"]
            #expect(reference != nil)
            #expect(decisions["presign serve"] == reference, "\(signer) \(scenario.name): \(decisions)")
            if scenario.seaweedAgrees, let seaweed = decisions["seaweedfs"] {
                #expect(seaweed == reference, "\(signer) \(scenario.name): \(decisions)")
            }
        }
    }
}

/// The real S3 servers of `scripts/s3-servers.sh`, and how to sign for them.
enum S3Reference {
    static let environment = ProcessInfo.processInfo.environment
    static let accessKey = environment["PRESIGN_TEST_S3_ACCESS_KEY"] ?? ""
    static let secretKey = environment["PRESIGN_TEST_S3_SECRET_KEY"] ?? ""
    static let bucket = environment["PRESIGN_TEST_S3_BUCKET"] ?? ""
    static let servers: [(String, String)] = (environment["PRESIGN_TEST_S3_SERVERS"] ?? "").split(separator: " ").compactMap {
        let parts = $0.split(separator: "=", maxSplits: 1)
        return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
    }
    static var available: Bool { !servers.isEmpty || environment["PRESIGN_REQUIRE_SERVERS"] == "1" }

    static func url(signer: ServeAgreesWithS3ServersTests.Signer, endpoint: String, key: String, method: String, at: Timestamp, expires: Int64) async throws -> String {
        switch signer {
        case .presign:
            let presigner = try S3Presigner(credentials: try AWSCredentials(accessKeyID: accessKey, secretAccessKey: secretKey), region: "us-east-1",
                                            endpoint: try ServiceEndpoint(parsing: endpoint), addressing: .path)
            return try presigner.presign(bucket: bucket, key: key, options: S3PresignOptions(method: S3Method(rawValue: method)!, expiresIn: expires), at: at).url
        case .botocore:
            let request: [String: Any] = ["endpoint": endpoint, "bucket": bucket, "key": key, "method": method, "expires": expires,
                                          "at": at.secondsSince1970, "access_key": accessKey, "secret_key": secretKey]
            let input = String(decoding: try JSONSerialization.data(withJSONObject: [request]), as: UTF8.self)
            let script = TestPaths.repositoryRoot.appendingPathComponent("Tests/StandIns/botocore_presign.py").path
            let result = try await ProcessRunner.run(TestPaths.python, [script],
                                                     environment: ProcessInfo.processInfo.environment, stdin: input)
            let urls = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String], "botocore: \(result.stderr)")
            return try #require(urls.first)
        }
    }
}
