import Foundation
import SigningCore

/// How the client authenticates to the Dropbox API.
public enum DropboxCredentials: Sendable, Equatable {
    /// A short- or long-lived access token.
    case accessToken(String)
    /// An offline refresh token, exchanged for access tokens at `API_BASE/oauth2/token`; the app
    /// secret is `nil` for PKCE apps.
    case refreshToken(String, appKey: String, appSecret: String?)

    /// Reads `DROPBOX_ACCESS_TOKEN`, or `DROPBOX_REFRESH_TOKEN` + `DROPBOX_APP_KEY`
    /// (+ `DROPBOX_APP_SECRET`). Throws `missing-credentials` naming what to set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DropboxCredentials {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return text
        }
        if let refresh = value("DROPBOX_REFRESH_TOKEN") {
            guard let appKey = value("DROPBOX_APP_KEY") else {
                throw DropboxError(code: "missing-credentials", message: "DROPBOX_REFRESH_TOKEN is set but DROPBOX_APP_KEY is not. Set the app key of the app that issued the token (and DROPBOX_APP_SECRET unless it is a PKCE app).")
            }
            return .refreshToken(refresh, appKey: appKey, appSecret: value("DROPBOX_APP_SECRET"))
        }
        if let token = value("DROPBOX_ACCESS_TOKEN") { return .accessToken(token) }
        throw DropboxError(code: "missing-credentials", message: "No Dropbox credentials found. Set DROPBOX_ACCESS_TOKEN, or DROPBOX_REFRESH_TOKEN + DROPBOX_APP_KEY (+ DROPBOX_APP_SECRET) for an app with offline access.")
    }
}

extension DropboxCredentials {
    /// Registers every secret of these credentials with `SecretRegistry`.
    func register() {
        switch self {
        case .accessToken(let token):
            SecretRegistry.register(token)
        case .refreshToken(let token, _, let appSecret):
            SecretRegistry.register(token)
            SecretRegistry.register(appSecret)
        }
    }
}

/// Keeps the current access token: refreshes before a call when the expiry is unknown or less
/// than 5 minutes away (as the official SDK does), and on demand after a 401 `expired_access_token`.
actor DropboxTokenSource {
    private let credentials: DropboxCredentials
    private var token: String?
    private var expiresAt: Date?
    private let refresh: @Sendable (String, String, String?) async throws -> (String, Double)

    init(credentials: DropboxCredentials, refresh: @escaping @Sendable (String, String, String?) async throws -> (String, Double)) {
        self.credentials = credentials
        self.refresh = refresh
        if case .accessToken(let value) = credentials { token = value }
    }

    /// A token to use now.
    func current() async throws -> String {
        switch credentials {
        case .accessToken(let value): return value
        case .refreshToken:
            if let token, let expiresAt, expiresAt.timeIntervalSinceNow > 300 { return token }
            return try await renew()
        }
    }

    /// Whether a fresh token can be had (only with a refresh token).
    nonisolated var canRefresh: Bool { if case .refreshToken = credentials { return true } else { return false } }

    /// Exchanges the refresh token for a new access token.
    @discardableResult
    func renew() async throws -> String {
        guard case .refreshToken(let refreshToken, let appKey, let appSecret) = credentials else {
            throw DropboxError(code: "expired_access_token", message: "The Dropbox access token has expired. Get a new one, or set DROPBOX_REFRESH_TOKEN + DROPBOX_APP_KEY so presign can refresh it.", status: 401)
        }
        let (value, lifetime) = try await refresh(refreshToken, appKey, appSecret)
        SecretRegistry.register(value)
        token = value
        expiresAt = Date().addingTimeInterval(lifetime)
        return value
    }
}
