import SigningCore

/// The result of checking one URL.
public struct VerificationOutcome: Sendable {
    /// `unverifiable`: nothing was sent because only using the URL could prove it (a single-use
    /// Dropbox upload link); not a failure unless the caller is strict.
    public enum Verdict: String, Sendable { case ok, failed, inconclusive, unverifiable }

    /// The URL with its signature redacted.
    public var url: String
    public var role: URLRole
    /// Whether the role was inferred (not given).
    public var roleInferred: Bool
    public var verdict: Verdict = .ok
    /// The HTTP status of the live check, if any.
    public var status: Int?
    /// The provider's own error code (`SignatureDoesNotMatch`, `AuthenticationFailed`, ...).
    public var providerCode: String?
    /// What the first bytes are (inputs).
    public var content: String?
    public var problems: [String] = []
    public var warnings: [String] = []
    /// Information that needs no action (how the check was made, what it proved).
    public var notes: [String] = []
    /// One line saying what to do.
    public var hint: String?
    public var provider: String

    public var ok: Bool { verdict == .ok }
}
