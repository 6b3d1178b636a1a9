import AzureSAS
import SigningCore

extension AzureRequestVerifier {
    /// Rebuilds the string to sign from the request's own SAS fields with the library's layouts,
    /// and picks the key: the account key, or the user delegation key the SAS names.
    func layout(parameters: [(name: String, value: String)], version: String, account: String, container: String, blob: String?)
        throws -> (stringToSign: String, key: [UInt8]?, permissions: String) {
        func value(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
        if let services = value("ss") {
            guard let resourceTypes = value("srt"), let permissions = value("sp"), let expiry = value("se") else {
                throw Self.authenticationFailed("Signature fields not well formed.")
            }
            guard services.contains("b"), resourceTypes.contains(blob == nil ? "c" : "o") else {
                throw Self.refusal(403, "AuthorizationResourceTypeMismatch", "This request is not authorized to perform this operation using this resource type.")
            }
            var sas = AzureAccountSAS(account: account, services: services, resourceTypes: resourceTypes, permissions: permissions, expiry: expiry)
            sas.start = value("st")
            sas.ip = value("sip")
            sas.protocols = value("spr")
            sas.version = version
            sas.encryptionScope = value("ses")
            return (try sas.stringToSign(), accountKeys[account], permissions)
        }
        guard let resourceCode = value("sr"), let resource = AzureServiceSAS.Resource(rawValue: resourceCode) else {
            throw Self.authenticationFailed("Signature fields not well formed.")
        }
        var sas = AzureServiceSAS(account: account, container: container, blob: resource == .container ? nil : blob, resource: resource)
        sas.permissions = value("sp")
        sas.start = value("st")
        sas.expiry = value("se")
        sas.version = version
        sas.identifier = value("si")
        sas.ip = value("sip")
        sas.protocols = value("spr")
        sas.snapshotTime = value("snapshot") ?? value("versionid")
        sas.encryptionScope = value("ses")
        sas.cacheControl = value("rscc")
        sas.contentDisposition = value("rscd")
        sas.contentEncoding = value("rsce")
        sas.contentLanguage = value("rscl")
        sas.contentType = value("rsct")
        sas.preauthorizedAgentObjectID = value("saoid")
        sas.agentObjectID = value("suoid")
        sas.correlationID = value("scid")
        sas.delegatedUserObjectID = value("sduoid")
        var key = accountKeys[account]
        if let oid = value("skoid") {
            guard var delegation = delegationKeys.first(where: { $0.signedOid == oid && $0.signedStart == value("skt") && $0.signedExpiry == value("ske") }) else {
                throw Self.authenticationFailed("The user delegation key of this SAS is not known to this server.")
            }
            delegation.signedDelegatedUserTid = value("skdutid")
            sas.delegationKey = delegation
            key = Base64.decode(delegation.value)
        }
        return (try sas.stringToSign(), key, sas.permissions ?? "")
    }
}
