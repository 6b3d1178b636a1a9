import Foundation
import TestSupport
import Testing

/// Endpoint flags read their environment variables (so endpoints need not be repeated on every
/// call), a flag wins over its variable, and `--help` names the variable.
struct EndpointVariableTests {
    static let closed = "http://127.0.0.1:9"

    @Test(.enabled(if: DropboxCLI.available, Comment(rawValue: "Dropbox stand-in not running: run scripts/test.sh")))
    func dropboxAPIBaseComesFromPRESIGN_DROPBOX_API() async throws {
        let path = "/presign-cli/\(UUID().uuidString.prefix(8))/env.jpg"
        try await DropboxCLI.seed(path)
        let token = ["DROPBOX_ACCESS_TOKEN": DropboxCommandTests.token]
        let fromVariable = try await ProcessRunner.presign(["dropbox", path], environment: token.merging(["PRESIGN_DROPBOX_API": DropboxCLI.base]) { $1 })
        #expect(fromVariable.status == 0 && fromVariable.stdout.hasPrefix(DropboxCLI.base + "/content/get/"), "\(fromVariable.stderr)")
        let flagWins = try await ProcessRunner.presign(["dropbox", path, "--api-base", DropboxCLI.base], environment: token.merging(["PRESIGN_DROPBOX_API": Self.closed]) { $1 })
        #expect(flagWins.status == 0 && flagWins.stdout.hasPrefix(DropboxCLI.base + "/content/get/"), "\(flagWins.stderr)")
        #expect(try await ProcessRunner.presign(["dropbox", "--help"]).stdout.contains("PRESIGN_DROPBOX_API"))
    }

    @Test(.enabled(if: GoogleCLI.available, Comment(rawValue: "Google stand-in not running: run scripts/test.sh")))
    func googleEndpointsComeFromPRESIGN_GOOGLE_API_AndPRESIGN_GOOGLE_TOKEN_URL() async throws {
        let fileID = "env\(UUID().uuidString.prefix(8))"
        try await GoogleCLI.seed(fileID)
        let variables = ["PRESIGN_GOOGLE_API": GoogleCLI.base, "PRESIGN_GOOGLE_TOKEN_URL": GoogleCLI.base + "/token"]
        let fromVariables = try await ProcessRunner.presign(["gdrive", fileID, "--key-file", GoogleCLI.keyFile], environment: variables)
        #expect(fromVariables.status == 0 && fromVariables.stdout.contains("/drive/v3/files/\(fileID)?alt=media"), "\(fromVariables.stderr)")
        let token = try await ProcessRunner.presign(["google-token", "--scope", "https://www.googleapis.com/auth/drive", "--key-file", GoogleCLI.keyFile], environment: variables)
        #expect(token.status == 0 && token.stdout.hasPrefix("ya29."), "\(token.stderr)")
        let closed = ["PRESIGN_GOOGLE_API": Self.closed, "PRESIGN_GOOGLE_TOKEN_URL": Self.closed + "/token"]
        let flagsWin = try await ProcessRunner.presign(["gdrive", fileID, "--key-file", GoogleCLI.keyFile, "--api-base", GoogleCLI.base, "--token-url", GoogleCLI.base + "/token"],
                                                       environment: closed)
        #expect(flagsWin.status == 0 && flagsWin.stdout.contains("/drive/v3/files/\(fileID)?alt=media"), "\(flagsWin.stderr)")
        let help = try await ProcessRunner.presign(["gdrive", "--help"]).stdout
        #expect(help.contains("PRESIGN_GOOGLE_API") && help.contains("PRESIGN_GOOGLE_TOKEN_URL"))
    }
}
