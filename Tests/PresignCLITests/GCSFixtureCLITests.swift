import Foundation
import TestSupport
import Testing

/// The 90 `presign gcs` cases generated with google-cloud-storage (`Fixtures/gcs/gcs-cli-cases.json`,
/// made by `gen_gcs_cases.py`): each command line must print the library's URL, or, where the
/// library departs from the CLI contract (default ports kept, whole-pair query sorting), the
/// contract's URL that the generator derived and recorded beside it. The inputs it must refuse
/// are refused.
struct GCSFixtureCLITests {
    static let cases = FixtureCases("gcs/gcs-cli-cases.json")
    static let rejected = FixtureCases("gcs/gcs-cli-cases.json", key: "rejected")
    static var ids: [String] { cases.ids }
    static var rejectedIDs: [String] { rejected.ids }
    static var keyFile: String { TestPaths.fixture("gcs-v4/test_service_account.not-a-test.json").path }

    static func arguments(_ testCase: [String: Any]) -> [String] {
        ["gcs"] + (testCase["cli_args"] as? [String] ?? []).map { $0 == "$KEY_FILE" ? keyFile : $0 }
    }

    @Test func fixtureIsPresent() { #expect(Self.cases.cases.count >= 30) }

    @Test(arguments: ids)
    func fixtureCase(_ id: String) async throws {
        let testCase = try Self.cases.case(id)
        let expected = try #require((testCase["contract_expected"] ?? testCase["expected"]) as? [String: Any])
        let result = try await ProcessRunner.presign(Self.arguments(testCase))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (expected["url"] as? String ?? "?") + "\n")
    }

    @Test(arguments: rejectedIDs)
    func refusedInput(_ id: String) async throws {
        let testCase = try Self.rejected.case(id)
        let result = try await ProcessRunner.presign(Self.arguments(testCase))
        #expect(result.status == 2 && result.stdout.isEmpty, "\(result.stderr)")
    }
}
