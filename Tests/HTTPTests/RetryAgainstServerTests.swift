import Foundation
import HTTP
import Testing

/// The retry policy against a server that fails on purpose: attempt counts and growing gaps,
/// measured where the requests arrive.
@Suite(.enabled(if: TestServers.available, Comment(rawValue: TestServers.missing)))
struct RetryAgainstServerTests {
    let client = HTTPClient()

    func arrivalGaps(_ id: String) async throws -> [Double] {
        let times = try await TestServers.json("/attempts/\(id)")["times"] as? [Double] ?? []
        return zip(times.dropFirst(), times).map { $0 - $1 }
    }

    @Test func fiveHundredsAreRetriedWithDoublingGaps() async throws {
        let id = TestServers.uniqueID("flaky")
        let policy = RetryPolicy(retries: 3, backoff: 0.2, retryableStatuses: Set(500...599), random: { 1.0 })
        let result = try await client.send(HTTPRequest(url: TestServers.fault + "/flaky/\(id)?fail=3&status=503"), retrying: policy)
        #expect(result.response.status == 200)
        #expect(result.attempts.map(\.status) == [503, 503, 503, 200])
        let gaps = try await arrivalGaps(id)
        #expect(gaps.count == 3)
        for (gap, expected) in zip(gaps, [0.2, 0.4, 0.8]) {
            #expect(gap >= expected * 0.95 && gap < expected + 5, "gap \(gap) for \(expected)")
        }
    }

    @Test func retriesStopAfterTheLimit() async throws {
        let id = TestServers.uniqueID("flaky")
        let policy = RetryPolicy(retries: 3, backoff: 0.05, retryableStatuses: Set(500...599))
        let result = try await client.send(HTTPRequest(url: TestServers.fault + "/flaky/\(id)?fail=10&status=502"), retrying: policy)
        #expect(result.response.status == 502)
        #expect(result.attempts.count == 4)
        #expect(try await TestServers.json("/attempts/\(id)")["count"] as? Int == 4)
    }

    @Test(arguments: [400, 401, 403, 404, 409, 429])
    func otherStatusesAreNotRetried(_ status: Int) async throws {
        let id = TestServers.uniqueID("flaky")
        let result = try await client.send(HTTPRequest(url: TestServers.fault + "/flaky/\(id)?fail=1&status=\(status)"), retrying: .serverErrors(backoff: 0.05))
        #expect(result.response.status == status)
        #expect(try await TestServers.json("/attempts/\(id)")["count"] as? Int == 1)
    }

    @Test func retryAfterIsHonouredWhereAllowed() async throws {
        let id = TestServers.uniqueID("flaky")
        let result = try await client.send(HTTPRequest(url: TestServers.fault + "/flaky/\(id)?fail=1&status=429&retry_after=1"),
                                           retrying: .storageFetch(backoff: 0.05))
        #expect(result.response.status == 200)
        let gaps = try await arrivalGaps(id)
        #expect(gaps.count == 1 && gaps[0] >= 0.95)
    }

    @Test func randomFactorKeepsGapsBetweenHalfAndFull() async throws {
        let id = TestServers.uniqueID("flaky")
        let policy = RetryPolicy(retries: 3, backoff: 0.2, retryableStatuses: [503])
        _ = try await client.send(HTTPRequest(url: TestServers.fault + "/flaky/\(id)?fail=3&status=503"), retrying: policy)
        for (gap, full) in zip(try await arrivalGaps(id), [0.2, 0.4, 0.8]) {
            #expect(gap >= full * 0.5 * 0.95 && gap < full + 5, "gap \(gap) for at most \(full)")
        }
    }

    @Test func droppedConnectionsAreRetriedThenReported() async throws {
        let policy = RetryPolicy(retries: 2, backoff: 0.05, retryableStatuses: Set(500...599))
        let error = await #expect(throws: RetryExhausted.self) {
            try await client.send(HTTPRequest(url: TestServers.fault + "/drop"), retrying: policy)
        }
        #expect(error?.attempts.count == 3)
        #expect(error?.error.kind == .connectionDropped)
    }
}
