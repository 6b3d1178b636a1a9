import Foundation
import TestSupport
import Testing

/// No secret reaches a diagnostic: URLs are shown redacted (user-info, path tokens, query
/// secrets), and text a server sends back is scrubbed of the credentials this process holds,
/// even when the server echoes them. Servers are played by `LocalListener`.
struct SecretsInMessagesTests {
    static func unique(_ label: String) -> String { "\(label)\(UUID().uuidString.prefix(12))" }

    func expectAbsent(_ secrets: [String], in result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in secrets {
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret),
                    "\(secret) was printed:\n\(result.stdout)\n\(result.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test func verifyShowsNoUserInfoOrPathToken() async throws {
        let password = Self.unique("PW"), token = Self.unique("TOK")
        let urls = ["http://alice:\(password)@127.0.0.1:1/in/cat.jpg", "http://127.0.0.1:1/apitl/1/\(token)/cat.jpg"]
        for form in [[], ["--json"]] {
            let result = try await ProcessRunner.presign(["verify", "--retries", "0", "--timeout", "5s"] + form + urls.flatMap { ["--input", $0] })
            #expect(result.status == 1 && result.stdout.contains("127.0.0.1:1"), "\(result.stdout)\(result.stderr)")
            expectAbsent([password, token], in: result)
        }
    }

    @Test func lightroomDryRunShowsNoUserInfo() async throws {
        let secrets = (0..<3).map { _ in Self.unique("PW") }
        let result = try await ProcessRunner.presign(
            ["lightroom", "autotone", "--dry-run", "--input", "https://alice:\(secrets[0])@in.example.com/in.jpg",
             "--output", "https://bob:\(secrets[1])@out.example.com/out.jpg", "--api-base", "https://carol:\(secrets[2])@image.example.com"],
            environment: ["LIGHTROOM_CLIENT_ID": "presign-test-client"])
        #expect(result.status == 0 && result.stdout.contains("in.example.com/in.jpg") && result.stdout.contains("image.example.com/lrService/autoTone"), "\(result.stdout)\(result.stderr)")
        expectAbsent(secrets, in: result)
    }

    /// Dropbox echoes a malformed `Authorization` header in its 400 text; the listener does the same.
    @Test func dropboxEchoOfTheTokenIsScrubbed() async throws {
        let token = "sl.\(Self.unique("ECHO")) trailing"
        let listener = try LocalListener { request in
            .init(status: 400, contentType: "text/plain; charset=utf-8",
                  body: "Error in call to API function \"files/get_temporary_link\": Invalid authorization value in HTTP header \"Authorization\": \"\(request.headers["authorization"] ?? "")\".  Expecting \"Bearer <oauth2-access-token>\".")
        }
        defer { listener.stop() }
        let result = try await ProcessRunner.presign(["dropbox", "/in/cat.jpg", "--api-base", listener.base, "--retries", "0"], environment: ["DROPBOX_ACCESS_TOKEN": token])
        #expect(result.status == 1 && result.stderr.contains("malformed") && result.stderr.contains("Expecting"), "\(result.stderr)")
        #expect(listener.requests.first?.headers["authorization"] == "Bearer \(token)", "the echo really carried the token")
        expectAbsent([token, String(token.prefix(20))], in: result)
    }

    /// IMS quoting the client secret, and the API quoting the bearer token, in their error texts.
    @Test func lightroomServerEchoesAreScrubbed() async throws {
        let secret = Self.unique("CS"), token = Self.unique("AT")
        let listener = try LocalListener { request in
            if request.target.hasPrefix("/ims") {
                return .init(status: 400, body: #"{"error": "invalid_client", "error_description": "client_secret \#(secret) is not valid"}"#)
            }
            return .init(status: 400, body: #"{"type": "InputValidationError", "title": "\#(request.headers["authorization"] ?? "") was refused"}"#)
        }
        defer { listener.stop() }
        let job = ["lightroom", "autotone", "--no-verify", "--input", "https://in.example.com/in.jpg", "--output", "https://out.example.com/out.jpg",
                   "--api-base", listener.base, "--ims-url", listener.base + "/ims/token/v3", "--retries", "0"]
        let ims = try await ProcessRunner.presign(job, environment: ["LIGHTROOM_CLIENT_ID": "presign-test-client", "LIGHTROOM_CLIENT_SECRET": secret])
        #expect(ims.status == 1 && ims.stderr.contains("IMS refused the client credentials"), "\(ims.stderr)")
        expectAbsent([secret], in: ims)
        let api = try await ProcessRunner.presign(job, environment: ["LIGHTROOM_CLIENT_ID": "presign-test-client", "LIGHTROOM_ACCESS_TOKEN": token])
        #expect(api.status == 1 && api.stderr.contains("was refused"), "\(api.stderr)")
        expectAbsent([token], in: api)
    }

    /// The token endpoint quoting the signed assertion (a credential for an hour) in its error.
    @Test func googleTokenEchoOfTheAssertionIsScrubbed() async throws {
        let listener = try LocalListener { request in
            let assertion = String(decoding: request.body, as: UTF8.self).split(separator: "&").first { $0.hasPrefix("assertion=") }?.dropFirst(10) ?? ""
            return .init(status: 400, body: #"{"error": "invalid_grant", "error_description": "Invalid JWT: \#(assertion) was refused"}"#)
        }
        defer { listener.stop() }
        let key = try GoogleTestKey.write(tokenURI: listener.base + "/token")
        let result = try await ProcessRunner.presign(["google-token", "--key-file", key, "--scope", "https://www.googleapis.com/auth/drive", "--retries", "0"])
        let assertion = try #require(String(decoding: listener.requests.first?.body ?? Data(), as: UTF8.self).split(separator: "&").first { $0.hasPrefix("assertion=") }?.dropFirst(10))
        #expect(result.status == 1 && result.stderr.contains("Google refused"), "\(result.stderr)")
        expectAbsent([String(assertion), String(assertion.split(separator: ".").last ?? "")], in: result)
    }
}

/// A service-account key file for tests, made from the RSA fixture.
enum GoogleTestKey {
    static func write(tokenURI: String) throws -> String {
        let pem = try TestPaths.text(TestPaths.fixtures.appendingPathComponent("rsa/rsa2048-pkcs8.pem"))
        let object: [String: Any] = ["type": "service_account", "client_email": "presign-test@example.iam.gserviceaccount.com",
                                     "private_key_id": "test-key", "private_key": pem, "token_uri": tokenURI]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("presign-key-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: object).write(to: file)
        return file.path
    }
}
