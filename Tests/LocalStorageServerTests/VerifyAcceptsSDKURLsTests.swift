import Foundation
import SigningCore
import TestSupport
import Testing
import URLCheck

/// `URLVerifier` on URLs made by Microsoft's azure-storage-blob (the generated fixtures), against
/// `presign serve` with its clock at their signing time: output SAS URLs are proven writable without
/// writing, read SAS URLs reach the blob (missing: `BlobNotFound`, so the SAS itself was accepted),
/// and every tampered twin fails with `AuthenticationFailed`.
struct VerifyAcceptsSDKURLsTests {
    @Test func azureSDKURLs() async throws {
        var outputs = 0, inputs = 0
        for testCase in try ServeAcceptsSDKURLsTests.cases("azure/azure-cli-cases.json") where testCase["command"] as? String == "azure" {
            let args = testCase["cli_args"] as? [String] ?? []
            guard !args.contains("--policy"), !args.contains("--user-delegation-key"), !args.contains("--resource"), !args.contains("--ip"),
                  !args.contains("--https-only"), !args.contains("--start"), let at = args.firstIndex(of: "--at").map({ args[$0 + 1] }) else { continue }
            let expected = try #require(testCase["expected"] as? [String: Any])
            let permissions = (expected["query_params_in_sdk_order"] as? [[String]] ?? []).first { $0[0] == "sp" }?[1] ?? ""
            let writes = permissions.contains("c") || permissions.contains("w")
            guard writes || permissions.contains("r") else { continue }
            let serve = try await ServeAcceptsSDKURLsTests.harness(at: at)
            let url = try #require(expected["emulator_style_url"] as? String).replacingOccurrences(of: "http://127.0.0.1:10000", with: serve.server.baseURL)
            var verifier = URLVerifier(http: serve.http)
            verifier.now = try Timestamp.parse(at)
            verifier.minimumLifetime = 0
            verifier.policy = .storageFetch(retries: 0, backoff: 0.01)
            let id = testCase["id"] as? String ?? "?"
            if writes {
                let outcome = await verifier.verify(url, role: .output)
                #expect(outcome.verdict == .ok && outcome.status == 100, "\(id): \(outcome)")
                outputs += 1
            } else {
                let outcome = await verifier.verify(url, role: .input)
                #expect(outcome.verdict == .failed && outcome.providerCode == "BlobNotFound", "\(id): \(outcome)")
                inputs += 1
            }
            let tampered = await verifier.verify(try #require(SignatureControl.tampered(url)), role: writes ? .output : .input)
            #expect(tampered.verdict == .failed && tampered.providerCode == "AuthenticationFailed", "\(id): \(tampered)")
            if writes {
                let stored = FileManager.default.enumerator(atPath: serve.root.path)?.allObjects.compactMap { $0 as? String } ?? []
                #expect(!stored.contains { $0.hasSuffix(".key") }, "\(id): verify stored an object: \(stored)")
            }
            await serve.close()
        }
        #expect(outputs >= 5 && inputs >= 5, "outputs \(outputs), inputs \(inputs)")
    }
}
