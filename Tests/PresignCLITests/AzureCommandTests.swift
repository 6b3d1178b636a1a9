import Foundation
import TestSupport
import Testing

/// `presign azure` and `presign azure-account` as users run them: outputs, defaults, exit codes.
struct AzureCommandTests {
    static let key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
    static let env = ["AZURE_STORAGE_ACCOUNT": "devstoreaccount1", "AZURE_STORAGE_KEY": key]

    func run(_ arguments: [String], env: [String: String] = env) async throws -> ProcessResult {
        let result = try await ProcessRunner.presign(arguments, environment: env)
        #expect(!result.stdout.contains(Self.key) && !result.stderr.contains(Self.key))
        return result
    }

    /// The SDK vector `svc-blob-sv2015-04-05-read`, through the command line.
    @Test func sdkVectorThroughTheCLI() async throws {
        let result = try await run(["azure", "az://devstoreaccount1/lightroom/inputs/photo.jpg", "--service-version", "2015-04-05",
                              "--start", "2025-01-01T00:00:00Z", "--expiry", "2025-01-01T01:00:00Z", "--at", "2025-01-01T00:00:00Z"])
        #expect(result.status == 0)
        #expect(result.stdout == "https://devstoreaccount1.blob.core.windows.net/lightroom/inputs/photo.jpg?st=2025-01-01T00%3A00%3A00Z&se=2025-01-01T01%3A00%3A00Z&sp=r&sv=2015-04-05&sr=b&sig=fyC6zS7w2NFuQCnCQXmosMkuAN3ltS3L6/ryapsdoHg%3D\n")
    }

