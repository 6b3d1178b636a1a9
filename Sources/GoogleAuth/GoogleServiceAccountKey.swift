import Foundation
import SigningCore

/// A Google service-account key (the JSON file the console downloads).
public struct GoogleServiceAccountKey: Sendable {
    /// `client_email`: the account's identity (the JWT `iss`, the GCS credential).
    public let clientEmail: String
    /// `private_key_id`: the JWT header's `kid`, when present.
    public let privateKeyID: String?
    /// `token_uri`: where assertions are exchanged for access tokens.
    public let tokenURI: String
    /// `universe_domain` (default `googleapis.com`).
    public let universeDomain: String
    /// The RSA key (at least 2048 bits). Secret.
    public let privateKey: RSAPrivateKey

    /// Google's token endpoint.
    public static let defaultTokenURI = "https://oauth2.googleapis.com/token"

    /// Parses the key JSON; `source` names the file in error messages.
    public init(json data: Data, source: String) throws {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw GoogleAuthError(code: "invalid-key-file", message: "\(source) is not a JSON object. Give the service-account key file downloaded from the Google Cloud console (IAM > Service accounts > Keys).")
        }
        guard let type = object["type"] as? String, type == "service_account" else {
            let found = (object["type"] as? String).map { "'\($0)'" } ?? "no type"
            throw GoogleAuthError(code: "wrong-key-type", message: "\(source) has \(found), not type 'service_account' (user credentials from 'gcloud auth' cannot sign). Create a service-account key and give that file.")
        }
        guard let email = object["client_email"] as? String, email.contains("@") else {
            throw GoogleAuthError(code: "missing-client-email", message: "\(source) has no client_email. Download the key again; the file is incomplete.")
        }
        guard let pem = object["private_key"] as? String, !pem.isEmpty else {
            throw GoogleAuthError(code: "missing-private-key", message: "\(source) has no private_key. Download the key again; the file is incomplete.")
        }
        do {
            privateKey = try RSAPrivateKey(pem: pem)
        } catch let error as SigningError {
            throw GoogleAuthError(code: "corrupt-private-key", message: "The private_key in \(source) cannot be used: \(error.message)")
        }
        clientEmail = email
        privateKeyID = (object["private_key_id"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        tokenURI = (object["token_uri"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultTokenURI
        universeDomain = (object["universe_domain"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? "googleapis.com"
    }

    /// Reads `path`, or `GOOGLE_APPLICATION_CREDENTIALS` when `path` is `nil`.
    public static func load(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> GoogleServiceAccountKey {
        guard let file = path ?? environment["GOOGLE_APPLICATION_CREDENTIALS"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw GoogleAuthError(code: "missing-key-file", message: "No service-account key given. Pass --key-file FILE or set GOOGLE_APPLICATION_CREDENTIALS to the key's JSON file.")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw GoogleAuthError(code: "unreadable-key-file", message: "Cannot read the key file \(file). Check the path and its permissions.")
        }
        return try GoogleServiceAccountKey(json: data, source: file)
    }
}
