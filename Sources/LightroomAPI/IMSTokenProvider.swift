import Foundation
import HTTP
import SigningCore

/// Adobe IMS server-to-server tokens (client credentials), cached in memory until five minutes
/// before they expire; or a given access token. `description` never shows a secret.
public actor IMSTokenProvider: CustomStringConvertible {
    public enum Source: Sendable {
        case accessToken(String)
        case clientCredentials(clientID: String, clientSecret: String, scopes: [String])
    }

    /// The IMS token endpoint.
    public static let defaultURL = "https://ims-na1.adobelogin.com/ims/token/v3"
    /// The scopes the Lightroom API needs.
    public static let defaultScopes = ["openid", "AdobeID", "read_organizations"]
    static let refreshMargin: TimeInterval = 300

    let source: Source
    let url: String
    let http: HTTPClient
    let policy: RetryPolicy
    private var cached: (value: String, expiresAt: Date)?
    /// The exchange in progress, shared by every caller that needs a token meanwhile.
    private var pending: Task<(value: String, expiresAt: Date), Error>?

    public nonisolated var description: String { "IMSTokenProvider(<redacted>)" }

    /// Creates a provider; its secrets (and every token it gets later) are registered with
    /// `SecretRegistry`, so no message shows them.
    public init(source: Source, url: String = IMSTokenProvider.defaultURL, http: HTTPClient = HTTPClient(), policy: RetryPolicy = .serverErrors()) {
        self.source = source
        switch source {
        case .accessToken(let token): SecretRegistry.register(token)
        case .clientCredentials(_, let secret, _): SecretRegistry.register(secret)
        }
        self.url = url
        self.http = http
        self.policy = policy
    }

    /// A valid access token: the given one, the cached one, or a new one from IMS.
    public func token(now: Date = Date()) async throws -> String {
        switch source {
        case .accessToken(let token):
            return token
        case .clientCredentials(let id, let secret, let scopes):
            if let cached, cached.expiresAt.timeIntervalSince(now) > Self.refreshMargin { return cached.value }
            let task = pending ?? Task { try await exchange(clientID: id, clientSecret: secret, scopes: scopes, now: now) }
            pending = task
            defer { pending = nil }
            let fresh = try await task.value
            cached = fresh
            return fresh.value
        }
    }

    /// Forgets the cached token (after the API said it is not valid).
    public func invalidate() {
        cached = nil
        pending = nil
    }

    func exchange(clientID: String, clientSecret: String, scopes: [String], now: Date) async throws -> (value: String, expiresAt: Date) {
        let fields = [("grant_type", "client_credentials"), ("client_id", clientID), ("client_secret", clientSecret), ("scope", scopes.joined(separator: ","))]
        let body = fields.map { "\($0.0)=\(PercentEncoding.unreserved.encode($0.1))" }.joined(separator: "&")
        let request = HTTPRequest(method: "POST", url: url, headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")], body: .bytes(Array(body.utf8)))
        let response = try await LightroomTransport.send(request, http: http, policy: policy, what: "IMS token request")
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        if response.status == 200, let token = object["access_token"] as? String {
            SecretRegistry.register(token)
            let lifetime = (object["expires_in"] as? Double) ?? (object["expires_in"] as? String).flatMap(Double.init) ?? 3600
            return (token, now.addingTimeInterval(lifetime))
        }
        if response.status == 429 { throw LightroomErrors.rateLimited(response, who: "IMS") }
        let code = object["error"] as? String ?? "http-\(response.status)"
        let detail = object["error_description"] as? String ?? ""
        let message: String
        switch code {
        case "invalid_client":
            message = "IMS refused the client credentials (\(detail.isEmpty ? code : detail)). Check LIGHTROOM_CLIENT_ID and LIGHTROOM_CLIENT_SECRET against the project's OAuth Server-to-Server credential in the Adobe Developer Console."
        case "invalid_scope":
            message = "IMS refused the scopes \(scopes.joined(separator: ",")) (\(detail)). Use --scope openid,AdobeID,read_organizations, and add the Lightroom API to the project."
        default:
            message = "IMS answered \(response.status) \(code)\(detail.isEmpty ? "" : ": \(detail)"). Check the credentials and --ims-url."
        }
        throw LightroomError(code: "ims-\(code)", message: message, status: response.status)
    }
}
