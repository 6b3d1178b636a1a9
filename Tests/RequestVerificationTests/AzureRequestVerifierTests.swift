import AzureSAS
import Foundation
import RequestVerification
import SigningCore
import TestSupport
import Testing

/// SAS URLs made by Microsoft's SDK (the 39 shared cases and the 67 generated command lines) are
/// accepted inside their time window with the operation their permissions allow, and refused
/// when tampered, outside the window, or used for an operation their permissions do not allow.
struct AzureRequestVerifierTests {
    struct Case {
        let url: URLComponents
        let verifier: AzureRequestVerifier
        let account: String, container: String, blob: String?
        let permissions: String
        let now: Timestamp
    }

    static let sdkCases = FixtureCases("azure-sas/sdk-cases.json")
    static let cliCases = FixtureCases("azure/azure-cli-cases.json")
    static var sdkIDs: [String] { sdkCases.ids }
    static var cliIDs: [String] { cliCases.ids }
    static let emulatorKey = Base64.decode("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==")!

    static func make(_ testCase: [String: Any], accountKeys: [String: [UInt8]]) throws -> Case {
        let expected = try #require(testCase["expected"] as? [String: Any])
        let urlText = try #require(expected["emulator_style_url"] as? String)
        let url = try #require(URLComponents(string: urlText))
        let segments = url.path.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false).dropFirst().map(String.init)
        let inputs = testCase["inputs"] as? [String: Any] ?? [:]
        var keys: [AzureUserDelegationKey] = []
        if let key = (inputs["user_delegation_key"] ?? testCase["user_delegation_key"]) as? [String: String] {
            keys.append(AzureUserDelegationKey(signedOid: key["signed_oid"] ?? key["signedOid"]!, signedTid: key["signed_tid"] ?? key["signedTid"]!,
                                               signedStart: key["signed_start"] ?? key["signedStart"]!, signedExpiry: key["signed_expiry"] ?? key["signedExpiry"]!,
                                               signedService: key["signed_service"] ?? key["signedService"]!, signedVersion: key["signed_version"] ?? key["signedVersion"]!,
                                               value: key["value"]!))
        }
        let query = (expected["query_params_in_sdk_order"] as? [[String]] ?? [])
        let permissions = query.first { $0[0] == "sp" }?[1] ?? ""
        // A moment inside the SAS's window: after its start, or before its end.
        let start = query.first { $0[0] == "st" }.flatMap { Timestamp.parseRFC3339($0[1]) }
        let end = query.first { $0[0] == "se" }.flatMap { Timestamp.parseRFC3339($0[1]) }
        let now = start?.adding(seconds: 60) ?? end?.adding(seconds: -60) ?? Timestamp.parseRFC3339("2025-01-01T00:01:00Z")!
        // An account SAS URL is the endpoint root: exercise it on a blob below it.
        let container = segments.count > 1 && !segments[1].isEmpty ? segments[1] : "lightroom"
        let blob = segments.count > 2 && !segments[2].isEmpty ? segments[2] : (segments.count > 1 && !segments[1].isEmpty ? nil : "probe.jpg")
        return Case(url: url, verifier: AzureRequestVerifier(accountKeys: accountKeys, delegationKeys: keys), account: segments[0],
                    container: container, blob: blob, permissions: permissions, now: now)
    }

    func code(_ result: VerificationResult) -> String? {
        if case .denied(let refusal) = result { return refusal.code }
        return nil
    }

    func exercise(_ c: Case) {
        // The server does object reads, writes and deletes; a list-only SAS has nothing to exercise here.
        guard c.permissions.contains(where: { "rcwd".contains($0) }) else { return }
        let request = IncomingRequest(method: "GET", path: c.url.percentEncodedPath, query: c.url.percentEncodedQuery ?? "", headers: [], isHTTPS: true, clientIP: nil)
        let allowed: AzureRequestVerifier.Operation = c.permissions.contains("r") ? .read : c.permissions.contains("w") ? .overwrite : c.permissions.contains("c") ? .create : .delete
        let decodedBlob = c.blob.flatMap { PercentEncoding.decode($0) }
        #expect(code(c.verifier.verify(request, account: c.account, container: c.container, blob: decodedBlob, operation: allowed, now: c.now)) == nil)
        var tampered = request
        tampered.query = tampered.query.replacingOccurrences(of: "sig=", with: "sig=A")
        #expect(code(c.verifier.verify(tampered, account: c.account, container: c.container, blob: decodedBlob, operation: allowed, now: c.now)) == "AuthenticationFailed")
        #expect(code(c.verifier.verify(request, account: c.account, container: c.container, blob: decodedBlob, operation: allowed, now: c.now.adding(seconds: 400 * 86_400))) == "AuthenticationFailed")
        if !c.permissions.contains("d") && !c.permissions.isEmpty {
            #expect(code(c.verifier.verify(request, account: c.account, container: c.container, blob: decodedBlob, operation: .delete, now: c.now)) == "AuthorizationPermissionMismatch")
        }
    }

    @Test(arguments: sdkIDs)
    func sdkCase(_ id: String) throws {
        let testCase = try Self.sdkCases.case(id)
        guard (testCase["inputs"] as? [String: Any])?["policy_id"] == nil, (testCase["inputs"] as? [String: Any])?["request_headers"] == nil else { return }
        exercise(try Self.make(testCase, accountKeys: ["devstoreaccount1": Self.emulatorKey]))
    }

    @Test(arguments: cliIDs)
    func generatedCommandLine(_ id: String) throws {
        let testCase = try Self.cliCases.case(id)
        guard !(testCase["cli_args"] as? [String] ?? []).contains("--policy") else { return }
        let env = testCase["env"] as? [String: String] ?? [:]
        var keys = ["devstoreaccount1": Self.emulatorKey]
        if let credentials = try? AzureStorageCredentials.fromEnvironment(env) { keys[credentials.account] = credentials.key }
        exercise(try Self.make(testCase, accountKeys: keys))
    }
}
