import Foundation
import HTTP
import Testing

/// Retries that cannot help are not made, and every retry that is made is reported through the
/// policy's hook (the library stays silent without one).
struct RetryDecisionTests {
    let client = HTTPClient()

    /// Collects reported retries.
    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [RetryEvent] = []
        func add(_ event: RetryEvent) { lock.withLock { events.append(event) } }
        var all: [RetryEvent] { lock.withLock { events } }
    }

    func policy(backoff: Double = 1, reports: Reports) -> RetryPolicy {
        var policy = RetryPolicy.serverErrors(retries: 3, backoff: backoff)
        policy.onRetry = { reports.add($0) }
        return policy
    }

    @Test func aHostThatDoesNotResolveIsTriedOnce() async throws {
        let reports = Reports()
        let started = Date()
        let error = await #expect(throws: RetryExhausted.self) {
            try await client.send(HTTPRequest(url: "http://presign-no-such-host.invalid/x"), retrying: policy(reports: reports))
        }
        #expect(error?.error.kind == .dnsFailure)
        #expect(error?.attempts.count == 1)
        #expect(reports.all.isEmpty)
        // Three retries would wait at least 0.5 + 1 + 2 s.
        #expect(Date().timeIntervalSince(started) < 3.5)
    }

    @Test func aRefusedConnectionIsTriedOnceUnlessTheCallerOptsIn() async throws {
        let reports = Reports()
        let refused = HTTPRequest(url: "http://127.0.0.1:1/x")
        let once = await #expect(throws: RetryExhausted.self) { try await client.send(refused, retrying: policy(reports: reports)) }
        #expect(once?.error.kind == .connectionRefused && once?.attempts.count == 1)
        #expect(reports.all.isEmpty)

        var optedIn = policy(backoff: 0.01, reports: reports)
        optedIn.retriesRefusedConnections = true
        let retried = await #expect(throws: RetryExhausted.self) { try await client.send(refused, retrying: optedIn) }
        #expect(retried?.attempts.count == 4)
        #expect(reports.all.map(\.reason) == ["connection-refused", "connection-refused", "connection-refused"])
        #expect(reports.all.map(\.retry) == [1, 2, 3])
    }

    @Test(arguments: [HTTPError.Kind.timeout, .connectionDropped, .other])
    func transientTransportErrorsAreRetried(_ kind: HTTPError.Kind) {
        #expect(RetryPolicy.serverErrors().shouldRetry(HTTPError(kind: kind, curlCode: 0, message: "")))
    }

    @Test(arguments: [HTTPError.Kind.dnsFailure, .connectionRefused, .invalidURL, .cancelled, .localFile, .tlsSelfSigned, .tlsExpired])
    func errorsARetryCannotMendAreNot(_ kind: HTTPError.Kind) {
        #expect(!RetryPolicy.serverErrors().shouldRetry(HTTPError(kind: kind, curlCode: 0, message: "")))
    }

    @Test func anEventReadsAsTheCommandLinePrintsIt() {
        let event = RetryEvent(retry: 2, retries: 3, delay: 0.8125, status: 503, error: nil, url: "https://h/k?X-Amz-Signature=abc123")
        #expect(event.description == "retrying in 0.8 s after 503 (2/3)")
        #expect(!event.url.contains("abc123"))
        let dropped = RetryEvent(retry: 1, retries: 2, delay: 1.96, status: nil, error: HTTPError(kind: .connectionDropped, curlCode: 52, message: ""), url: "http://h/")
        #expect(dropped.description == "retrying in 2.0 s after connection-dropped (1/2)")
    }
}

/// Retry reports against the fault server: one event per retry, with the wait actually taken.
@Suite(.enabled(if: TestServers.available, Comment(rawValue: TestServers.missing)))
struct RetryReportsAgainstServerTests {
    @Test func everyRetryIsReportedWithItsWait() async throws {
        let id = TestServers.uniqueID("reported")
        let reports = RetryDecisionTests.Reports()
        var policy = RetryPolicy(retries: 3, backoff: 0.2, retryableStatuses: [503], random: { 1.0 })
        policy.onRetry = { reports.add($0) }
        let result = try await HTTPClient().send(HTTPRequest(url: TestServers.fault + "/flaky/\(id)?fail=2&status=503"), retrying: policy)
        #expect(result.response.status == 200)
        #expect(try await TestServers.json("/attempts/\(id)")["count"] as? Int == 3)
        #expect(reports.all.map(\.description) == ["retrying in 0.2 s after 503 (1/3)", "retrying in 0.4 s after 503 (2/3)"])
        #expect(reports.all.allSatisfy { $0.url.hasSuffix("/flaky/\(id)?fail=2&status=503") })
    }
}
