import SigningCore

extension AzureServiceSAS {
    /// Stage 1: the string to sign for `version` (service SAS with the account key, or user
    /// delegation SAS when `delegationKey` is set). Fields are joined with `\n`; empty ones stay.
    /// (https://learn.microsoft.com/rest/api/storageservices/create-service-sas,
    /// https://learn.microsoft.com/rest/api/storageservices/create-user-delegation-sas)
    public func stringToSign() throws -> String {
        try validate()
        let v = version
        var fields = [permissions ?? "", start ?? "", expiry ?? "", canonicalizedResource]
        if let key = delegationKey {
            fields += [key.signedOid, key.signedTid, key.signedStart, key.signedExpiry, key.signedService, key.signedVersion]
            if v >= AzureSASVersion.agentObjectFields {
                fields += [preauthorizedAgentObjectID ?? "", agentObjectID ?? "", correlationID ?? ""]
            }
            if v >= AzureSASVersion.delegatedUser {
                fields += [key.signedDelegatedUserTid ?? "", delegatedUserObjectID ?? ""]
            }
        } else {
            fields.append(identifier ?? "")
        }
        fields += [ip ?? "", protocols ?? "", v]
        if v >= AzureSASVersion.signedResourceField {
            fields += [resource.rawValue, snapshotTime ?? ""]
        }
        if v >= AzureSASVersion.encryptionScope { fields.append(encryptionScope ?? "") }
        if delegationKey != nil && v >= AzureSASVersion.requestBinding {
            fields.append(requestHeaders.map { "\($0.name):\($0.value)\n" }.joined())
            fields.append(requestQuery.map { "\n\($0.name):\($0.value)" }.joined())
        }
        fields += [cacheControl ?? "", contentDisposition ?? "", contentEncoding ?? "", contentLanguage ?? "", contentType ?? ""]
        return fields.joined(separator: "\n")
    }

    /// Stages 1–3: the token (`sv=…&sig=…`), in the order the Microsoft SDK emits it.
    /// `accountKey` signs a service SAS; a user delegation SAS is signed with its key's value.
    public func token(accountKey: [UInt8]?) throws -> (token: String, stringToSign: String, signature: String) {
        let stringToSign = try self.stringToSign()
        let key: [UInt8]
        if let delegation = delegationKey {
            guard let bytes = Base64.decode(delegation.value) else {
                throw AzureSASError(code: "invalid-delegation-key", message: "The user delegation key's value is not base64.")
            }
            key = bytes
        } else {
            guard let accountKey else {
                throw AzureSASError(code: "missing-key", message: "A service SAS needs the account key (AZURE_STORAGE_KEY or AccountKey= in the connection string), or a user delegation key.")
            }
            key = accountKey
        }
        let signature = AzureSASToken.signature(stringToSign: stringToSign, key: key)
        var parameters: [(String, String?)] = [
            ("st", start), ("se", expiry), ("sp", permissions), ("sip", ip), ("spr", protocols), ("sv", version),
            ("sduoid", delegatedUserObjectID), ("si", identifier), ("sr", resource.rawValue),
            ("rscc", cacheControl), ("rscd", contentDisposition), ("rsce", contentEncoding), ("rscl", contentLanguage), ("rsct", contentType),
            ("sdd", directoryDepth.map(String.init)), ("ses", encryptionScope),
        ]
        if let key = delegationKey {
            parameters += [
                ("saoid", preauthorizedAgentObjectID), ("scid", correlationID), ("suoid", agentObjectID),
                ("skoid", key.signedOid), ("sktid", key.signedTid), ("skt", key.signedStart), ("ske", key.signedExpiry),
                ("sks", key.signedService), ("skv", key.signedVersion), ("skdutid", key.signedDelegatedUserTid),
            ]
        }
        var token = AzureSASToken.join(parameters)
        // srh/srq carry the names only, each encoded, joined with a literal ','.
        for (name, list) in [("srh", requestHeaders.map(\.name)), ("srq", requestQuery.map(\.name))] where delegationKey != nil && !list.isEmpty {
            token += "&\(name)=" + list.map { PercentEncoding.path.encode($0) }.joined(separator: ",")
        }
        token += "&" + AzureSASToken.join([("sig", signature)])
        return (token, stringToSign, signature)
    }
}

/// Token encoding shared by service, user delegation and account SAS.
enum AzureSASToken {
    /// `base64(HMAC-SHA256(key, UTF-8 string to sign))`.
    static func signature(stringToSign: String, key: [UInt8]) -> String {
        Base64.encode(HMACSHA256(key: key).authenticate(stringToSign))
    }

    /// `name=value` pairs, values percent-encoded with `/` kept (as the SDK's `quote(value)`), joined with `&`.
    static func join(_ parameters: [(String, String?)]) -> String {
        parameters.compactMap { name, value in value.map { "\(name)=\(PercentEncoding.path.encode($0))" } }.joined(separator: "&")
    }
}
