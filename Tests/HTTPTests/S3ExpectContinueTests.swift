import AWSSigV4
import Foundation
import HTTP
import SigningCore
import Testing

/// `Expect: 100-continue` against a real S3-compatible server (the JuiceFS gateway, which
/// answers the headers before the body): a valid presigned PUT gets 100 and, aborted, writes
/// nothing; a tampered one gets a final 403 before any body.
@Suite(.enabled(if: S3Expect.available, Comment(rawValue: "S3 servers not running: run scripts/test.sh")))
struct S3ExpectContinueTests {
    let client = HTTPClient()

    @Test func validPresignedPutGetsContinueAndWritesNothing() async throws {
        let key = "expect/\(TestServers.uniqueID("probe")).jpg"
        let put = try S3Expect.presign(key: key, method: .PUT)
        let probe = try await client.send(HTTPRequest(method: "PUT", url: put, announcedLength: 4096, expectContinue: .probe(timeout: 5)))
        #expect(probe.status == 100 && probe.continueReceived && !probe.bodySent)
        let get = try await client.send(HTTPRequest(url: try S3Expect.presign(key: key, method: .GET)))
        #expect(get.status == 404, "the aborted probe must not have created the object")
    }

    @Test func tamperedPresignedPutIsRefusedBeforeTheBody() async throws {
        var put = try S3Expect.presign(key: "expect/\(TestServers.uniqueID("tampered")).jpg", method: .PUT)
        put = String(put.dropLast()) + (put.hasSuffix("0") ? "1" : "0")
        let probe = try await client.send(HTTPRequest(method: "PUT", url: put, announcedLength: 4096, expectContinue: .probe(timeout: 5)))
        #expect(probe.status == 403)
        #expect(!probe.continueReceived && !probe.bodySent)
        #expect(probe.text.contains("SignatureDoesNotMatch"))
    }

    @Test func sendModeUploadsAfterContinue() async throws {
        let key = "expect/\(TestServers.uniqueID("sent")).bin"
        let bytes = Array("hello after 100".utf8)
        let put = try await client.send(HTTPRequest(method: "PUT", url: try S3Expect.presign(key: key, method: .PUT),
                                                    body: .bytes(bytes), expectContinue: .send(timeout: 5)))
        #expect(put.status == 200 && put.continueReceived && put.bodySent)
        let get = try await client.send(HTTPRequest(url: try S3Expect.presign(key: key, method: .GET)))
        #expect(get.body == bytes)
    }
}

enum S3Expect {
    static let environment = ProcessInfo.processInfo.environment
    /// The JuiceFS gateway from `PRESIGN_TEST_S3_SERVERS`.
    static let endpoint: String? = (environment["PRESIGN_TEST_S3_SERVERS"] ?? "").split(separator: " ")
        .first { $0.hasPrefix("juicefs=") }.map { String($0.dropFirst("juicefs=".count)) }
    static var available: Bool { endpoint != nil || environment["PRESIGN_REQUIRE_SERVERS"] == "1" }

    static func presign(key: String, method: S3Method) throws -> String {
        let credentials = try AWSCredentials(accessKeyID: environment["PRESIGN_TEST_S3_ACCESS_KEY"] ?? "",
                                             secretAccessKey: environment["PRESIGN_TEST_S3_SECRET_KEY"] ?? "")
        let presigner = try S3Presigner(credentials: credentials, region: environment["PRESIGN_TEST_S3_REGION"] ?? "us-east-1",
                                        endpoint: try S3Endpoint(parsing: try #require(endpoint)))
        return try presigner.presign(bucket: environment["PRESIGN_TEST_S3_BUCKET"] ?? "", key: key,
                                     options: S3PresignOptions(method: method, expiresIn: 300), at: Timestamp(Date())).url
    }
}
