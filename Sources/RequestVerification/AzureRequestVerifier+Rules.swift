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
}
