import Foundation
import HTTP
import LightroomAPI
import Testing

/// Waiting honours `--timeout` to within one poll and reports the real elapsed time; a 429 is
/// reported with its `Retry-After` whatever its body. Every scripted answer goes to a path of this
/// test's own (a made-up job id, an IMS path with a suffix), so others using the stand-in never see it.
@Suite(.serialized, .enabled(if: LightroomStandIn.available, Comment(rawValue: LightroomStandIn.missing)))
struct LightroomWaitAndRateLimitTests {
    typealias S = LightroomStandIn

    /// A status document whose only output stays pending.
    static var pending: [String: Any] { ["jobId": "never-done", "outputs": [["input": "x", "status": "pending"]]] }

    @Test func waitingGivesUpWithinOnePollOfTheTimeoutAndSaysHowLongItWaited() async throws {
        let path = "/lrService/status/wait-\(UUID().uuidString)"
        try await S.fault(path, Array(repeating: ["status": 200, "body": Self.pending], count: 30))
        let seen = Seen()
        let start = Date()
        let error = await #expect(throws: LightroomError.self) {
            try await S.client(token: "unused").wait(for: S.base + path, interval: 0.3, timeout: 1.5) { status, elapsed in
                seen.add(String(format: "%.2f", elapsed))
            }
        }
        let waited = Date().timeIntervalSince(start)
        // Polls at 0, 0.3, 0.75, 1.425 and (the next pause cut short) 1.5 s: never gives up early,
        // and late by at most one poll interval plus a loaded machine's slack.
        #expect(waited >= 1.5 && waited < 1.5 + 0.3 + 1.0, "waited \(waited) s")
        #expect(error?.code == "wait-timeout")
        let reported = error.flatMap { $0.message.firstMatch(of: /after (\d+\.\d) s/) }.flatMap { Double($0.1) }
        #expect(reported.map { $0 >= 1.5 && abs($0 - waited) < 0.3 } == true, "\(error?.message ?? "")")
        let elapsed = seen.values.compactMap(Double.init)
        #expect(elapsed.count >= 4 && elapsed == elapsed.sorted() && (elapsed.last ?? 0) >= 1.5, "progress carries the elapsed time: \(elapsed)")
    }

    @Test func a429WithAGatewayBodyStillReportsItsRetryAfter() async throws {
        let body: [String: Any] = ["error_code": "429050", "message": "Too many requests"]
        try await S.fault("/lrService/autoStraighten", [["status": 429, "retry_after": "7", "body": body]])
        let error = await #expect(throws: LightroomError.self) { try await S.client(backoff: 0.01).submit(S.job) }
        #expect(error?.status == 429 && error?.retryAfter == 7, "\(String(describing: error))")
        #expect(error?.message.contains("asks to wait 7 s") == true && error?.message.contains("--retry-429") == true, "\(error?.message ?? "")")
    }

    @Test func a429FromIMSReportsItsRetryAfter() async throws {
        let path = "/ims/token/v3/limited-\(UUID().uuidString)"
        try await S.fault(path, [["status": 429, "retry_after": "3"]])
        let client = LightroomClient(base: S.base, apiKey: S.clientID, tokens: IMSTokenProvider(
            source: .clientCredentials(clientID: S.clientID, clientSecret: S.clientSecret, scopes: IMSTokenProvider.defaultScopes),
            url: S.base + path, http: S.http, policy: .serverErrors(retries: 0, backoff: 0.01)))
        let error = await #expect(throws: LightroomError.self) { try await client.submit(S.job) }
        #expect(error?.status == 429 && error?.retryAfter == 3, "\(String(describing: error))")
        #expect(error?.message.hasPrefix("IMS is limiting requests (429); it asks to wait 3 s") == true, "\(error?.message ?? "")")
    }
}
