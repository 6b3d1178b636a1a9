import AzureSAS
import Testing

/// Fields a version does not know are refused with a sentence, not signed into a SAS Azure rejects.
struct AzureVersionRuleTests {
    func sas(_ version: String, _ configure: (inout AzureServiceSAS) -> Void = { _ in }) -> AzureServiceSAS {
        var sas = AzureServiceSAS(account: "acct123", container: "photos", blob: "x.jpg")
        sas.permissions = "r"
        sas.expiry = "2030-01-01T00:00:00Z"
        sas.version = version
        configure(&sas)
        return sas
    }

    static let key = AzureUserDelegationKey(signedOid: "o", signedTid: "t", signedStart: "2030-01-01T00:00:00Z", signedExpiry: "2030-01-02T00:00:00Z",
                                            signedVersion: "2025-01-05", value: "HPJhMw9GugNuqPUyDFl4+G6OhgLjJhKb9Q9O3ozmM+4=")

    @Test func encryptionScopeNeeds20201206() throws {
        #expect(throws: AzureSASError.self) { try sas("2020-10-02") { $0.encryptionScope = "s" }.stringToSign() }
        #expect(try sas("2020-12-06") { $0.encryptionScope = "s" }.stringToSign().contains("\ns\n"))
    }

    @Test func snapshotsAndDelegationNeed20181109() {
        #expect(throws: AzureSASError.self) { try sas("2018-03-28") { $0.resource = .snapshot; $0.snapshotTime = "t" }.stringToSign() }
        #expect(throws: AzureSASError.self) { try sas("2018-03-28") { $0.delegationKey = Self.key }.stringToSign() }
    }

    @Test func delegationOnlyFieldsNeedAKey() {
        #expect(throws: AzureSASError.self) { try sas("2026-10-06") { $0.delegatedUserObjectID = "x" }.stringToSign() }
        #expect(throws: AzureSASError.self) { try sas("2026-10-06") { $0.requestHeaders = [(name: "x-ms-blob-type", value: "BlockBlob")] }.stringToSign() }
        #expect(throws: AzureSASError.self) { try sas("2026-10-06") { $0.delegationKey = Self.key; $0.identifier = "policy" }.stringToSign() }
    }

    @Test func newerDelegationFieldsNeedNewerVersions() {
        #expect(throws: AzureSASError.self) { try sas("2025-05-05") { $0.delegationKey = Self.key; $0.delegatedUserObjectID = "x" }.stringToSign() }
        #expect(throws: AzureSASError.self) { try sas("2025-07-05") { $0.delegationKey = Self.key; $0.requestQuery = [(name: "comp", value: "block")] }.stringToSign() }
        #expect(throws: AzureSASError.self) { try sas("2019-12-12") { $0.delegationKey = Self.key; $0.correlationID = "x" }.stringToSign() }
    }

    @Test(arguments: ["2014-02-14", "2027-01-01", "2020-1-1", "latest"])
    func unsupportedVersions(_ version: String) {
        #expect(throws: AzureSASError.self) { try sas(version).stringToSign() }
    }

    @Test func missingExpiryWithoutPolicy() {
        #expect(throws: AzureSASError.self) { try sas("2026-10-06") { $0.expiry = nil }.stringToSign() }
        #expect(throws: Never.self) { try sas("2026-10-06") { $0.expiry = nil; $0.permissions = nil; $0.identifier = "p" }.stringToSign() }
    }
}
