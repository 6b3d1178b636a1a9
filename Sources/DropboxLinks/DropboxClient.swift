import Foundation
import HTTP
import SigningCore

/// A temporary download link (`files/get_temporary_link`): a plain GET URL that lives 4 hours.
public struct DropboxTemporaryLink: Sendable {
    /// The link.
    public let link: String
    /// The file's display path, name, size in bytes and revision, as Dropbox reports them.
    public let pathDisplay: String?, name: String?, size: Int?, rev: String?
    /// When the link stops working (Dropbox: four hours after it was made).
    public let expiresAt: Date
}

/// A temporary upload link (`files/get_temporary_upload_link`): single use, consumed by a
/// `POST` of the raw bytes with `Content-Type: application/octet-stream`.
public struct DropboxUploadLink: Sendable {
    /// The link.
    public let link: String
    /// When the link stops working.
    public let expiresAt: Date
    /// The method that consumes it (Dropbox documents POST only).
    public static let method = "POST"
    /// The headers the uploader must send.
    public static let requiredHeaders = [(name: "content-type", value: "application/octet-stream")]
}

/// What a temporary upload link will do with the file once it is used (Dropbox `CommitInfo`).
public struct DropboxCommitInfo: Sendable, Equatable {
    /// How an existing file at the path is treated.
    public enum Mode: Sendable, Equatable {
        case add, overwrite
        /// Overwrite only if the file's revision is still this one.
        case update(rev: String)
    }

    public var path: String
    public var mode: Mode
    public var autorename: Bool
    public var mute: Bool
    public var strictConflict: Bool

    /// Creates commit info; only non-default fields are sent, as the official SDK does.
    public init(path: String, mode: Mode = .add, autorename: Bool = false, mute: Bool = false, strictConflict: Bool = false) {
        self.path = path
        self.mode = mode
        self.autorename = autorename
        self.mute = mute
        self.strictConflict = strictConflict
    }

    var json: String {
        var fields = [("path", JSONText.string(path))]
        switch mode {
        case .add: break
        case .overwrite: fields.append(("mode", JSONText.object([(".tag", JSONText.string("overwrite"))])))
        case .update(let rev): fields.append(("mode", JSONText.object([(".tag", JSONText.string("update")), ("update", JSONText.string(rev))])))
        }
        if autorename { fields.append(("autorename", "true")) }
        if mute { fields.append(("mute", "true")) }
        if strictConflict { fields.append(("strict_conflict", "true")) }
        return JSONText.object(fields)
    }
}

/// The Dropbox API v2 calls that make temporary links.
///
/// Retries 5xx and transport failures with the shared back-off, waits out a 429 when the API's
/// `Retry-After` is at most `maxRateLimitWait`, refreshes an expired token once.
public struct DropboxClient: Sendable {
    /// `https://api.dropboxapi.com`.
    public static let defaultAPIBase = "https://api.dropboxapi.com"
    /// Lifetime of a temporary download link.
    public static let temporaryLinkLifetime: Double = 4 * 3600
    /// Allowed `duration` of an upload link, in seconds.
    public static let uploadLinkDurations: ClosedRange<Int> = 60...14_400

    let apiBase: String
    let http: HTTPClient
    let tokens: DropboxTokenSource
    let policy: RetryPolicy
    let maxRateLimitWait: Double

    /// Creates a client (registering its secrets with `SecretRegistry`, so no message shows
    /// them). `apiBase` points at a local stand-in in tests.
    public init(credentials: DropboxCredentials, apiBase: String = defaultAPIBase, http: HTTPClient = HTTPClient(),
                retries: Int = 3, backoff: Double = 1, maxRateLimitWait: Double = 60, onRetry: (@Sendable (RetryEvent) -> Void)? = nil) {
        let base = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
        self.apiBase = base
        self.http = http
        var policy = RetryPolicy.serverErrors(retries: retries, backoff: backoff)
        policy.onRetry = onRetry
        self.policy = policy
        self.maxRateLimitWait = maxRateLimitWait
        credentials.register()
        self.tokens = DropboxTokenSource(credentials: credentials) { refreshToken, appKey, appSecret in
            try await DropboxOAuth.refresh(apiBase: base, http: http, refreshToken: refreshToken, appKey: appKey, appSecret: appSecret)
        }
    }

