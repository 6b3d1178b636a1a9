import AWSSigV4
import Foundation
import HTTP
import SigningCore
import Testing

/// TLS failures classified from curl's own codes (nginx with a throwaway CA), and
/// `Expect: 100-continue` probes that write nothing.
@Suite(.enabled(if: TestServers.available, Comment(rawValue: TestServers.missing)))
struct TLSAndExpectTests {
    let client = HTTPClient()

    @Test func trustedCertificateWorksWithTheExtraCA() async throws {
        let response = try await client.send(HTTPRequest(url: TestServers.tlsGood + "/hello.txt", caFile: TestServers.caFile))
        #expect(response.status == 200)
        #expect(response.timings.tls > 0 && response.timings.tls >= response.timings.connect)
        #expect(response.timings.total >= response.timings.firstByte)
    }

    @Test(arguments: [
        ("good-without-ca", HTTPError.Kind.tlsUnknownAuthority),
        ("self-signed", .tlsSelfSigned),
        ("wrong-name", .tlsNameMismatch),
        ("expired", .tlsExpired),
    ])
    func tlsFailuresHaveTheirOwnKind(_ name: String, _ kind: HTTPError.Kind) async throws {
        let base = switch name {
        case "self-signed": TestServers.tlsSelfSigned
        case "wrong-name": TestServers.tlsWrongName
        case "expired": TestServers.tlsExpired
        default: TestServers.tlsGood
        }
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: base + "/hello.txt", caFile: name == "good-without-ca" ? nil : TestServers.caFile))
        }
        #expect(error?.kind == kind, "\(error?.message ?? "")")
    }

    @Test func probeStopsAfterContinueAndSendsNoBody() async throws {
        let path = "/expect/ok/\(TestServers.uniqueID("probe"))"
        let response = try await client.send(HTTPRequest(method: "PUT", url: TestServers.fault + path, body: .none,
                                                         announcedLength: 1024, expectContinue: .probe(timeout: 5)))
        #expect(response.status == 100)
        #expect(response.continueReceived && !response.bodySent)
        try await Task.sleep(nanoseconds: 300_000_000)
        let log = try #require(try await TestServers.json("/expect-log")[path] as? [String: Any])
        #expect(log["continue_sent"] as? Bool == true)
        #expect(log["body_bytes"] as? Int == 0)
        #expect(log["completed"] as? Bool == false)
    }

    @Test func probeGetsTheFinalRefusalBeforeAnyBody() async throws {
        let response = try await client.send(HTTPRequest(method: "PUT", url: TestServers.fault + "/expect/deny/\(TestServers.uniqueID("probe"))",
                                                         announcedLength: 1024, expectContinue: .probe(timeout: 5)))
        #expect(response.status == 403)
        #expect(!response.continueReceived && !response.bodySent)
    }
}
