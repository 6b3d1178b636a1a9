import ArgumentParser
import Foundation
import GoogleAuth
import SigningCore

/// `presign gdrive FILE_ID`: a Drive download URL (GET) or a resumable upload session URL (PUT).
struct GoogleDriveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gdrive",
        abstract: "Make a Google Drive URL for a file: a download URL (GET) or a resumable upload session (PUT).",
        discussion: """
        GET checks the file and returns .../drive/v3/files/ID?alt=media&access_token=TOKEN: the URL CARRIES AN ACCESS TOKEN. It works until the token expires (at most 1 hour) for anyone who has it, with every scope of the token: use the narrowest scope (drive.readonly) and share it only with the job.

        PUT opens a resumable upload session that replaces the file's content and returns the session URL; upload the whole file with one PUT to it within a week. (Google documents that the session URL needs no further authorisation for the upload; this could not be checked against Google here.)

        Examples:
          presign gdrive 1AbCdEfGh --key-file sa.json --scope https://www.googleapis.com/auth/drive.readonly
          presign gdrive 1AbCdEfGh --method PUT --key-file sa.json --json
        """
    )

    @Argument(help: ArgumentHelp("The Drive file id (from https://drive.google.com/file/d/FILE_ID/view).", valueName: "FILE_ID"))
    var fileID: String

    @Option(help: "GET (download URL) or PUT (resumable upload session for the file).")
    var method: String = "GET"

    @Option(help: ArgumentHelp("Drive API base URL, e.g. a local stand-in (default: $PRESIGN_GOOGLE_API, else \(GoogleDrive.defaultAPIBase)).", valueName: "URL"))
    var apiBase: String?

    @OptionGroup var key: GoogleKeyOptions
    @OptionGroup var retry: RetryOptions
    @OptionGroup var output: OutputFormOptions

    func run() async throws {
        let method = self.method.uppercased()
        guard method == "GET" || method == "PUT" else { throw CLIFailure.usage("--method must be GET or PUT, not '\(self.method)'.") }
        try GoogleDrive.validate(fileID: fileID)
        let scope = method == "GET" ? "https://www.googleapis.com/auth/drive.readonly" : "https://www.googleapis.com/auth/drive"
        let client = try key.client(defaultScopes: [scope], retry: retry)
        let drive = GoogleDrive(apiBase: EndpointVariable.resolve(apiBase, "PRESIGN_GOOGLE_API", default: GoogleDrive.defaultAPIBase), retries: retry.retries, backoff: retry.backoffSeconds, onRetry: RetryOptions.reporter)
        let token = try await client.token()
        let file = try await drive.file(id: fileID, token: token)
        let result: SignedURLOutput
        if method == "GET" {
            result = SignedURLOutput(provider: "gdrive", method: "GET", url: try drive.downloadURL(fileID: fileID, token: token), headers: [],
                                     expiresAt: Timestamp(token.expiresAt).rfc3339,
                                     extra: [("fileId", JSONText.string(fileID)), ("name", file.name.map(JSONText.string) ?? "null"), ("carriesAccessToken", "true")])
            if !output.json {
                StandardError.write("warning: this URL carries an OAuth access token (until \(Timestamp(token.expiresAt).rfc3339)); anyone with it can use the token's scopes. Share it only with the job.\n")
            }
        } else {
            let session = try await drive.openUploadSession(fileID: fileID, token: token)
            result = SignedURLOutput(provider: "gdrive", method: "PUT", url: session, headers: [],
                                     expiresAt: Timestamp(Date().addingTimeInterval(GoogleDrive.uploadSessionLifetime)).rfc3339,
                                     extra: [("fileId", JSONText.string(fileID)), ("name", file.name.map(JSONText.string) ?? "null"), ("carriesAccessToken", "false")])
        }
        result.emit(json: output.json, curl: output.curl, name: file.name, fallback: fileID)
    }
}
