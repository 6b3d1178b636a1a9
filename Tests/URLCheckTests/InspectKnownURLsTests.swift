import Foundation
import SigningCore
import TestSupport
import Testing
import URLCheck

/// `inspect` reads the URLs the providers' own SDKs make: provider, region or permissions, and
/// expiry exactly; and names each problem.
struct InspectKnownURLsTests {
    static let botocore = FixtureCases("aws-sigv4/botocore-presign-cases.json")
    static let azure = FixtureCases("azure-sas/sdk-cases.json")
    static var botocoreIDs: [String] { botocore.ids }
    static var azureIDs: [String] { azure.ids }

    @Test(arguments: botocoreIDs)
    func botocoreURL(_ id: String) throws {
        let testCase = try Self.botocore.case(id)
        let input = try #require(testCase["input"] as? [String: Any])
        let expected = try #require(testCase["expected"] as? [String: Any])
        let at = try Timestamp.parse(input["timestamp"] as! String)
        let report = URLInspector(now: at, minimumLifetime: 0).inspect(expected["url"] as! String)
        #expect(report.provider == "s3" && report.kind == "SigV4 presigned URL")
        #expect(report.region == input["region"] as? String)
        #expect(report.issuedAt == at && report.expiresAt == at.adding(seconds: Int64(input["expires_in"] as! Int)))
        #expect(report.securityToken == (input["session_token"] as? String != nil))
        let signsHeaders = (expected["signed_headers"] as? [String] ?? []).count > 1
        let multipart = ["upload-part", "create-multipart-upload", "ll-query-valueless"].contains(id)
        let globalHostElsewhere = (expected["host_header"] as? String ?? "").hasSuffix("s3.amazonaws.com") && input["region"] as? String != "us-east-1"
        #expect(report.problems.isEmpty == !(signsHeaders || multipart || globalHostElsewhere), "\(report.problems)")
        if globalHostElsewhere { #expect(report.problems.contains { $0.contains("redirect") }) }
    }

    @Test(arguments: azureIDs)
    func azureSDKURL(_ id: String) throws {
        let testCase = try Self.azure.case(id)
        let expected = try #require(testCase["expected"] as? [String: Any])
        let query = expected["query_params_in_sdk_order"] as? [[String]] ?? []
        func value(_ name: String) -> String? { query.first { $0[0] == name }?[1] }
        let report = URLInspector(now: try Timestamp.parse("2025-01-01T00:30:00Z"), minimumLifetime: 0).inspect(expected["url"] as! String)
        #expect(report.provider == "azure")
        #expect(report.permissions == value("sp"))
        #expect(report.expiresAt?.rfc3339 == value("se").flatMap { Timestamp.parseRFC3339($0) ?? Timestamp.parseRFC3339(String($0.dropLast()) + ":00Z") }?.rfc3339)
        #expect(report.kind == (value("ss") != nil ? "account SAS" : value("skoid") != nil ? "user delegation SAS" : "service SAS"))
    }

    @Test func gcsConformanceURLs() throws {
        let tests = FixtureCases("gcs-v4/v4_signatures.json", key: "signingV4Tests", idField: "description")
        try tests.requireLoaded()
        for test in tests.cases {
            let at = try Timestamp.parse(test["timestamp"] as! String)
            let report = URLInspector(now: at, minimumLifetime: 0).inspect(test["expectedUrl"] as! String)
            #expect(report.provider == "gcs" && report.expiresAt == at.adding(seconds: Int64(test["expiration"] as! Int)))
            let resumable = (test["headers"] as? [String: String])?["X-Goog-Resumable"] != nil
            #expect(report.method == (resumable ? "POST" : nil))
        }
    }
}
