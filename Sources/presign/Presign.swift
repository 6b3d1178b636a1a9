import ArgumentParser
import AWSCredentialProviders
import AWSSigV4
import Foundation
import SigningCore

/// The `presign` command: sign, check and submit storage URLs for image-processing services.
@main
struct Presign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presign",
        abstract: "Make, check and use signed storage URLs (S3, Azure Blob, GCS, Google Drive, Dropbox) for cloud image-processing jobs such as the Lightroom API's.",
        discussion: """
        Results go to stdout, diagnostics to stderr. Exit codes: 0 success, 1 the operation failed, 2 usage error (bad flag or value, missing or malformed credential; nothing was sent). Secrets are read from the environment or files, never printed.
        """,
        version: "0.1.0",
        subcommands: [S3Command.self, AzureCommand.self, AzureAccountCommand.self, GCSCommand.self, GoogleDriveCommand.self, GoogleTokenCommand.self, DropboxCommand.self, InspectCommand.self, VerifyCommand.self, LightroomCommand.self, ServeCommand.self, DemoCommand.self]
    )

    /// Runs the command with this tool's exit-code contract (2 for every usage error).
    static func main() async {
        // No arguments at all is a usage error, as for `aws` and `git`: the help, on stderr.
        if CommandLine.arguments.count <= 1 {
            StandardError.write(helpMessage() + "\n")
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(reporting: error)
        }
    }

    static func exit(reporting error: Error) -> Never {
        let (message, code) = CLIFailure.describe(error)
        guard let message else {
            if code == 0 { Presign.exit(withError: error) }
            Foundation.exit(code)
        }
        StandardError.write("Error: \(message)\n")
        Foundation.exit(code)
    }
}
