import SigningCore

/// What a service SAS (account key) or user delegation SAS grants, as the fields that go into
/// its string to sign and its token. Times are the exact text signed (`YYYY-MM-DDThh:mm:ssZ`).
public struct AzureServiceSAS: Sendable {
    /// `sr`: what the SAS is for.
    public enum Resource: String, Sendable {
        case blob = "b", container = "c", snapshot = "bs", version = "bv", directory = "d"
    }

    public var account: String
    public var container: String
    /// The blob (or directory) name, decoded; `nil` for a container SAS.
    public var blob: String?
    public var resource: Resource
    /// `sp`, already in canonical order.
    public var permissions: String?
    public var start: String?
    public var expiry: String?
    public var version: String = AzureSASVersion.newest
    /// `si`: a stored access policy.
    public var identifier: String?
    public var ip: String?
    /// `spr`: `https` or `https,http`.
    public var protocols: String?
    /// The snapshot time (`sr=bs`) or version id (`sr=bv`): signed, carried by the request, not the token.
    public var snapshotTime: String?
    public var encryptionScope: String?
    public var cacheControl: String?, contentDisposition: String?, contentEncoding: String?, contentLanguage: String?, contentType: String?
    /// For a user delegation SAS: the key, and the optional agent and correlation ids.
    public var delegationKey: AzureUserDelegationKey?
    public var preauthorizedAgentObjectID: String?, agentObjectID: String?, correlationID: String?, delegatedUserObjectID: String?
    /// `srh` and `srq` (user delegation SAS, sv 2026-04-06+): headers and query parameters the request must carry.
    public var requestHeaders: [(name: String, value: String)] = []
    public var requestQuery: [(name: String, value: String)] = []

    /// Creates a SAS description for a blob (or, with `blob: nil`, a container).
    public init(account: String, container: String, blob: String?, resource: Resource? = nil) {
        self.account = account
        self.container = container
        self.blob = blob
        self.resource = resource ?? (blob == nil ? .container : .blob)
    }

    /// `/blob/ACCOUNT/CONTAINER[/BLOB]` with the decoded name.
    public var canonicalizedResource: String {
        "/blob/\(account)/\(container)" + (blob.map { "/\($0)" } ?? "")
    }

    /// `sdd`: the number of path segments of a directory SAS.
    public var directoryDepth: Int? {
        resource == .directory ? (blob ?? "").split(separator: "/").count : nil
    }

    /// Checks that every field is allowed at `version`.
    public func validate() throws {
        try AzureSASVersion.validate(version)
        if encryptionScope != nil { try AzureSASVersion.require(AzureSASVersion.encryptionScope, for: "An encryption scope (ses)", in: version) }
        if resource == .snapshot || resource == .version { try AzureSASVersion.require(AzureSASVersion.signedResourceField, for: "A snapshot or version SAS", in: version) }
        if resource == .directory { try AzureSASVersion.require(AzureSASVersion.agentObjectFields, for: "A directory SAS (sr=d)", in: version) }
        if delegationKey != nil {
            try AzureSASVersion.require(AzureSASVersion.signedResourceField, for: "A user delegation SAS", in: version)
            if identifier != nil {
                throw AzureSASError(code: "policy-with-delegation", message: "A user delegation SAS cannot use a stored access policy (--policy). Drop --policy, or sign with the account key.")
            }
        } else if [preauthorizedAgentObjectID, agentObjectID, correlationID, delegatedUserObjectID].contains(where: { $0 != nil }) || !requestHeaders.isEmpty || !requestQuery.isEmpty {
            throw AzureSASError(code: "delegation-field-without-key", message: "saoid, suoid, scid, sduoid, srh and srq belong to user delegation SAS; give --user-delegation-key or drop them.")
        }
        if preauthorizedAgentObjectID != nil || agentObjectID != nil || correlationID != nil {
            try AzureSASVersion.require(AzureSASVersion.agentObjectFields, for: "saoid, suoid and scid", in: version)
        }
        if delegatedUserObjectID != nil || delegationKey?.signedDelegatedUserTid != nil {
            try AzureSASVersion.require(AzureSASVersion.delegatedUser, for: "A delegated user (sduoid, skdutid)", in: version)
        }
        if !requestHeaders.isEmpty || !requestQuery.isEmpty { try AzureSASVersion.require(AzureSASVersion.requestBinding, for: "srh and srq", in: version) }
        if identifier == nil && (permissions == nil || expiry == nil) {
            throw AzureSASError(code: "missing-field", message: "A SAS without a stored access policy needs permissions and an expiry time.")
        }
    }
}
