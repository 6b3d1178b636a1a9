import ArgumentParser
import DropboxLinks
import Foundation
import HTTP
import SigningCore

/// `presign dropbox /PATH`: a Dropbox temporary download link (GET) or upload link (PUT).
struct DropboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dropbox",
        abstract: "Make a Dropbox temporary link: a download link (GET) or a single-use upload link (PUT).",
        discussion: """
        Credentials: DROPBOX_ACCESS_TOKEN, or DROPBOX_REFRESH_TOKEN + DROPBOX_APP_KEY (+ DROPBOX_APP_SECRET; leave it unset for a PKCE app), refreshed at API_BASE/oauth2/token.

        GET calls files/get_temporary_link: the link serves the file for 4 hours (then 410 Gone). PUT calls files/get_temporary_upload_link: the link accepts ONE upload, until --expires (60s to 4h); it is consumed by a POST of the raw bytes with Content-Type: application/octet-stream (Dropbox documents POST only, not PUT). What happens to an existing file is decided by --mode when the upload arrives.

        Examples:
          presign dropbox /Lightroom/in/cat.jpg
          presign dropbox /Lightroom/out/cat.jpg --method PUT --mode overwrite --expires 1h --json
        """
    )

    @Argument(help: ArgumentHelp("The Dropbox path (from the root, starting with /), or id:..., rev:... (GET), ns:....", valueName: "PATH"))
    var path: String

    @Option(help: "GET (download link) or PUT (single-use upload link).")
    var method: String = "GET"

    @Option(help: ArgumentHelp("Upload link lifetime, 60s to 4h (PUT only; download links always live 4h).", valueName: "DURATION"))
    var expires: String?

    @Option(help: ArgumentHelp("For PUT: add (keep an existing file), overwrite, or update:REV.", valueName: "MODE"))
    var mode: String = "add"

    @Flag(help: "For PUT: rename instead of failing when the name is taken (mode add).")
    var autorename = false

    @Flag(help: "For PUT: do not notify the account's devices of the upload.")
    var mute = false

    @Option(help: ArgumentHelp("Dropbox API base URL, e.g. a local stand-in (default: $PRESIGN_DROPBOX_API, else \(DropboxClient.defaultAPIBase)).", valueName: "URL"))
    var apiBase: String?

    @OptionGroup var retry: RetryOptions
    @OptionGroup var output: OutputFormOptions

    func run() async throws {
        let request = try DropboxInvocation.parse(self)
        let credentials = try DropboxCredentials.fromEnvironment()
        let client = DropboxClient(credentials: credentials, apiBase: EndpointVariable.resolve(apiBase, "PRESIGN_DROPBOX_API", default: DropboxClient.defaultAPIBase), retries: retry.retries, backoff: retry.backoffSeconds, onRetry: RetryOptions.reporter)
        let result: SignedURLOutput
        switch request {
        case .download(let path):
            let link = try await client.temporaryLink(path: path)
            result = SignedURLOutput(
                provider: "dropbox", method: "GET", url: link.link, headers: [], expiresAt: Timestamp(link.expiresAt).rfc3339,
                extra: [("path", JSONText.string(link.pathDisplay ?? path))] + (link.size.map { [("size", String($0))] } ?? []))
        case .upload(let commit, let duration):
            let link = try await client.temporaryUploadLink(commit, duration: duration)
            let expiry = Timestamp(link.expiresAt).rfc3339
            result = SignedURLOutput(
                provider: "dropbox", method: DropboxUploadLink.method, url: DropboxLinkLabel.labelled(link.link, path: commit.path),
                headers: DropboxUploadLink.requiredHeaders,
                expiresAt: expiry, extra: [("path", JSONText.string(commit.path)), ("singleUse", "true")])
            if !output.json {
                StandardError.write("note: this upload link works ONCE and expires at \(expiry); upload the file with POST.\n")
            }
        }
        result.emit(json: output.json, curl: output.curl, name: request.path, fallback: "file")
    }
}

/// The validated arguments of `presign dropbox`.
enum DropboxInvocation {
    case download(path: String)
    case upload(DropboxCommitInfo, duration: Int)

    var path: String {
        switch self {
        case .download(let path): path
        case .upload(let commit, _): commit.path
        }
    }

    static func parse(_ command: DropboxCommand) throws -> DropboxInvocation {
        switch command.method.uppercased() {
        case "GET":
            if command.expires != nil {
                throw CLIFailure.usage("Dropbox download links always live 4 hours; --expires only applies to upload links (--method PUT).")
            }
            if command.autorename || command.mute || command.mode != "add" {
                throw CLIFailure.usage("--mode, --autorename and --mute apply to upload links only (--method PUT).")
            }
            try DropboxPaths.validate(command.path, allowRev: true)
            return .download(path: command.path)
        case "PUT":
            try DropboxPaths.validate(command.path, allowRev: false)
            let range = DropboxClient.uploadLinkDurations
            let seconds = try command.expires.map {
                try LifetimeArgument.seconds($0, allowed: Int64(range.lowerBound)...Int64(range.upperBound),
                                             limit: "Dropbox allows for upload links: 60 seconds to 4 hours (14400 s)", suggestion: "e.g. --expires 1h")
            } ?? Int64(range.upperBound)
            let mode: DropboxCommitInfo.Mode
            switch command.mode.lowercased() {
            case "add": mode = .add
            case "overwrite": mode = .overwrite
            case let text where text.hasPrefix("update:") && text.count > 7: mode = .update(rev: String(command.mode.dropFirst(7)))
            default: throw CLIFailure.usage("--mode must be add, overwrite or update:REV, not '\(command.mode)'.")
            }
            return .upload(DropboxCommitInfo(path: command.path, mode: mode, autorename: command.autorename, mute: command.mute), duration: Int(seconds))
        default:
            throw CLIFailure.usage("--method must be GET (download link) or PUT (upload link), not '\(command.method)'.")
        }
    }
}
