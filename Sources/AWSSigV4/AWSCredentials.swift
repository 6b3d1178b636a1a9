/// An AWS access key pair, with the session token of temporary (STS) credentials.
///
/// `description` never shows the secret or the token.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    /// The access key id, e.g. `AKIAIOSFODNN7EXAMPLE` (not secret).
    public let accessKeyID: String
    /// The secret access key.
    public let secretAccessKey: String
    /// The session token of temporary credentials, or `nil`.
    public let sessionToken: String?

    /// Creates credentials; throws when a part is empty or holds characters no AWS key has.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) throws {
        guard !accessKeyID.isEmpty, accessKeyID.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw AWSSigV4Error(code: AWSSigV4Error.invalidCredentials, message: "The access key id is empty or contains spaces or non-ASCII characters. Copy it again from the IAM console or your credentials file.")
        }
        guard !secretAccessKey.isEmpty, secretAccessKey.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw AWSSigV4Error(code: AWSSigV4Error.invalidCredentials, message: "The secret access key for \(accessKeyID) is empty or contains spaces or non-ASCII characters. Copy it again, without quotes or trailing spaces.")
        }
        if let sessionToken, sessionToken.isEmpty || !sessionToken.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            throw AWSSigV4Error(code: AWSSigV4Error.invalidCredentials, message: "The session token for \(accessKeyID) is empty or contains spaces or non-ASCII characters. Unset it or copy it again from your STS response.")
        }
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    public var description: String {
        "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>\(sessionToken == nil ? "" : ", sessionToken: <redacted>"))"
    }
}
