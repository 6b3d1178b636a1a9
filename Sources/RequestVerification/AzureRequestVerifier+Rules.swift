import SigningCore

extension AzureRequestVerifier {
    /// Rules Blob Storage applies besides the signature and the time window: this server keeps no
    /// stored access policies (so `si` cannot be honoured), `se` is mandatory, `spr` is `https` or
    /// `https,http`, and a snapshot (`sr=bs`) or version (`sr=bv`) SAS never writes.
    func checkRules(_ value: (String) -> String?, operation: Operation) throws {
        if value("si") != nil {
            throw Self.authenticationFailed("This server keeps no stored access policies, so a SAS that names one (si) cannot be honoured; sign the SAS with sp and se instead.")
        }
        if value("se") == nil { throw Self.authenticationFailed("se is mandatory. Cannot be empty") }
        if let protocols = value("spr"), protocols != "https" && protocols != "https,http" {
            throw Self.authenticationFailed("spr must be https or https,http, not \(protocols).")
        }
        if let resource = value("sr"), resource == "bs" || resource == "bv", operation == .create || operation == .overwrite {
            throw Self.refusal(403, "AuthorizationPermissionMismatch", "This request is not authorized to perform this operation using this permission.")
        }
    }

    /// A user delegation SAS works only while its key does: `now` must lie within the key's
    /// `skt`..`ske` as well as the SAS's own window.
    func checkDelegationKeyWindow(_ value: (String) -> String?, now: Timestamp) throws {
        guard value("skoid") != nil, let startText = value("skt"), let expiryText = value("ske") else { return }
        guard let keyStart = Timestamp.parseRFC3339(startText), let keyExpiry = Timestamp.parseRFC3339(expiryText) else {
            throw Self.authenticationFailed("Signature fields not well formed.")
        }
        if now < keyStart || now > keyExpiry {
            throw Self.authenticationFailed("The user delegation key is not valid at this time: Start [\(Self.httpDate(keyStart))] - Expiry [\(Self.httpDate(keyExpiry))] - Current [\(Self.httpDate(now))]. Get a new user delegation key and sign the SAS again.")
        }
    }
}
