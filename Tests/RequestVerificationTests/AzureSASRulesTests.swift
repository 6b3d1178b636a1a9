import AzureSAS
import Foundation
import RequestVerification
import SigningCore
import Testing

/// Azure's own SAS rules: no stored policies here (so `si` is refused rather than trusted
/// without an expiry), no writes or deletes through a snapshot or version SAS, `spr` only
/// `https` or `https,http`.
struct AzureSASRulesTests {
    static let key = Base64.decode("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==") ?? []
    static let verifier = AzureRequestVerifier(accountKeys: ["devstoreaccount1": key])
    static let now = Timestamp(secondsSince1970: 1_750_000_000)

    static func refusal(_ configure: (inout AzureServiceSAS) -> Void, operation: AzureRequestVerifier.Operation, extraQuery: String = "") throws -> ProviderRefusal? {
        var sas = AzureServiceSAS(account: "devstoreaccount1", container: "photos", blob: "a.jpg")
        sas.permissions = "racwd"
        sas.expiry = now.adding(seconds: 3600).rfc3339
        configure(&sas)
        let token = try sas.token(accountKey: key).token
        let request = IncomingRequest(method: "GET", path: "/devstoreaccount1/photos/a.jpg", query: token + extraQuery, headers: [], isHTTPS: true)
        if case .denied(let refusal) = verifier.verify(request, account: "devstoreaccount1", container: "photos", blob: "a.jpg", operation: operation, now: now) {
            return refusal
        }
        return nil
    }

    @Test func aWellFormedSASIsAccepted() throws {
        #expect(try Self.refusal({ _ in }, operation: .overwrite) == nil)
        #expect(try Self.refusal({ $0.protocols = "https,http" }, operation: .read) == nil)
    }

    @Test func storedPoliciesAreRefused() throws {
        let withoutExpiry = try Self.refusal({ $0.identifier = "policy-1"; $0.expiry = nil }, operation: .read)
        #expect(withoutExpiry?.code == "AuthenticationFailed" && withoutExpiry?.body.contains("stored access polic") == true, "\(withoutExpiry?.body ?? "accepted")")
        let withExpiry = try Self.refusal({ $0.identifier = "policy-1" }, operation: .read)
        #expect(withExpiry?.code == "AuthenticationFailed")
    }

    @Test(arguments: [AzureServiceSAS.Resource.snapshot, .version])
    func snapshotAndVersionSASOnlyRead(_ resource: AzureServiceSAS.Resource) throws {
        let time = "2025-01-01T00:00:00.0000000Z"
        let parameter = resource == .snapshot ? "snapshot" : "versionid"
        func configure(_ sas: inout AzureServiceSAS) {
            sas.resource = resource
            sas.snapshotTime = time
        }
        for operation in [AzureRequestVerifier.Operation.create, .overwrite] {
            let refused = try Self.refusal(configure, operation: operation, extraQuery: "&\(parameter)=\(time)")
            #expect(refused?.status == 403 && refused?.code == "AuthorizationPermissionMismatch", "\(resource) \(operation)")
        }
        #expect(try Self.refusal(configure, operation: .read, extraQuery: "&\(parameter)=\(time)") == nil)
    }

    /// A user delegation SAS whose own window is open is refused once its key has expired (or
    /// before the key starts), as Blob Storage refuses it.
    @Test(arguments: [(-7200, false), (-1800, true), (1800, false)])
    func aUserDelegationSASLivesOnlyWithItsKey(keyOffset: Int64, accepted: Bool) throws {
        let keyStart = Self.now.adding(seconds: keyOffset), keyExpiry = keyStart.adding(seconds: 3600)
        let delegation = AzureUserDelegationKey(signedOid: "11111111-2222-3333-4444-555555555555", signedTid: "66666666-7777-8888-9999-000000000000",
                                                signedStart: keyStart.rfc3339, signedExpiry: keyExpiry.rfc3339, signedVersion: "2025-01-05",
                                                value: Base64.encode(Array(repeating: 7, count: 32)))
        var sas = AzureServiceSAS(account: "devstoreaccount1", container: "photos", blob: "a.jpg")
        sas.permissions = "r"
        sas.start = Self.now.adding(seconds: -600).rfc3339
        sas.expiry = Self.now.adding(seconds: 600).rfc3339
        sas.delegationKey = delegation
        let token = try sas.token(accountKey: nil).token
        let request = IncomingRequest(method: "GET", path: "/devstoreaccount1/photos/a.jpg", query: token, headers: [], isHTTPS: true)
        let verifier = AzureRequestVerifier(accountKeys: [:], delegationKeys: [delegation])
        let result = verifier.verify(request, account: "devstoreaccount1", container: "photos", blob: "a.jpg", operation: .read, now: Self.now)
        if case .denied(let refusal) = result {
            #expect(!accepted, "refused: \(refusal.body)")
            #expect(refusal.code == "AuthenticationFailed" && refusal.body.contains("user delegation key is not valid"), "\(refusal.body)")
        } else {
            #expect(accepted, "a SAS whose key is outside its window was accepted")
        }
    }

    @Test(arguments: ["http", "http,https", "ftp"])
    func onlyHTTPSProtocolsAreAllowed(_ protocols: String) throws {
        #expect(try Self.refusal({ $0.protocols = protocols }, operation: .read)?.code == "AuthenticationFailed")
    }
}
