/// Storage service versions (`sv`) and the string-to-sign layout each one uses.
///
/// Layouts follow Microsoft's "Create a service SAS" / "Create a user delegation SAS" /
/// "Create an account SAS" pages and what ten releases of the `azure-storage-blob` SDK emit
/// (their output is in `Fixtures/azure-sas/sdk-cases.json`).
public enum AzureSASVersion {
    /// The newest layout this tool signs, and the default `sv`.
    public static let newest = "2026-10-06"
    /// The oldest `sv` this tool signs (the first with `sip`/`spr`).
    public static let oldest = "2015-04-05"

    /// `sr=bs`/`bv` and the `sr` + snapshot-time fields of the string to sign.
    static let signedResourceField = "2018-11-09"
    /// Directory SAS (`sr=d`) and the `saoid`/`suoid`/`scid` user delegation fields.
    static let agentObjectFields = "2020-02-10"
    /// The encryption scope (`ses`).
    static let encryptionScope = "2020-12-06"
    /// `skdutid` and `sduoid` in user delegation SAS.
    static let delegatedUser = "2025-07-05"
    /// `srh`/`srq` (required request headers and query parameters) in user delegation SAS.
    static let requestBinding = "2026-04-06"

    /// Throws unless `version` is `YYYY-MM-DD` between `oldest` and `newest`.
    public static func validate(_ version: String) throws {
        let parts = version.split(separator: "-")
        guard version.count == 10, parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }) else {
            throw AzureSASError(code: "invalid-version", message: "'\(version)' is not a storage service version; give one such as \(newest) (YYYY-MM-DD).")
        }
        guard version >= oldest, version <= newest else {
            throw AzureSASError(code: "unsupported-version", message: "sv=\(version) is outside what this tool signs (\(oldest) to \(newest)). Choose a version in that range, or omit --service-version for \(newest).")
        }
    }

    /// Throws when `feature` needs a newer `sv` than `version`.
    static func require(_ minimum: String, for feature: String, in version: String) throws {
        guard version >= minimum else {
            throw AzureSASError(code: "version-too-old", message: "\(feature) needs sv=\(minimum) or newer, but sv=\(version) was asked. Raise --service-version to \(minimum) or later, or leave it out.")
        }
    }
}
