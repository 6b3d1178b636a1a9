import SigningCore

/// A transfer that did not produce an HTTP response: the kind, curl's own code, and a sentence.
public struct HTTPError: CodedError, Equatable {
    /// What went wrong, classified from libcurl's result.
    public enum Kind: String, Sendable, Equatable {
        case invalidURL = "invalid-url"
        case dnsFailure = "dns-failure"
        case connectionRefused = "connection-refused"
        case timeout
        case tlsUnknownAuthority = "tls-unknown-ca"
        case tlsSelfSigned = "tls-self-signed"
        case tlsNameMismatch = "tls-name-mismatch"
        case tlsExpired = "tls-expired"
        case tlsOther = "tls-error"
        case connectionDropped = "connection-dropped"
        case cancelled
        case localFile = "local-file"
        case other = "transfer-failed"
    }

    /// The classification.
    public let kind: Kind
    /// libcurl's `CURLcode`.
    public let curlCode: Int
    /// A sentence that says what happened and what to do.
    public let message: String

    /// A transfer failure is not a usage error, except a URL that could not be used at all.
    public var isUsageError: Bool { kind == .invalidURL || kind == .localFile }

    /// The stable code (`Kind`'s raw value).
    public var code: String { kind.rawValue }

    /// Creates an error.
    public init(kind: Kind, curlCode: Int, message: String) {
        self.kind = kind
        self.curlCode = curlCode
        self.message = message
    }
}