    @Test func putDefaultsAndRequiredHeader() async throws {
        let result = try await run(["azure", "az://devstoreaccount1/lightroom/out/cat.jpg", "--method", "PUT", "--json", "--at", "2025-01-01T00:00:00Z"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["provider"] as? String == "azure" && object["method"] as? String == "PUT")
        #expect(object["headers"] as? [String: String] == ["x-ms-blob-type": "BlockBlob"])
        #expect(object["expiresAt"] as? String == "2025-01-01T01:00:00Z")
        let url = try #require(object["url"] as? String)
        #expect(url.contains("sp=cw&") && !url.contains("st=") && !url.contains("spr="), "no start time, both protocols by default")
    }

    @Test func permissionsAreReordered() async throws {
        let result = try await run(["azure", "az://devstoreaccount1/lightroom/x.jpg", "--permissions", "wdcr", "--method", "PUT"])
        #expect(result.stdout.contains("sp=rcwd&"))
    }

    @Test func containerSASURL() async throws {
        let result = try await run(["azure", "https://devstoreaccount1.blob.core.windows.net/lightroom", "--resource", "container", "--permissions", "rl"])
        #expect(result.stdout.hasPrefix("https://devstoreaccount1.blob.core.windows.net/lightroom?"))
        #expect(result.stdout.contains("sr=c&"))
    }

    @Test func emulatorConnectionStringUsesTheEmulatorEndpoint() async throws {
        let result = try await run(["azure", "az://devstoreaccount1/lightroom/x.jpg"], env: ["AZURE_STORAGE_CONNECTION_STRING": "UseDevelopmentStorage=true"])
        #expect(result.stdout.hasPrefix("http://127.0.0.1:10000/devstoreaccount1/lightroom/x.jpg?"))
    }

    @Test func curlSendsTheBlobType() async throws {
        let result = try await run(["azure", "az://devstoreaccount1/lightroom/out/a b.jpg", "--method", "PUT", "--curl"])
        #expect(result.stdout.hasPrefix("curl --fail-with-body --upload-file 'a b.jpg' -H 'x-ms-blob-type: BlockBlob' 'https://devstoreaccount1.blob.core.windows.net/lightroom/out/a%20b.jpg?"))
    }

    @Test func snapshotAndVersionTravelInTheURL() async throws {
        let snapshot = try await run(["azure", "az://devstoreaccount1/lightroom/x.jpg", "--snapshot", "2024-12-31T23:59:59.1234567Z"])
        #expect(snapshot.stdout.contains("sr=bs&") && snapshot.stdout.contains("?snapshot=2024-12-31T23:59:59.1234567Z&"))
        let version = try await run(["azure", "az://devstoreaccount1/lightroom/x.jpg", "--version-id", "2024-12-31T23:59:59.1234567Z"])
        #expect(version.stdout.contains("sr=bv&") && version.stdout.contains("?versionid="))
    }

    @Test func userDelegationSASNeedsNoAccountKey() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("udk-\(UUID().uuidString).json")
        try Data(#"{"signedOid":"11111111-2222-3333-4444-555555555555","signedTid":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","signedStart":"2025-01-01T00:00:00Z","signedExpiry":"2025-01-02T00:00:00Z","signedService":"b","signedVersion":"2025-01-05","value":"HPJhMw9GugNuqPUyDFl4+G6OhgLjJhKb9Q9O3ozmM+4="}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let ok = try await run(["azure", "az://devstoreaccount1/lightroom/x.jpg", "--user-delegation-key", file.path, "--at", "2025-01-01T00:00:00Z"], env: [:])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("skoid=11111111-2222-3333-4444-555555555555&"))
        #expect(!ok.stdout.contains("HPJhMw9GugNuqPUyDFl4"))
        let tooLong = try await run(["azure", "az://devstoreaccount1/lightroom/x.jpg", "--user-delegation-key", file.path, "--at", "2025-01-01T00:00:00Z", "--expires", "2d"], env: [:])
        #expect(tooLong.status == 2 && tooLong.stderr.contains("after its user delegation key"))
    }

    @Test func accountSAS() async throws {
        let result = try await run(["azure-account", "--services", "qb", "--resource-types", "oc", "--permissions", "wr", "--json", "--at", "2025-01-01T00:00:00Z"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let url = try #require(object["url"] as? String)
        #expect(url.hasPrefix("https://devstoreaccount1.blob.core.windows.net/?"))
        #expect(url.contains("sp=rw&") && url.contains("ss=bq&srt=co&"))
    }

    static let usageErrors: [[String]] = [
        ["azure", "az://devstoreaccount1/lightroom/x.jpg", "--permissions", "rq"],
        ["azure", "az://devstoreaccount1/lightroom/x.jpg", "--permissions", "rwr"],
        ["azure", "az://devstoreaccount1/lightroom/x.jpg", "--method", "DELETE"],
        ["azure", "az://devstoreaccount1/lightroom/x.jpg", "--method", "PUT", "--permissions", "r"],
        ["azure", "az://devstoreaccount1/lightroom/x.jpg", "--sv", "2013-08-15"],
        ["azure", "az://devstoreaccount1/lightroom/x.jpg", "--service-version", "2020-10-02", "--encryption-scope", "s"],
        ["azure", "az://devstoreaccount1/lightroom/x.jpg", "--expiry", "2001-01-01T00:00:00Z"],
        ["azure", "az://devstoreaccount1/lightroom/x.jpg", "--start", "2099-01-01T00:00:00Z"],
        ["azure", "az://devstoreaccount1/lightroom/x.jpg", "--expires", "1h", "--expiry", "2099-01-01T00:00:00Z"],
        ["azure", "az://devstoreaccount1/lightroom/x.jpg", "--expires=-1h"],
        ["azure", "az://devstoreaccount1/lightroom/x.jpg", "--ip", "1.2.3"],
        ["azure", "az://devstoreaccount1/lightroom/x.jpg", "--resource", "container"],
        ["azure", "az://devstoreaccount1/lightroom", "--resource", "blob"],
        ["azure", "az://devstoreaccount1/Light_Room/x.jpg"],
        ["azure", "az://otheraccount/lightroom/x.jpg"],
        ["azure", "az://devstoreaccount1/lightroom/x.jpg", "--user-delegation-key", "/nonexistent.json"],
        ["azure", "s3://bucket/x.jpg"],
        ["azure-account", "--services", "bx"],
        ["azure-account", "--resource-types", "oo"],
        ["azure-account", "--permissions", "rz"],
        ["azure-account", "--curl"],
    ]

    @Test(arguments: usageErrors)
    func badInputIsAUsageError(_ arguments: [String]) async throws {
        let result = try await run(arguments)
        #expect(result.status == 2 && result.stdout.isEmpty && result.stderr.hasPrefix("Error: "), "\(arguments): \(result.stderr)")
    }

    @Test(arguments: [
        ["AZURE_STORAGE_ACCOUNT": "devstoreaccount1", "AZURE_STORAGE_KEY": "%%%not-base64%%%"],
        ["AZURE_STORAGE_CONNECTION_STRING": "AccountName=devstoreaccount1"],
        ["AZURE_STORAGE_ACCOUNT": "devstoreaccount1"],
        [:],
    ])
    func credentialProblemsAreUsageErrors(_ env: [String: String]) async throws {
        let result = try await run(["azure", "az://devstoreaccount1/lightroom/x.jpg"], env: env)
        #expect(result.status == 2 && result.stdout.isEmpty)
        #expect(!result.stderr.contains("%%%not-base64%%%"))
    }
}
