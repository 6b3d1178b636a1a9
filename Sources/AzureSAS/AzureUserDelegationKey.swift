import Foundation
import SigningCore

/// A user delegation key (from `Get User Delegation Key`): signs user delegation SAS.
public struct AzureUserDelegationKey: Sendable, Equatable {
    public var signedOid: String
    public var signedTid: String
    public var signedStart: String
    public var signedExpiry: String
    public var signedService: String
    public var signedVersion: String
    /// The base64 key. Secret: never printed.
    public var value: String
    /// `skdutid` (sv 2025-07-05 and newer), optional.
    public var signedDelegatedUserTid: String?

    /// Creates a key.
    public init(signedOid: String, signedTid: String, signedStart: String, signedExpiry: String, signedService: String = "b",
                signedVersion: String, value: String, signedDelegatedUserTid: String? = nil) {
        self.signedOid = signedOid
        self.signedTid = signedTid
        self.signedStart = signedStart
        self.signedExpiry = signedExpiry
        self.signedService = signedService
        self.signedVersion = signedVersion
        self.value = value
        self.signedDelegatedUserTid = signedDelegatedUserTid
    }

    /// Reads the JSON file shape `{signedOid, signedTid, signedStart, signedExpiry, signedService,
    /// signedVersion, value[, signedDelegatedUserTid]}` (as `az storage ... get-user-delegation-key`
    /// and the REST API give it). The key's `value` is registered with `SecretRegistry`.
    public init(json data: Data, source: String) throws {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw AzureSASError(code: "invalid-delegation-key", message: "\(source) is not a JSON object. Save the user delegation key as JSON with signedOid, signedTid, signedStart, signedExpiry, signedService, signedVersion and value.")
        }
        func field(_ name: String) throws -> String {
            guard let value = object[name] as? String, !value.isEmpty else {
                throw AzureSASError(code: "invalid-delegation-key", message: "\(source) has no '\(name)'. A user delegation key file needs signedOid, signedTid, signedStart, signedExpiry, signedService, signedVersion and value.")
            }
            return value
        }
        self.init(signedOid: try field("signedOid"), signedTid: try field("signedTid"), signedStart: try field("signedStart"),
                  signedExpiry: try field("signedExpiry"), signedService: try field("signedService"),
                  signedVersion: try field("signedVersion"), value: try field("value"),
                  signedDelegatedUserTid: object["signedDelegatedUserTid"] as? String)
        guard Base64.decode(value) != nil else {
            throw AzureSASError(code: "invalid-delegation-key", message: "The 'value' in \(source) is not base64. Copy the key again from the Get User Delegation Key response.")
        }
        SecretRegistry.register(value)
    }
}
