import Foundation
import TestSupport
import Testing

/// The 67 `presign azure` / `presign azure-account` cases generated with Microsoft's SDK
/// (`Fixtures/azure/azure-cli-cases.json`, made by `gen_azure_cli_cases.py`): each case's
/// command line, run as a user would, must print exactly the SDK's URL.
struct AzureFixtureCLITests {
    static let cases = FixtureCases("azure/azure-cli-cases.json")
    static var ids: [String] { cases.ids }

    @Test func fixtureIsPresent() { #expect(Self.cases.cases.count >= 60) }

    @Test(arguments: ids)
    func fixtureCase(_ id: String) async throws {
        let testCase = try Self.cases.case(id)
        let expected = try #require(testCase["expected"] as? [String: Any])
        // The fixtures were generated when the SAS service version was `--version`; it is
        // `--service-version` now (`--version` is the tool's version), so translate it here.
        var arguments = try #require(testCase["cli_args"] as? [String]).map { $0 == "--version" ? "--service-version" : $0 }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("azure-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        if let key = testCase["user_delegation_key"] as? [String: Any], let index = arguments.firstIndex(of: "--user-delegation-key") {
            let file = directory.appendingPathComponent("user-delegation-key.json")
            try JSONSerialization.data(withJSONObject: key).write(to: file)
            arguments[index + 1] = file.path
        }
        let command = try #require(testCase["command"] as? String)
        let result = try await ProcessRunner.presign([command] + arguments, environment: testCase["env"] as? [String: String] ?? [:])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == (expected["cli_url"] as? String ?? "") + "\n")
    }
}
