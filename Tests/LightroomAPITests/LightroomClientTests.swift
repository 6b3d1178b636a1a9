import Foundation
import HTTP
import LightroomAPI
import Testing

/// The client against the IMS and Lightroom API stand-in: the token flow, the retry rule the API
/// asks for (5xx only, three retries, doubling gaps, measured where the requests arrive), 429 and
/// other refusals, and no secret in any error.
@Suite(.serialized, .enabled(if: LightroomStandIn.available, Comment(rawValue: LightroomStandIn.missing)))
struct LightroomClientTests {
    typealias S = LightroomStandIn

    @Test func theTokenIsFetchedOnceFormEncodedAndSentWithTheAPIKey() async throws {
        try await S.reset()
        let client = S.client()
        _ = try await client.submit(S.job)
        _ = try await client.submit(S.job)
        #expect(try await S.attempts("/ims/token/v3").count == 1, "the token is cached")
        let ims = try await S.lastRequest("/ims/token/v3")
        #expect(ims.body.contains("client_secret=presign-test-secret%2B%26%3D%2F") && ims.body.contains("scope=openid%2CAdobeID%2Cread_organizations"))
        let api = try await S.lastRequest("/lrService/autoStraighten")
        #expect(api.headers["x-api-key"] == S.clientID && api.headers["authorization"]?.hasPrefix("Bearer lr-test-") == true)
        #expect(api.headers["content-type"] == "application/json")
    }

    @Test func concurrentCallersShareOneTokenExchange() async throws {
        try await S.reset()
        let client = S.client()
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await client.tokens.token() } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(tokens.count == 1)
        #expect(try await S.attempts("/ims/token/v3").count == 1, "one IMS request for eight callers")
    }

    @Test func aWrongSecretIsASentenceWithoutTheSecret() async throws {
        try await S.reset()
        let wrong = "not-the-secret-&+"
        let error = await #expect(throws: LightroomError.self) { try await S.client(secret: wrong).submit(S.job) }
        #expect(error?.code == "ims-invalid_client" && error?.message.contains("LIGHTROOM_CLIENT_SECRET") == true)
        #expect(error?.message.contains(wrong) == false && error?.message.contains("not-the-secret") == false)
        #expect(try await S.attempts("/ims/token/v3").count == 1, "a 4xx from IMS is not retried")
    }

    @Test func serverErrorsAreRetriedThreeTimesWithDoublingGaps() async throws {
        try await S.reset()
        try await S.fault("/lrService/autoStraighten", [["status": 503], ["status": 502], ["status": 500]])
        let link = try await S.client(backoff: 0.2).submit(S.job)
        #expect(link.hasPrefix(S.base + "/lrService/status/"))
        let times = try await S.attempts("/lrService/autoStraighten")
        #expect(times.count == 4)
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        for (gap, expected) in zip(gaps, [0.2, 0.4, 0.8]) {
            #expect(gap >= expected * 0.95 && gap < expected + 0.25, "gaps \(gaps)")
        }
    }

    @Test func aPersistentServerErrorStopsAfterThreeRetries() async throws {
        try await S.reset()
        try await S.fault("/lrService/autoStraighten", Array(repeating: ["status": 503], count: 6))
        let error = await #expect(throws: LightroomError.self) { try await S.client(backoff: 0.01).submit(S.job) }
        #expect(error?.status == 503 && error?.message.contains("after the retries") == true)
        #expect(try await S.attempts("/lrService/autoStraighten").count == 4)
    }

    @Test(arguments: [400, 401, 403, 404, 409, 410])
    func otherStatusesAreNeverRetried(status: Int) async throws {
        try await S.reset()
        try await S.fault("/lrService/autoStraighten", [["status": status]])
        await #expect(throws: LightroomError.self) { try await S.client(token: "lr-test-invalid", backoff: 0.01).submit(S.job) }
        #expect(try await S.attempts("/lrService/autoStraighten").count == 1)
    }

    @Test func a429IsReportedWithItsRetryAfterUnlessAskedToWait() async throws {
        try await S.reset()
        try await S.fault("/lrService/autoStraighten", [["status": 429, "retry_after": "1"]])
        let error = await #expect(throws: LightroomError.self) { try await S.client(backoff: 0.01).submit(S.job) }
        #expect(error?.status == 429 && error?.retryAfter == 1 && error?.message.contains("--retry-429") == true)
        #expect(try await S.attempts("/lrService/autoStraighten").count == 1)
        try await S.reset()
        try await S.fault("/lrService/autoStraighten", [["status": 429, "retry_after": "1"]])
        _ = try await S.client(backoff: 0.01, retry429: true).submit(S.job)
        let times = try await S.attempts("/lrService/autoStraighten")
        #expect(times.count == 2 && times[1] - times[0] >= 0.95, "waited for Retry-After: \(times)")
    }

    @Test func aDroppedConnectionIsRetried() async throws {
        try await S.reset()
        try await S.fault("/lrService/autoStraighten", [["drop": true]])
        _ = try await S.client(backoff: 0.01).submit(S.job)
        #expect(try await S.attempts("/lrService/autoStraighten").count == 2)
    }

    @Test func gatewayRefusalsBecomeSentences() async throws {
        try await S.reset()
        let invalidToken = await #expect(throws: LightroomError.self) { try await S.client(token: "lr-test-made-up").submit(S.job) }
        #expect(invalidToken?.code == "api-401013" && invalidToken?.message.contains("LIGHTROOM_ACCESS_TOKEN") == true)
        #expect(invalidToken?.message.contains("lr-test-made-up") == false)
        let wrongKey = LightroomClient(base: S.base, apiKey: "someone-else", tokens: IMSTokenProvider(source: .clientCredentials(
            clientID: S.clientID, clientSecret: S.clientSecret, scopes: IMSTokenProvider.defaultScopes), url: S.imsURL))
        let keyError = await #expect(throws: LightroomError.self) { try await wrongKey.submit(S.job) }
        #expect(keyError?.code == "api-403003")
    }

    @Test func aRevokedTokenIsReplacedOnce() async throws {
        try await S.reset()
        try await S.fault("/lrService/autoStraighten", [["status": 401]])
        _ = try await S.client().submit(S.job)
        #expect(try await S.attempts("/lrService/autoStraighten").count == 2)
        #expect(try await S.attempts("/ims/token/v3").count == 2, "a new token after the 401")
        try await S.fault("/lrService/autoStraighten", [["status": 401], ["status": 401]])
        let error = await #expect(throws: LightroomError.self) { try await S.client().submit(S.job) }
        #expect(error?.status == 401, "a second 401 is reported, not looped on")
    }

    @Test func aJobIsFollowedToItsEnd() async throws {
        try await S.reset()
        let client = S.client()
        let link = try await client.submit(S.job)
        let seen = Seen()
        let final = try await client.wait(for: link, interval: 0.1, timeout: 20) { status, _ in seen.add(status.summary) }
        #expect(final.isFinished && !final.succeeded, "nothing listens on port 9: \(final.summary)")
        #expect(final.outputs.first?.error?.contains("FileLinkInvalidError") == true)
        #expect(seen.values.contains("1 pending") || seen.values.contains("1 running"), "\(seen.values)")
        let byID = try await client.status(String(link.split(separator: "/").last!))
        #expect(byID.jobID == final.jobID && byID.isFinished)
    }
}

/// Summaries seen by a progress callback.
final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ value: String) { lock.withLock { list.append(value) } }
    var values: [String] { lock.withLock { list } }
}
