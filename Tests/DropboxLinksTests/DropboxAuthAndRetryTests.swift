import DropboxLinks
import Foundation
import HTTP
import TestSupport
import Testing

/// Tokens (invalid, read-only, refresh, expiry) and the retry rules (429 with Retry-After, 5xx
/// back-off) against the Dropbox stand-in's scripted faults.
@Suite(.serialized, .standIn("dropbox_standin.py"))
struct DropboxAuthAndRetryTests {
    func seeded(_ name: String) async throws -> String {
        let path = DropboxStandIn.uniquePath(name)
        try await DropboxStandIn.seed(path, Array("data".utf8), on: DropboxStandIn.faultBase)
        return path
    }

    @Test func invalidTokenIsASentenceWithoutTheToken() async throws {
        let client = DropboxClient(credentials: .accessToken("sl.NOT-A-REAL-TOKEN"), apiBase: DropboxStandIn.faultBase)
        let error = await #expect(throws: DropboxError.self) { try await client.temporaryLink(path: try await seeded("a.jpg")) }
        #expect(error?.code == "invalid_access_token" && error?.status == 401)
        #expect(error?.message.contains("sl.NOT-A-REAL-TOKEN") == false)
    }

    @Test func readOnlyTokenCannotMakeUploadLinks() async throws {
        let client = DropboxClient(credentials: .accessToken(DropboxStandIn.readonlyToken), apiBase: DropboxStandIn.faultBase)
        let error = await #expect(throws: DropboxError.self) {
            try await client.temporaryUploadLink(DropboxCommitInfo(path: DropboxStandIn.uniquePath("w.jpg")), duration: 600)
        }
        #expect(error?.code == "missing_scope")
        #expect(error?.message.contains("files.content.write") == true)
    }

    @Test func refreshTokenIsExchangedBeforeTheFirstCall() async throws {
        let path = try await seeded("r.jpg")
        let client = DropboxClient(credentials: .refreshToken(DropboxStandIn.refreshToken, appKey: DropboxStandIn.appKey, appSecret: DropboxStandIn.appSecret),
                                   apiBase: DropboxStandIn.faultBase)
        _ = try await client.temporaryLink(path: path)
        let call = try #require(try await DropboxStandIn.requests(mentioning: path, on: DropboxStandIn.faultBase).first { $0["path"] as? String == "/2/files/get_temporary_link" })
        let auth = (call["headers"] as? [[String]] ?? []).first { $0[0].lowercased() == "authorization" }?[1] ?? ""
        #expect(auth.hasPrefix("Bearer sl.") && auth != "Bearer \(DropboxStandIn.token)", "a refreshed token was used")
    }

    @Test func badRefreshTokenIsInvalidGrant() async throws {
        let client = DropboxClient(credentials: .refreshToken("WRONG", appKey: DropboxStandIn.appKey, appSecret: DropboxStandIn.appSecret),
                                   apiBase: DropboxStandIn.faultBase)
        let error = await #expect(throws: DropboxError.self) { try await client.temporaryLink(path: "/x.jpg") }
        #expect(error?.code == "invalid_grant")
        #expect(error?.message.contains("WRONG") == false)
    }

    @Test func expiredTokenIsRefreshedOnceAndRetried() async throws {
        let path = try await seeded("e.jpg")
        try await DropboxStandIn.queue("/2/files/get_temporary_link", [
            ["status": 401, "body": ["error_summary": "expired_access_token/..", "error": [".tag": "expired_access_token"]]],
        ])
        let client = DropboxClient(credentials: .refreshToken(DropboxStandIn.refreshToken, appKey: DropboxStandIn.appKey, appSecret: DropboxStandIn.appSecret),
                                   apiBase: DropboxStandIn.faultBase)
        _ = try await client.temporaryLink(path: path)
        let calls = try await DropboxStandIn.requests(mentioning: path, on: DropboxStandIn.faultBase).filter { $0["path"] as? String == "/2/files/get_temporary_link" }
        #expect(calls.count == 2)
    }

    @Test func rateLimitWaitsForRetryAfter() async throws {
        let path = try await seeded("rl.jpg")
        try await DropboxStandIn.queue("/2/files/get_temporary_link", [["status": 429, "retry_after": 1, "json": true]])
        let client = DropboxClient(credentials: .accessToken(DropboxStandIn.token), apiBase: DropboxStandIn.faultBase, backoff: 0.05)
        _ = try await client.temporaryLink(path: path)
        let times = try await DropboxStandIn.requests(mentioning: path, on: DropboxStandIn.faultBase).filter { $0["path"] as? String == "/2/files/get_temporary_link" }.compactMap { $0["time"] as? Double }
        #expect(times.count == 2 && times[1] - times[0] >= 0.95)
    }

    @Test func longRateLimitIsReportedNotWaited() async throws {
        let path = try await seeded("rl2.jpg")
        try await DropboxStandIn.queue("/2/files/get_temporary_link", [["status": 429, "retry_after": 300, "json": false]])
        let client = DropboxClient(credentials: .accessToken(DropboxStandIn.token), apiBase: DropboxStandIn.faultBase, maxRateLimitWait: 10)
        let error = await #expect(throws: DropboxError.self) { try await client.temporaryLink(path: path) }
        #expect(error?.status == 429 && error?.retryAfter == 300)
        #expect(error?.message.contains("300 s") == true)
    }

    @Test func serverErrorsAreRetriedWithGrowingGaps() async throws {
        let path = try await seeded("5xx.jpg")
        try await DropboxStandIn.queue("/2/files/get_temporary_link", [["status": 500], ["status": 503], ["status": 502]])
        let client = DropboxClient(credentials: .accessToken(DropboxStandIn.token), apiBase: DropboxStandIn.faultBase, retries: 3, backoff: 0.2)
        _ = try await client.temporaryLink(path: path)
        let times = try await DropboxStandIn.requests(mentioning: path, on: DropboxStandIn.faultBase).filter { $0["path"] as? String == "/2/files/get_temporary_link" }.compactMap { $0["time"] as? Double }
        #expect(times.count == 4)
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        for (gap, full) in zip(gaps, [0.2, 0.4, 0.8]) { #expect(gap >= full * 0.5 * 0.95 && gap < full + 5, "gap \(gap)") }
    }

    @Test func serverErrorsBeyondTheRetriesAreReported() async throws {
        let path = try await seeded("5xx2.jpg")
        try await DropboxStandIn.queue("/2/files/get_temporary_link", Array(repeating: ["status": 503], count: 3))
        let client = DropboxClient(credentials: .accessToken(DropboxStandIn.token), apiBase: DropboxStandIn.faultBase, retries: 2, backoff: 0.05)
        let error = await #expect(throws: DropboxError.self) { try await client.temporaryLink(path: path) }
        #expect(error?.status == 503 && error?.isUsageError == false)
    }

    @Test func credentialsFromTheEnvironment() throws {
        #expect(try DropboxCredentials.fromEnvironment(["DROPBOX_ACCESS_TOKEN": "t"]) == .accessToken("t"))
        #expect(try DropboxCredentials.fromEnvironment(["DROPBOX_REFRESH_TOKEN": "r", "DROPBOX_APP_KEY": "k"]) == .refreshToken("r", appKey: "k", appSecret: nil))
        #expect(throws: DropboxError.self) { try DropboxCredentials.fromEnvironment(["DROPBOX_REFRESH_TOKEN": "r"]) }
        #expect(throws: DropboxError.self) { try DropboxCredentials.fromEnvironment([:]) }
    }
}