    /// `files/get_temporary_link` for a file path (`/…`), `id:…`, `rev:…` or `ns:…`.
    public func temporaryLink(path: String, now: Date = Date()) async throws -> DropboxTemporaryLink {
        try DropboxPaths.validate(path, allowRev: true)
        let object = try await call(route: "files/get_temporary_link", body: JSONText.object([("path", JSONText.string(path))]))
        guard let link = object["link"] as? String else { throw DropboxResponses.unexpected("files/get_temporary_link") }
        let metadata = object["metadata"] as? [String: Any] ?? [:]
        return DropboxTemporaryLink(link: link, pathDisplay: metadata["path_display"] as? String, name: metadata["name"] as? String,
                                    size: metadata["size"] as? Int, rev: metadata["rev"] as? String,
                                    expiresAt: now.addingTimeInterval(Self.temporaryLinkLifetime))
    }

    /// `files/get_temporary_upload_link`: `duration` seconds, 60 to 14400 (4 h).
    public func temporaryUploadLink(_ commit: DropboxCommitInfo, duration: Int, now: Date = Date()) async throws -> DropboxUploadLink {
        try DropboxPaths.validate(commit.path, allowRev: false)
        guard Self.uploadLinkDurations.contains(duration) else {
            throw DropboxError(code: "invalid-duration", message: "A Dropbox upload link lives 60 seconds to 4 hours (14400 s); \(duration) s was asked. Choose --expires between 60s and 4h.")
        }
        let body = JSONText.object([("commit_info", commit.json), ("duration", String(duration))])
        let object = try await call(route: "files/get_temporary_upload_link", body: body)
        guard let link = object["link"] as? String else { throw DropboxResponses.unexpected("files/get_temporary_upload_link") }
        return DropboxUploadLink(link: link, expiresAt: now.addingTimeInterval(Double(duration)))
    }

    /// One RPC call with the retry, rate-limit and refresh rules.
    func call(route: String, body: String) async throws -> [String: Any] {
        var attempt = 0
        var refreshed = false
        while true {
            let token = try await tokens.current()
            let request = HTTPRequest(method: "POST", url: "\(apiBase)/2/\(route)",
                                      headers: [(name: "Authorization", value: "Bearer \(token)"), (name: "Content-Type", value: "application/json")],
                                      body: .bytes(Array(body.utf8)))
            let response: HTTPResponse
            do {
                response = try await http.send(request)
            } catch let error as HTTPError where attempt < policy.retries && policy.shouldRetry(error) {
                try await policy.pause(beforeRetry: attempt, delay: policy.backoffDelay(beforeRetry: attempt), error: error, url: request.url)
                attempt += 1
                continue
            }
            switch response.status {
            case 200:
                return try DropboxResponses.object(response, route: route)
            case 401 where !refreshed && DropboxResponses.tag(response) == "expired_access_token" && tokens.canRefresh:
                try await tokens.renew()
                refreshed = true
            case 429:
                let wait = DropboxResponses.retryAfter(response)
                guard attempt < policy.retries, wait <= maxRateLimitWait else { throw DropboxResponses.error(response, route: route) }
                try await policy.pause(beforeRetry: attempt, delay: wait, status: 429, url: request.url)
                attempt += 1
            case 500...599 where attempt < policy.retries:
                try await policy.pause(beforeRetry: attempt, delay: policy.backoffDelay(beforeRetry: attempt), status: response.status, url: request.url)
                attempt += 1
            default:
                throw DropboxResponses.error(response, route: route)
            }
        }
    }
}
