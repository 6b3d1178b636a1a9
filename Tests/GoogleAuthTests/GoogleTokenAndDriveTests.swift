import Foundation
import GoogleAuth
import HTTP
import SigningCore
import TestSupport
import Testing

/// The token exchange and Drive against the stand-in, which verifies the JWT with the key's
/// public half and checks `aud`, `exp` and the grant type.
@Suite(.serialized, .standIn("google_standin.py", arguments: ["--key-file", GoogleStandIn.keyPath]))
struct GoogleTokenAndDriveTests {
    func client(scopes: [String], key: GoogleServiceAccountKey? = nil, subject: String? = nil) throws -> GoogleTokenClient {
        GoogleTokenClient(key: try key ?? GoogleStandIn.key(), scopes: scopes, subject: subject, tokenURL: GoogleStandIn.tokenURL, backoff: 0.05)
    }

    @Test func standInIsConfigured() { #expect(!GoogleStandIn.base.isEmpty) }

    @Test func tokenExchangeAndItsRequest() async throws {
        let scope = GoogleStandIn.uniqueScope()
        let token = try await client(scopes: [scope]).token()
        #expect(token.value.hasPrefix("ya29.") && token.expiresAt.timeIntervalSinceNow > 3000)
        #expect(!"\(token)".contains(token.value))
        let sent = try await GoogleStandIn.requests(path: "/token").filter { ($0["body"] as? String ?? "").contains("grant_type") }
        let body = try #require(sent.last?["body"] as? String)
        #expect(body.hasPrefix("assertion=") && body.hasSuffix("&grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"))
    }

    @Test func tokensAreCachedUntilShortlyBeforeExpiry() async throws {
        let scope = GoogleStandIn.uniqueScope()
        let before = try await GoogleStandIn.requests(path: "/token").count
        let first = try await client(scopes: [scope]).token()
        let second = try await client(scopes: [scope]).token()
        #expect(first == second)
        #expect(try await GoogleStandIn.requests(path: "/token").count == before + 1)
        // Within five minutes of expiry the cache is not used: a new exchange is attempted (which the
        // stand-in refuses, since an assertion issued that late is dated in its future).
        _ = try? await client(scopes: [scope]).token(now: first.expiresAt.addingTimeInterval(-200))
        #expect(try await GoogleStandIn.requests(path: "/token").count == before + 2)
    }

    @Test func wrongKeyIsRefusedAsASignatureProblem() async throws {
        let error = await #expect(throws: GoogleAuthError.self) { try await client(scopes: [GoogleStandIn.uniqueScope()], key: try GoogleStandIn.impostorKey()).token() }
        #expect(error?.code == "invalid_grant" && error?.status == 400)
        #expect(error?.message.contains("signature") == true)
    }

    @Test func clockSkewGetsAClockHint() async throws {
        let error = await #expect(throws: GoogleAuthError.self) {
            try await client(scopes: [GoogleStandIn.uniqueScope()]).token(now: Date().addingTimeInterval(-2 * 3600))
        }
        #expect(error?.code == "invalid_grant")
        #expect(error?.message.contains("clock") == true)
    }

    @Test func subjectWithoutDelegationIsUnauthorized() async throws {
        let error = await #expect(throws: GoogleAuthError.self) {
            try await client(scopes: [GoogleStandIn.uniqueScope()], subject: "someone@example.com").token()
        }
        #expect(error?.code == "unauthorized_client")
        #expect(error?.message.contains("domain-wide delegation") == true)
    }

    @Test func badScopeIsInvalidScope() async throws {
        let error = await #expect(throws: GoogleAuthError.self) { try await client(scopes: ["drive"]).token() }
        #expect(error?.code == "invalid_scope")
    }

    @Test func serverErrorsAreRetriedWithGrowingGaps() async throws {
        try await GoogleStandIn.queue("/token", [["status": 503], ["status": 500]])
        let before = try await GoogleStandIn.requests(path: "/token").count
        _ = try await client(scopes: [GoogleStandIn.uniqueScope()]).token()
        let times = try await GoogleStandIn.requests(path: "/token").dropFirst(before).compactMap { $0["time"] as? Double }
        #expect(times.count == 3)
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        #expect(gaps.count == 2 && gaps[0] >= 0.05 * 0.5 * 0.9 && gaps[1] >= 0.1 * 0.5 * 0.9)
    }

    @Test func driveDownloadURLAndUploadSession() async throws {
        let fileID = "presign\(UUID().uuidString.prefix(8))"
        try await GoogleStandIn.seed(fileID: fileID, name: "cat.jpg", bytes: Array(repeating: 7, count: 4096))
        let token = try await client(scopes: ["https://www.googleapis.com/auth/drive"]).token()
        let drive = GoogleDrive(apiBase: GoogleStandIn.base, backoff: 0.05)
        let file = try await drive.file(id: fileID, token: token)
        #expect(file.name == "cat.jpg")

        let url = try drive.downloadURL(fileID: fileID, token: token)
        #expect(url.contains("alt=media&access_token="))
        let ranged = try await GoogleStandIn.http.send(.rangedGet(url: url, firstBytes: 16))
        #expect(ranged.status == 206 && ranged.body == Array(repeating: 7, count: 16))

        let session = try await drive.openUploadSession(fileID: fileID, token: token)
        #expect(session.contains("upload_id=") && !session.contains("access_token"))
        let put = try await GoogleStandIn.http.send(HTTPRequest(method: "PUT", url: session, body: .bytes(Array("new content".utf8))))
        #expect(put.status == 200)
        #expect(try await GoogleStandIn.file(fileID) == Array("new content".utf8))
    }

    @Test func missingDriveFileIsNotFound() async throws {
        let token = try await client(scopes: ["https://www.googleapis.com/auth/drive"]).token()
        let error = await #expect(throws: GoogleAuthError.self) {
            try await GoogleDrive(apiBase: GoogleStandIn.base).file(id: "doesNotExist123", token: token)
        }
        #expect(error?.status == 404 && error?.message.contains("share the file") == true)
    }
}
