import Foundation
import HTTP
import SigningCore

/// Dropbox's documented answers turned into values and sentences.
enum DropboxResponses {
    static func json(_ response: HTTPResponse) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
    }

    static func object(_ response: HTTPResponse, route: String) throws -> [String: Any] {
        guard let object = json(response) else { throw unexpected(route) }
        return object
    }

    static func unexpected(_ route: String) -> DropboxError {
        DropboxError(code: "unexpected-response", message: "Dropbox answered \(route) with a body this tool does not understand. Check --api-base points at the Dropbox API.", status: 200)
    }

    /// The `error_summary` without its trailing `/..` or `/...` (e.g. `path/not_found`).
    static func summary(_ response: HTTPResponse) -> String? {
        guard let text = json(response)?["error_summary"] as? String else { return nil }
        var parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        while let last = parts.last, last.isEmpty || last.allSatisfy({ $0 == "." }) { parts.removeLast() }
        return parts.joined(separator: "/")
    }

    /// The top-level `.tag` of the `error` object.
    static func tag(_ response: HTTPResponse) -> String? {
        ((json(response)?["error"] as? [String: Any])?[".tag"] as? String) ?? summary(response)?.components(separatedBy: "/").first
    }

    /// Seconds to wait after a 429: the `Retry-After` header, the body's `retry_after`, else 5 (the SDK's default).
    static func retryAfter(_ response: HTTPResponse) -> Double {
        if let header = response.header("Retry-After"), let seconds = RetryPolicy.parseRetryAfter(header) { return seconds }
        if let seconds = (json(response)?["error"] as? [String: Any])?["retry_after"] as? Double { return seconds }
        return 5
    }

    static func error(_ response: HTTPResponse, route: String) -> DropboxError {
        let status = response.status
        let code = summary(response) ?? "http-\(status)"
        let userMessage = ((json(response)?["user_message"] as? [String: Any])?["text"] as? String).map { " Dropbox says: \($0)" } ?? ""
        func fail(_ message: String) -> DropboxError { DropboxError(code: code, message: message + userMessage, status: status) }
        switch (status, code) {
        case (401, let code) where code.hasPrefix("missing_scope"):
            let scope = (json(response)?["error"] as? [String: Any])?["required_scope"] as? String ?? "a missing scope"
            return fail("The Dropbox token lacks the scope \(scope). Enable it under Permissions in the App Console, then create a new token.")
        case (401, let code) where code.hasPrefix("expired_access_token"):
            return fail("The Dropbox access token has expired. Get a new one, or set DROPBOX_REFRESH_TOKEN + DROPBOX_APP_KEY so presign can refresh it.")
        case (401, let code) where code.hasPrefix("user_suspended"):
            return fail("The Dropbox account is suspended. Use another account's token.")
        case (401, _):
            return fail("Dropbox refused the access token (\(code)): it is invalid, revoked or mistyped. Create a new token in the App Console or refresh it.")
        case (409, let code) where code.hasPrefix("path/not_found"):
            return fail("There is no file at that path in Dropbox. Check the path (it starts with '/'); an App-folder app only sees its own folder.")
        case (409, let code) where code.hasPrefix("path/not_file"):
            return fail("That Dropbox path is a folder; a temporary link needs a file.")
        case (409, let code) where code.hasPrefix("path/malformed_path"):
            return fail("Dropbox says the path is malformed. Give a path such as /Photos/in/cat.jpg, or id:..., rev:..., ns:....")
        case (409, let code) where code.hasPrefix("path/restricted_content"):
            return fail("Dropbox restricts this file's content (e.g. a copyright claim); no link can be made.")
        case (409, let code) where code.hasPrefix("unsupported_file"):
            return fail("Dropbox cannot make a temporary link for this kind of file (e.g. a Google Doc or Paper doc). Export it to a normal file first.")
        case (409, let code) where code.hasPrefix("email_not_verified"):
            return fail("The Dropbox account's email address is not verified. Verify it, then try again.")
        case (409, _):
            return fail("Dropbox refused \(route): \(code).")
        case (429, _):
            let wait = Int(retryAfter(response).rounded(.up))
            return DropboxError(code: code == "http-429" ? "too_many_requests" : code,
                                message: "Dropbox is rate-limiting this access token; it asks to wait \(wait) s. Retry after that, or sign fewer links at once.",
                                status: status, retryAfter: retryAfter(response))
        case (400, _):
            let text = response.text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300)
            return DropboxError(code: "bad-request", message: "Dropbox rejected the request as malformed: \(text)", status: status)
        case (403, _):
            return fail("Dropbox denied access (\(code)). Check that the app and account may use this path.")
        case (500...599, _):
            return fail("Dropbox had a server error (\(status)) and kept failing after retries. Try again later.")
        default:
            return fail("Dropbox answered \(route) with HTTP \(status) (\(code)).")
        }
    }
}

/// Client-side checks of Dropbox path patterns (as the SDK does before sending).
public enum DropboxPaths {
    /// Throws `invalid-path` unless `path` fits Dropbox's pattern (`rev:` only where allowed).
    public static func validate(_ path: String, allowRev: Bool) throws {
        let ok = path.hasPrefix("/") && path.count > 1 || path.hasPrefix("id:") && path.count > 3
            || path.hasPrefix("ns:") && path.dropFirst(3).prefix { $0 != "/" }.allSatisfy(\.isNumber) && path.count > 3
            || allowRev && path.hasPrefix("rev:") && path.count >= 13 && path.dropFirst(4).allSatisfy(\.isHexDigit)
        guard ok else {
            throw DropboxError(code: "invalid-path", message: "'\(path)' is not a Dropbox path. Give it from the Dropbox root, starting with '/', e.g. /Photos/in/cat.jpg (or id:..., \(allowRev ? "rev:..., " : "")ns:...).")
        }
    }
}

/// The OAuth 2 refresh-token exchange.
enum DropboxOAuth {
    static func refresh(apiBase: String, http: HTTPClient, refreshToken: String, appKey: String, appSecret: String?) async throws -> (String, Double) {
        var form = [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", appKey)]
        if let appSecret { form.append(("client_secret", appSecret)) }
        let body = form.map { "\($0.0)=\(PercentEncoding.unreserved.encode($0.1))" }.joined(separator: "&")
        let response = try await http.send(HTTPRequest(method: "POST", url: "\(apiBase)/oauth2/token",
                                                       headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")],
                                                       body: .bytes(Array(body.utf8))))
        let object = DropboxResponses.json(response) ?? [:]
        if response.status == 200, let token = object["access_token"] as? String {
            return (token, object["expires_in"] as? Double ?? 14_400)
        }
        let code = object["error"] as? String ?? "http-\(response.status)"
        let message = switch code {
        case "invalid_grant": "Dropbox refused the refresh token (invalid or revoked). Authorize the app again to get a new DROPBOX_REFRESH_TOKEN."
        case "invalid_client", "unauthorized_client": "Dropbox refused the app credentials. Check DROPBOX_APP_KEY and DROPBOX_APP_SECRET (leave the secret unset for a PKCE app)."
        default: "Refreshing the Dropbox token failed with HTTP \(response.status) (\(code))."
        }
        throw DropboxError(code: code, message: message, status: response.status)
    }
}
