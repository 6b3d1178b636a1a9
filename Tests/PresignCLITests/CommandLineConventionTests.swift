import Foundation
import TestSupport
import Testing

/// Conventions every `presign` command shares with `aws`, `git` and `az` (issue 16).
struct CommandLineConventionTests {
    static let azureEnv = ["AZURE_STORAGE_ACCOUNT": "devstoreaccount1",
                           "AZURE_STORAGE_KEY": "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="]

    /// `presign` alone is a usage error: the help on stderr, nothing on stdout, exit 2.
    @Test func noArgumentsPrintsTheHelpAndExits2() async throws {
        let result = try await ProcessRunner.presign([])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("USAGE: presign") && result.stderr.contains("SUBCOMMANDS"), "\(result.stderr)")
    }

    /// `--version` is the tool's version on the Azure commands too (it was the SAS version).
    @Test(arguments: ["azure", "azure-account"])
    func versionIsTheToolsVersion(command: String) async throws {
        let tool = try await ProcessRunner.presign(["--version"])
        #expect(tool.status == 0 && !tool.stdout.isEmpty)
        let result = try await ProcessRunner.presign([command, "--version"], environment: Self.azureEnv)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == tool.stdout)
    }

    /// `--service-version` and its alias `--sv` choose the SAS version (`sv`).
    @Test(arguments: ["--service-version", "--sv"])
    func serviceVersionChoosesSV(flag: String) async throws {
        let blob = try await ProcessRunner.presign(["azure", "az://devstoreaccount1/lightroom/x.jpg", flag, "2019-02-02"], environment: Self.azureEnv)
        #expect(blob.status == 0, "\(blob.stderr)")
        #expect(blob.stdout.contains("sv=2019-02-02&"), "\(blob.stdout)")
        let account = try await ProcessRunner.presign(["azure-account", flag, "2019-02-02"], environment: Self.azureEnv)
        #expect(account.status == 0, "\(account.stderr)")
        #expect(account.stdout.contains("sv=2019-02-02&"), "\(account.stdout)")
    }
}

/// Plain output: the URL alone on stdout, the headers the client must send on stderr.
struct RequiredHeadersOnStderrTests {
    static let awsEnv = ["AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]

    static let cases: [(arguments: [String], env: [String: String], headers: [String])] = [
        (["azure", "az://devstoreaccount1/lightroom/out/cat.jpg", "--method", "PUT"], CommandLineConventionTests.azureEnv,
         ["x-ms-blob-type: BlockBlob"]),
        (["s3", "s3://photos/out/cat.jpg", "--method", "PUT", "--content-type", "image/jpeg", "--header", "x-amz-meta-owner: Ana"], awsEnv,
         ["content-type: image/jpeg", "x-amz-meta-owner: Ana"]),
        (["gcs", "gs://photos/out/cat.jpg", "--method", "RESUMABLE", "--hmac-access-id", "GOOG1EXAMPLE"], ["GOOGLE_HMAC_SECRET": "s3cr3t-value-for-tests"],
         ["x-goog-resumable: start"]),
        (["azure", "az://devstoreaccount1/lightroom/in/cat.jpg"], CommandLineConventionTests.azureEnv, []),
    ]

    @Test(arguments: 0..<cases.count)
    func headersGoToStderr(index: Int) async throws {
        let (arguments, env, headers) = Self.cases[index]
        let result = try await ProcessRunner.presign(arguments, environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[0].hasPrefix("http") && lines[1].isEmpty, "stdout is the URL alone: \(result.stdout)")
        let sent = result.stderr.split(separator: "\n").filter { $0.hasPrefix("send header: ") }.map { String($0.dropFirst("send header: ".count)) }
        #expect(sent == headers, "\(result.stderr)")
        // --json carries them in `headers` instead, and stderr stays free of them.
        let json = try await ProcessRunner.presign(arguments + ["--json"], environment: env)
        #expect(!json.stderr.contains("send header:"), "\(json.stderr)")
    }
}
