import Foundation
import HTTP

/// The provider's own error code in a refusal, and a one-line fix.
enum ProviderDiagnosis {
    static func code(_ response: HTTPResponse) -> String? {
        if let header = response.header("x-ms-error-code") { return header }
        if let code = response.xmlElement("Code") { return code }
        if let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] {
            if let summary = object["error_summary"] as? String { return summary.split(separator: "/").first.map(String.init) }
            if let error = object["error"] as? [String: Any] { return (error["status"] as? String) ?? (error["code"] as? Int).map { "\($0)" } }
            if let error = object["error"] as? String { return error }
        }
        return nil
    }

    static func diagnose(_ response: HTTPResponse, provider: String, role: URLRole) -> (code: String?, hint: String) {
        let code = code(response)
        let text = response.text
        let status = response.status
        let hint: String
        switch (code ?? "", status) {
        case ("SignatureDoesNotMatch", _):
            hint = "The signature does not match: the URL was changed after signing, or signed for another method, headers or secret. Sign it again for \(role == .input ? "GET" : "PUT")."
        case ("AccessDenied", _) where text.contains("expired"), ("ExpiredToken", _):
            hint = "The URL has expired. Sign a new one, long enough for the job."
        case ("AccessDenied", _) where text.contains("not valid yet"):
            hint = "The URL is not valid yet: it was signed with a time ahead of the server's clock. Check the signing machine's clock."
        case ("AuthorizationQueryParametersError", _):
            hint = "The server refused the URL's signing parameters: " + (response.xmlElement("Message")?.components(separatedBy: "\n").first ?? "see the server's message.")
        case ("InvalidAccessKeyId", _):
            hint = "The server does not know the access key: sign with credentials for this account (or this endpoint)."
        case ("NoSuchKey", _), ("BlobNotFound", _), ("NoSuchBucket", _), (_, 404):
            hint = role == .input ? "There is no object at this URL: check the bucket/container and key." : "The container or bucket does not exist: create it first."
        case ("AuthenticationFailed", _):
            hint = "Azure could not authenticate the SAS: " + (detail(response) ?? "sign it again with the account key.")
        case ("AuthorizationPermissionMismatch", _):
            hint = role == .input ? "The SAS does not allow reading: sign it with sp=r." : "The SAS does not allow this write: sign it with sp=cw (create) or w (overwrite)."
        case ("AuthorizationProtocolMismatch", _):
            hint = "The SAS allows https only: use the https URL."
        case ("AuthorizationSourceIPMismatch", _):
            hint = "The SAS is restricted to other IP addresses (sip): sign it without --ip for a cloud service."
        case ("MissingRequiredHeader", _):
            hint = "Azure needs x-ms-blob-type: BlockBlob on a PUT (storage: azure in the Lightroom job sends it)."
        case (_, 410):
            hint = provider == "dropbox" ? "The Dropbox link has expired or was already used: make a new one right before the job." : "The link is gone (410): make a new one."
        case (_, 409) where provider == "dropbox":
            hint = "Dropbox refused the upload (conflict or a link in use): check the mode, or make a new link."
        case (_, 401), (_, 403):
            hint = "The server refused the URL (\(status)\(code.map { " \($0)" } ?? "")). Sign it again with valid credentials."
        case (_, 405):
            hint = "The server does not allow this method here: an \(role.rawValue) URL must take \(role == .input ? "GET" : "PUT")."
        case (_, 429), (_, 500...599):
            hint = "The server kept failing (\(status)) after retries: try again later."
        default:
            hint = "The server answered \(status)\(code.map { " \($0)" } ?? "")."
        }
        return (code ?? (status > 0 ? "http-\(status)" : nil), hint)
    }

    static func detail(_ response: HTTPResponse) -> String? {
        guard let detail = response.xmlElement("AuthenticationErrorDetail") else { return nil }
        if detail.hasPrefix("Signature did not match") { return "the signature does not match (the URL was changed, or signed with another key): sign it again." }
        return detail
    }
}
