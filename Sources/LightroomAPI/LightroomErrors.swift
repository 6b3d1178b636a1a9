import Foundation
import HTTP

/// The API gateway's and the API's error answers as sentences with the fix.
enum LightroomErrors {
    static func error(_ response: HTTPResponse, what: String) -> LightroomError {
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        let status = response.status
        if status == 429 { return rateLimited(response, who: "The API") }
        if let gateway = object["error_code"].map({ "\($0)" }) {
            let message: String
            switch gateway {
            case "401013": message = "The access token is not valid (401013 \(object["message"] as? String ?? "")): it expired or lacks the scopes. Unset LIGHTROOM_ACCESS_TOKEN to let presign get one from LIGHTROOM_CLIENT_ID/LIGHTROOM_CLIENT_SECRET, or get a new one."
            case "403003": message = "The API key is not valid for this API (403003). Add the Lightroom API to the project in the Adobe Developer Console and use that project's client id."
            case "403000": message = "The request had no API key (403000). Set LIGHTROOM_CLIENT_ID (it is sent as x-api-key)."
            default: message = "\(what) was refused (\(status) \(gateway)): \(object["message"] as? String ?? response.text.prefix(200).description)"
            }
            return LightroomError(code: "api-\(gateway)", message: message, status: status)
        }
        let type = object["type"] as? String ?? ""
        let title = object["title"] as? String ?? ""
        let details = describe(object["details"])
        let message: String
        switch (type, status) {
        case ("InputValidationError", _), (_, 400):
            message = "The API refused the job body (\(type.isEmpty ? "400" : type)\(title.isEmpty ? "" : ": \(title)")\(details.isEmpty ? "" : "; \(details)")). Check the options against 'presign lightroom ENDPOINT --help'."
        case ("TrialLimitExceededError", _), (_, 402):
            message = "The API's trial limit is used up (402 \(type)). Upgrade the Adobe project's plan."
        case ("FileOverwriteError", _), (_, 409):
            message = "An output already exists and may not be overwritten (409 \(type)). Use a new output path, or --overwrite."
        case ("FileLinkInvalidError", _), (_, 410):
            message = "The API cannot download the input (410 \(type)): the link is invalid or has expired. Sign a new one; presign verify checks it."
        case (_, 500...599):
            message = "\(what) kept failing with \(status)\(type.isEmpty ? "" : " \(type)") after the retries. The service may be down: try again later."
        default:
            message = "\(what) was refused (\(status)\(type.isEmpty ? "" : " \(type)")\(title.isEmpty ? "" : ": \(title)")\(details.isEmpty ? "" : "; \(details)"))."
        }
        return LightroomError(code: type.isEmpty ? "http-\(status)" : type, message: message, status: status)
    }

    /// A 429, whatever its body (the gateway's `error_code`, the API's `type`, IMS's `error`, or
    /// none), with the wait its `Retry-After` asks for.
    static func rateLimited(_ response: HTTPResponse, who: String) -> LightroomError {
        let after = response.header("Retry-After").flatMap { RetryPolicy.parseRetryAfter($0) }
        let wait = after.map { "; it asks to wait \(Int($0.rounded(.up))) s" } ?? " (it gave no Retry-After)"
        let message = "\(who) is limiting requests (429)\(wait). Try again later, or pass --retry-429 to wait and retry."
        return LightroomError(code: "rate-limited", message: message, status: 429, retryAfter: after)
    }

    /// `details` as an object (Adobe's schema) or an array of `{name, reason}` (the OpenAPI document).
    static func describe(_ details: Any?) -> String {
        if let list = details as? [[String: Any]] {
            return list.map { "\($0["name"].map { "\($0)" } ?? "?"): \($0["reason"].map { "\($0)" } ?? "")" }.joined(separator: "; ")
        }
        if let object = details as? [String: Any] {
            return object.keys.sorted().map { "\($0): \(object[$0]!)" }.joined(separator: "; ")
        }
        return details.map { "\($0)" } ?? ""
    }
}
