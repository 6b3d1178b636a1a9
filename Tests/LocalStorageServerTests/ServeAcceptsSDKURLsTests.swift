import AzureSAS
import Foundation
import GoogleAuth
import HTTP
import LocalStorageServer
import SigningCore
import TestSupport
import Testing

/// URLs made by the providers' own SDKs (azure-storage-blob, google-cloud-storage; the generated
/// fixtures) go through `presign serve` with its clock set to their signing time: accepted (the
/// object is simply missing, or stored), and refused once tampered or expired.
struct ServeAcceptsSDKURLsTests {
    /// The cases of `Fixtures/<path>`; throws, naming the file, when it is missing.
    static func cases(_ path: String) throws -> [[String: Any]] {
        let fixture = FixtureCases(path)
        try fixture.requireLoaded()
        return fixture.cases
    }

    static func harness(at time: String) async throws -> ServeHarness {
        try await ServeHarness { configuration in
            configuration.fixedNow = try Timestamp.parse(time)
            configuration.azureKeys["presignfixture2"] = Base64.decode("AaKkmCSUc6VE0rGZ0TNvXive2RkfNFLUFvZOrx8QNq1BsNQDZFyoI/GmZWySCIe1zubuxlZ56TIL1jTBqTTNxQ==")
            let key = try GoogleServiceAccountKey.load(path: TestPaths.fixture("gcs-v4/test_service_account.not-a-test.json").path)
            configuration.gcsPublicKeys[key.clientEmail] = try RSAPublicKey(privateKey: key.privateKey)
        }
    }

    @Test func azureSDKURLs() async throws {
        var checked = 0
        for testCase in try Self.cases("azure/azure-cli-cases.json") where testCase["command"] as? String == "azure" {
            let args = testCase["cli_args"] as? [String] ?? []
            guard !args.contains("--policy"), !args.contains("--user-delegation-key"), !args.contains("--resource"),
                  let atText = args.firstIndex(of: "--at").map({ args[$0 + 1] }) else { continue }
            // Check inside the SAS's window: at the signing time, or at its start if that is later.
            let start = args.firstIndex(of: "--start").map { args[$0 + 1] }
            let at = [atText, start].compactMap { $0.flatMap { try? Timestamp.parse($0) } }.max()!.rfc3339
            let expected = try #require(testCase["expected"] as? [String: Any])
            let sdkURL = try #require(expected["emulator_style_url"] as? String)
            let permissions = (expected["query_params_in_sdk_order"] as? [[String]] ?? []).first { $0[0] == "sp" }?[1] ?? ""
            guard permissions.contains("r") || permissions.contains("c") || permissions.contains("w"), !(args.contains("--https-only")) else { continue }
            let serve = try await Self.harness(at: at)
            let url = sdkURL.replacingOccurrences(of: "http://127.0.0.1:10000", with: serve.server.baseURL)
            let response: HTTPResponse
            if args.contains("--ip") {
                // A SAS for other addresses: refused for this client, as Azure refuses it.
                response = try await serve.http.send(HTTPRequest(url: url))
                #expect(response.status == 403 && ServeHarness.code(response) == "AuthorizationSourceIPMismatch", "\(testCase["id"]!)")
            } else if permissions.contains("r") {
                response = try await serve.http.send(HTTPRequest(url: url))
                #expect(response.status == 404 && ServeHarness.code(response) == "BlobNotFound", "\(testCase["id"]!): \(response.text)")
            } else {
                response = try await serve.http.send(HTTPRequest(method: "PUT", url: url, headers: [(name: "x-ms-blob-type", value: "BlockBlob")], body: .bytes([1])))
                #expect(response.status == 201, "\(testCase["id"]!): \(response.text)")
            }
            let tampered = try await serve.http.send(HTTPRequest(url: url.replacingOccurrences(of: "sig=", with: "sig=x")))
            #expect(tampered.status == 403 && ServeHarness.code(tampered) == "AuthenticationFailed")
            await serve.close()
            checked += 1
        }
        #expect(checked >= 20)
    }

    @Test func gcsSDKURLs() async throws {
        var checked = 0
        for testCase in try Self.cases("gcs/gcs-cli-cases.json") {
            let inputs = try #require(testCase["inputs"] as? [String: Any])
            // The server answers path-style GCS URLs; the library URLs that break the contract
            // (whole-pair query sorting, a path doubled by a trailing slash) are left out.
            guard inputs["method"] as? String == "GET", (inputs["headers"] as? [Any] ?? []).isEmpty, inputs["content_type"] == nil || inputs["content_type"] is NSNull,
                  inputs["url_style"] as? String == "path", testCase["differs_from_cli_contract"] == nil,
                  let at = inputs["timestamp"] as? String else { continue }
            let expected = try #require(testCase["expected"] as? [String: Any])
            let urlText = try #require(expected["url"] as? String)
            let sdk = try #require(URLComponents(string: urlText))
            let host = sdk.port.map { "\(sdk.host!):\($0)" } ?? sdk.host!
            let serve = try await Self.harness(at: at)
            let local = serve.server.baseURL + sdk.percentEncodedPath + "?" + (sdk.percentEncodedQuery ?? "")
            let response = try await serve.http.send(HTTPRequest(url: local, headers: [(name: "Host", value: host)]))
            let bucketLevel = inputs["object"] == nil || inputs["object"] is NSNull
            #expect(bucketLevel ? response.status == 400 : (response.status == 404 && ServeHarness.code(response) == "NoSuchKey"), "\(testCase["id"]!): \(response.status) \(response.text)")
            let tampered = try await serve.http.send(HTTPRequest(url: local.replacingOccurrences(of: "X-Goog-Signature=", with: "X-Goog-Signature=00"), headers: [(name: "Host", value: host)]))
            #expect(tampered.status == 403 || bucketLevel)
            await serve.close()
            checked += 1
        }
        #expect(checked >= 20)
    }
}
