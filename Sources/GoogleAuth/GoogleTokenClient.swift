import Foundation
import HTTP
import SigningCore

/// An OAuth 2.0 access token and when it expires. `description` never shows the token.
public struct GoogleAccessToken: Sendable, Equatable, CustomStringConvertible {
    /// The bearer token. Secret.
    public let value: String
    public let expiresAt: Date
    public var description: String { "GoogleAccessToken(<redacted>, expires \(Timestamp(expiresAt).rfc3339))" }

    public init(value: String, expiresAt: Date) {
        self.value = value
        self.expiresAt = expiresAt
    }
}

/// Gets access tokens for a service account with the JWT-bearer grant, cached per
/// (account, scopes, subject, token URL) until five minutes before they expire, in memory and,
/// when `cacheFile` is set, in a 0600 file shared by runs.
public struct GoogleTokenClient: Sendable {
    public let key: GoogleServiceAccountKey
    public let scopes: [String]
    public let subject: String?
    /// Where assertions are exchanged: `--token-url`, else the key's `token_uri`.
    public let tokenURL: String
    public let cacheFile: String?
    let http: HTTPClient
    let policy: RetryPolicy

    /// Refresh this long before expiry.
    public static let refreshMargin: TimeInterval = 300

    public init(key: GoogleServiceAccountKey, scopes: [String], subject: String? = nil, tokenURL: String? = nil,
                cacheFile: String? = nil, http: HTTPClient = HTTPClient(), retries: Int = 3, backoff: Double = 1,
                onRetry: (@Sendable (RetryEvent) -> Void)? = nil) {
        self.key = key
        self.scopes = scopes
        self.subject = subject
        self.tokenURL = tokenURL ?? key.tokenURI
        self.cacheFile = cacheFile
        self.http = http
        // google-auth's retryable answers: 408, 429, 500, 503, 504 (and some 400 error codes, below).
        var policy = RetryPolicy(retries: retries, backoff: backoff, retryableStatuses: [408, 429, 500, 503, 504])
        policy.onRetry = onRetry
        self.policy = policy
    }

    var cacheKey: String {
        SHA256.hexDigest([key.clientEmail, scopes.sorted().joined(separator: " "), subject ?? "", tokenURL].joined(separator: "\n"))
    }

    /// A valid token: from the caches, or a new one from the token endpoint (registered with
    /// `SecretRegistry`, as is the assertion exchanged for it).
    public func token(now: Date = Date()) async throws -> GoogleAccessToken {
        if let cached = await GoogleTokenCache.shared.token(for: cacheKey, now: now) { return cached }
        if let cacheFile, let cached = try GoogleTokenFile(path: cacheFile).token(for: cacheKey, now: now) {
            SecretRegistry.register(cached.value)
            await GoogleTokenCache.shared.store(cached, for: cacheKey)
            return cached
        }
        let fresh = try await exchange(now: now)
        await GoogleTokenCache.shared.store(fresh, for: cacheKey)
        if let cacheFile { try GoogleTokenFile(path: cacheFile).store(fresh, for: cacheKey, now: now) }
        return fresh
    }

    /// The signed assertion sent to the token endpoint (`--jwt-only`).
    public func assertion(now: Date = Date()) throws -> SignedJWT {
        try GoogleJWT.assertion(key: key, scopes: scopes, audience: tokenURL, issuedAt: Timestamp(now), subject: subject)
    }

    /// One token exchange with google-auth's retry rules.
    func exchange(now: Date) async throws -> GoogleAccessToken {
        let signed = try assertion(now: now).token
        SecretRegistry.register(signed)
        let body = "assertion=\(signed)&grant_type=\(PercentEncoding.unreserved.encode(GoogleJWT.grantType))"
        let request = HTTPRequest(method: "POST", url: tokenURL, headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")],
                                  body: .bytes(Array(body.utf8)))
        var attempt = 0
        while true {
            let response: HTTPResponse
            do {
                response = try await http.send(request)
            } catch let error as HTTPError where attempt < policy.retries && policy.shouldRetry(error) {
                try await policy.pause(beforeRetry: attempt, delay: policy.backoffDelay(beforeRetry: attempt), error: error, url: tokenURL)
                attempt += 1
                continue
            }
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
            if response.status == 200, let token = object["access_token"] as? String {
                let lifetime = (object["expires_in"] as? Double) ?? (object["expires_in"] as? String).flatMap(Double.init) ?? 3600
                SecretRegistry.register(token)
                return GoogleAccessToken(value: token, expiresAt: now.addingTimeInterval(lifetime))
            }
            let code = object["error"] as? String ?? "http-\(response.status)"
            let retryableCode = ["internal_failure", "server_error", "temporarily_unavailable"].contains(code)
            if attempt < policy.retries, policy.retryableStatuses.contains(response.status) || retryableCode {
                try await policy.pause(beforeRetry: attempt, delay: policy.backoffDelay(beforeRetry: attempt), status: response.status, url: tokenURL)
                attempt += 1
                continue
            }
            throw GoogleTokenErrors.error(status: response.status, code: code, description: object["error_description"] as? String ?? "")
        }
    }
}

/// Google's token-endpoint errors as sentences.
enum GoogleTokenErrors {
    static func error(status: Int, code: String, description: String) -> GoogleAuthError {
        let message: String
        switch code {
        case "invalid_grant" where description.contains("timeframe") || description.contains("iat"):
            message = "Google refused the assertion's times (\(description)) This machine's clock is probably off: sync it (e.g. with NTP) and retry."
        case "invalid_grant" where description.contains("Signature"):
            message = "Google refused the assertion's signature. The key may have been deleted or rotated in the console: download a current key."
        case "invalid_grant":
            message = "Google refused the grant (\(description)). Check the key is active and, with --subject, that the user exists."
        case "invalid_scope":
            message = "Google refused the scope (\(description)). Give full scope URLs such as https://www.googleapis.com/auth/drive."
        case "unauthorized_client":
            message = "The service account may not get tokens this way for these scopes (\(description)). For --subject, authorise its client id and scopes for domain-wide delegation in the Admin console."
        case "unsupported_grant_type":
            message = "The token endpoint does not accept the JWT-bearer grant; check --token-url."
        default:
            message = "The token endpoint answered HTTP \(status) (\(code)\(description.isEmpty ? "" : ": \(description)")). Retry later or check --token-url."
        }
        return GoogleAuthError(code: code, message: message, status: status)
    }
}
