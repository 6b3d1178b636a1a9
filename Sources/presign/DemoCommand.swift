import ArgumentParser
import AWSSigV4
import AzureSAS
import Foundation
import GoogleAuth
import HTTP
import LocalStorageServer
import SigningCore

/// `presign demo`: the whole signing-and-checking flow on this machine, no cloud account needed.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start a local storage endpoint, sign input and output URLs for S3, Azure and GCS, upload a sample image, read it back, and stop.",
        discussion: "Runs in a temporary folder on a free port on 127.0.0.1, with the public demo credentials of 'presign serve'. Exits 0 when every provider's round trip and every refusal behaved as the provider's would."
    )

    func run() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("presign-demo-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        var configuration = StorageServerConfiguration(root: root)
        try configuration.addDemoCredentials()
        let server = try await StorageServer.start(configuration)
        let demo = DemoFlow(server: server, http: HTTPClient(), image: SampleImage.png(width: 64, height: 64))
        var failures = 0
        say("presign demo: a local storage endpoint on \(server.baseURL) checks every signature as S3, Azure and GCS do\n")
        for provider in DemoFlow.Provider.allCases {
            failures += await demo.run(provider)
        }
        await server.stop()
        say(failures == 0 ? "\nAll round trips worked and every bad URL was refused. Sign real URLs the same way, without --endpoint and with your own credentials.\n"
                          : "\n\(failures) step(s) did not behave as expected.\n")
        if failures > 0 { throw ExitCode(1) }
    }
}

/// The demo's output: the result of a demo is its transcript, on stdout.
func say(_ text: String) {
    print(text, terminator: "")
    fflush(nil)
}
