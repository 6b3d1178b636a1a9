import SigningCore

/// What a URL is for.
public enum URLRole: String, Sendable, CaseIterable {
    case input, output
}

/// What `presign inspect` learns from a URL alone.
public struct InspectionReport: Sendable {
    /// `s3`, `gcs`, `azure`, `dropbox`, `gdrive`, or `public` (no signature this tool knows).
    public var provider = "public"
    /// A few words: "SigV4 presigned URL", "user delegation SAS", "single-use upload link", ...
    public var kind = "unsigned URL"
    /// The method the URL is signed for, where the URL says it.
    public var method: String?
    public var issuedAt: Timestamp?
    public var expiresAt: Timestamp?
    /// Where the expiry comes from when it is not a field of the URL (e.g. "4 hours after it was made").
    public var expiryNote: String?
    public var signedHeaders: [String] = []
    /// Headers a client must send (signed ones, `x-ms-blob-type` for an Azure upload).
    public var requiredHeaders: [(name: String, value: String)] = []
    public var permissions: String?
    /// What it points at: `bucket/key`, `account/container/blob`, a file id.
    public var resource: String?
    public var region: String?
    public var securityToken = false
    /// The role the URL itself implies (Azure permissions, GCS resumable, Dropbox link kind).
    public var impliedRole: URLRole?
    public var problems: [String] = []
    public var warnings: [String] = []
    /// Whether the text is not a usable http(s) URL at all (nothing should be sent to it).
    public var malformed = false
    /// Whether the URL may work only once (a Dropbox upload link, in any spelling): checking it
    /// by sending anything may use it up.
    public var singleUse = false

    public init() {}
}
