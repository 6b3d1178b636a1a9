import AzureSAS
import Foundation
import SigningCore

/// The validated arguments of `presign azure`, as a SAS description and an address.
struct AzureInvocation {
    var method: String
    var address: AzureBlobAddress
    var sas: AzureServiceSAS

    static func parse(_ command: AzureCommand, now: Timestamp) throws -> AzureInvocation {
        let method = command.method.uppercased()
        guard method == "GET" || method == "PUT" else {
            throw CLIFailure.usage("--method must be GET or PUT, not '\(command.method)'.")
        }
        let address = try AzureBlobAddress.parse(command.target, endpoint: command.endpoint?.trimmingCharacters(in: .whitespaces))
        let resource: AzureServiceSAS.Resource
        switch (command.resource.lowercased(), command.snapshot, command.versionId) {
        case ("container", nil, nil):
            guard address.blob == nil else {
                throw CLIFailure.usage("--resource container signs a container, but '\(command.target)' names a blob. Drop the blob name or use --resource blob.")
            }
            resource = .container
        case ("blob", nil, nil): resource = .blob
        case ("blob", .some, nil): resource = .snapshot
        case ("blob", nil, .some): resource = .version
        case ("blob", .some, .some): throw CLIFailure.usage("Give --snapshot or --version-id, not both.")
        case ("container", _, _): throw CLIFailure.usage("--snapshot and --version-id apply to blobs, not to --resource container.")
        default: throw CLIFailure.usage("--resource must be blob or container, not '\(command.resource)'.")
        }
        if resource != .container && address.blob == nil {
            throw CLIFailure.usage("'\(command.target)' names no blob. Give CONTAINER/BLOB, or --resource container for a container SAS.")
        }
        var sas = AzureServiceSAS(account: address.account, container: address.container, blob: address.blob, resource: resource)
        sas.version = command.shared.serviceVersion
        sas.identifier = command.policy
        let explicit = try command.permissions.map { try AzurePermissions.canonical($0, order: AzurePermissions.serviceOrder, kind: "blob SAS") }
        if method == "PUT", let explicit, !explicit.contains("w"), !explicit.contains("c") {
            throw CLIFailure.usage("--method PUT needs c (create) or w (write) in --permissions; '\(explicit)' cannot upload. Use cw, or w to overwrite.")
        }
        sas.permissions = explicit ?? (command.policy != nil ? nil : (method == "PUT" ? "cw" : "r"))
        let times = try command.shared.times(now: now, allowNoExpiry: command.policy != nil)
        sas.start = times.start?.rfc3339
        sas.expiry = times.expiry?.rfc3339
        sas.ip = try command.shared.ipRange()
        sas.protocols = command.shared.protocols
        sas.snapshotTime = command.snapshot ?? command.versionId
        sas.encryptionScope = command.shared.encryptionScope
        sas.cacheControl = command.cacheControl
        sas.contentDisposition = command.contentDisposition
        sas.contentEncoding = command.contentEncoding
        sas.contentLanguage = command.contentLanguage
        sas.contentType = command.contentType
        if let file = command.userDelegationKey {
            let key = try delegationKey(file)
            try checkWithin(key, start: times.start ?? now, expiry: times.expiry)
            sas.delegationKey = key
        }
        try sas.validate()
        return AzureInvocation(method: method, address: address, sas: sas)
    }

    static func delegationKey(_ path: String) throws -> AzureUserDelegationKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure.usage("Cannot read --user-delegation-key '\(path)'. Give the JSON file saved from Get User Delegation Key.")
        }
        return try AzureUserDelegationKey(json: data, source: path)
    }

    /// A user delegation SAS must live inside its key's validity.
    static func checkWithin(_ key: AzureUserDelegationKey, start: Timestamp, expiry: Timestamp?) throws {
        guard let keyStart = Timestamp.parseRFC3339(key.signedStart), let keyExpiry = Timestamp.parseRFC3339(key.signedExpiry) else {
            throw CLIFailure.usage("The user delegation key's signedStart/signedExpiry are not RFC 3339 times.")
        }
        if let expiry, expiry > keyExpiry {
            throw CLIFailure.usage("The SAS would expire at \(expiry.rfc3339), after its user delegation key (\(keyExpiry.rfc3339)); Azure refuses that. Shorten --expires or get a longer-lived key (at most 7 days).")
        }
        if start < keyStart {
            throw CLIFailure.usage("The SAS would start at \(start.rfc3339), before its user delegation key is valid (\(keyStart.rfc3339)). Give a later --start or --at.")
        }
    }

    /// The credentials for `address`, from the environment; the account must match.
    static func credentials(for address: AzureBlobAddress) throws -> AzureStorageCredentials {
        let credentials = try AzureStorageCredentials.fromEnvironment()
        guard credentials.account == address.account else {
            throw CLIFailure.usage("The credentials are for storage account '\(credentials.account)', but the location names '\(address.account)'. Use that account's key or connection string.")
        }
        return credentials
    }
}
