import SigningCore

/// An account SAS: services (`ss`), resource types (`srt`) and permissions over a whole account.
public struct AzureAccountSAS: Sendable {
    public var account: String
    /// `ss`: letters of `b q t f` (blob, queue, table, file).
    public var services: String
    /// `srt`: letters of `s c o` (service, container, object).
    public var resourceTypes: String
    /// `sp`, already in the account order.
    public var permissions: String
    public var start: String?
    public var expiry: String
    public var ip: String?
    public var protocols: String?
    public var version: String = AzureSASVersion.newest
    public var encryptionScope: String?

    /// Creates an account SAS description.
    public init(account: String, services: String, resourceTypes: String, permissions: String, expiry: String) {
        self.account = account
        self.services = services
        self.resourceTypes = resourceTypes
        self.permissions = permissions
        self.expiry = expiry
    }

    /// Stage 1: `account\nsp\nss\nsrt\nst\nse\nsip\nspr\nsv\n` (+ `ses\n` from sv 2020-12-06), with
    /// the trailing newline (https://learn.microsoft.com/rest/api/storageservices/create-account-sas).
    public func stringToSign() throws -> String {
        try AzureSASVersion.validate(version)
        if encryptionScope != nil { try AzureSASVersion.require(AzureSASVersion.encryptionScope, for: "An encryption scope (ses)", in: version) }
        var fields = [account, permissions, services, resourceTypes, start ?? "", expiry, ip ?? "", protocols ?? "", version]
        if version >= AzureSASVersion.encryptionScope { fields.append(encryptionScope ?? "") }
        return fields.map { $0 + "\n" }.joined()
    }

    /// The token in the SDK's order, with its string to sign and signature.
    public func token(accountKey: [UInt8]) throws -> (token: String, stringToSign: String, signature: String) {
        let stringToSign = try self.stringToSign()
        let signature = AzureSASToken.signature(stringToSign: stringToSign, key: accountKey)
        let token = AzureSASToken.join([
            ("st", start), ("se", expiry), ("sp", permissions), ("sip", ip), ("spr", protocols), ("sv", version),
            ("ss", services), ("srt", resourceTypes), ("ses", encryptionScope), ("sig", signature),
        ])
        return (token, stringToSign, signature)
    }

    /// Canonical `ss` (`b q t f` order); throws on unknown or repeated letters.
    public static func canonicalServices(_ letters: String) throws -> String {
        try AzurePermissions.canonical(letters, order: Array("bqtf"), kind: "account service (--services)")
    }

    /// Canonical `srt` (`s c o` order); throws on unknown or repeated letters.
    public static func canonicalResourceTypes(_ letters: String) throws -> String {
        try AzurePermissions.canonical(letters, order: Array("sco"), kind: "account resource type (--resource-types)")
    }
}
