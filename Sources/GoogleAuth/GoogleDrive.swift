import Foundation
import HTTP
import SigningCore

/// Drive v3 URLs that work without further credentials: a download URL that carries an access
/// token, and a resumable upload session URL.
public struct GoogleDrive: Sendable {
    /// `https://www.googleapis.com`.
    public static let defaultAPIBase = "https://www.googleapis.com"
    /// Google: "A session URI expires after one week."
    public static let uploadSessionLifetime: TimeInterval = 7 * 86_400

    let apiBase: String
    let http: HTTPClient
    let policy: RetryPolicy

    public init(apiBase: String = defaultAPIBase, http: HTTPClient = HTTPClient(), retries: Int = 3, backoff: Double = 1,
                onRetry: (@Sendable (RetryEvent) -> Void)? = nil) {
        self.apiBase = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
        self.http = http
        var policy = RetryPolicy.serverErrors(retries: retries, backoff: backoff)
        policy.onRetry = onRetry
        self.policy = policy
    }

    /// A file's metadata (it exists and the token may read it).
    public struct File: Sendable {
        public let id: String
        public let name: String?
        public let mimeType: String?
    }

    /// Throws unless `id` looks like a Drive file id (letters, digits, `-`, `_`).
    public static func validate(fileID id: String) throws {
        guard !id.isEmpty, id.count <= 200, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw GoogleAuthError(code: "invalid-file-id", message: "'\(id)' is not a Drive file id (letters, digits, '-' and '_', as in https://drive.google.com/file/d/FILE_ID/view).")
        }
    }

    /// Looks the file up (`files.get`), so a wrong id or missing access fails now, not in the job.
    public func file(id: String, token: GoogleAccessToken) async throws -> File {
        try Self.validate(fileID: id)
        let response = try await send(HTTPRequest(url: "\(apiBase)/drive/v3/files/\(id)?fields=id,name,mimeType",
                                                  headers: [(name: "Authorization", value: "Bearer \(token.value)")]))
        guard response.status == 200 else { throw Self.error(response, fileID: id) }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return File(id: id, name: object["name"] as? String, mimeType: object["mimeType"] as? String)
    }

    /// `GET …/drive/v3/files/ID?alt=media&access_token=TOKEN`: works until the token expires, for
    /// anyone who has the URL, with every scope the token has.
    public func downloadURL(fileID id: String, token: GoogleAccessToken) throws -> String {
        try Self.validate(fileID: id)
        return "\(apiBase)/drive/v3/files/\(id)?alt=media&access_token=\(PercentEncoding.unreserved.encode(token.value))"
    }

    /// Opens a resumable session that replaces the file's content (`PATCH …/upload/drive/v3/files/ID?uploadType=resumable`)
    /// and returns the session URL from `Location`; the bytes then go in one `PUT` to it.
    public func openUploadSession(fileID id: String, token: GoogleAccessToken) async throws -> String {
        try Self.validate(fileID: id)
        let response = try await send(HTTPRequest(
            method: "PATCH", url: "\(apiBase)/upload/drive/v3/files/\(id)?uploadType=resumable",
            headers: [(name: "Authorization", value: "Bearer \(token.value)"), (name: "Content-Type", value: "application/json; charset=UTF-8")],
            body: .bytes(Array("{}".utf8))))
        guard response.status == 200, let location = response.header("Location"), !location.isEmpty else {
            if response.status == 200 {
                throw GoogleAuthError(code: "no-session-uri", message: "Drive opened no upload session (no Location header). Check --api-base.", status: 200)
            }
            throw Self.error(response, fileID: id)
        }
        return location
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            return try await http.send(request, retrying: policy).response
        } catch let exhausted as RetryExhausted {
            throw exhausted.error
        }
    }

    static func error(_ response: HTTPResponse, fileID: String) -> GoogleAuthError {
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        let error = object?["error"] as? [String: Any]
        let reason = ((error?["errors"] as? [[String: Any]])?.first?["reason"] as? String) ?? (error?["status"] as? String) ?? "http-\(response.status)"
        let message: String
        switch response.status {
        case 401: message = "Drive refused the access token. Check the key is active (and --token-url)."
        case 403: message = "The token may not do this to file \(fileID) (\(reason)). Use a drive scope that allows it (https://www.googleapis.com/auth/drive to write) and share the file with the service account, or use --subject."
        case 404: message = "Drive has no file \(fileID) that this account can see. Check the id, and share the file with the service account's email (or use --subject)."
        default: message = "Drive answered HTTP \(response.status) (\(reason)) for file \(fileID)."
        }
        return GoogleAuthError(code: reason, message: message, status: response.status)
    }
}
