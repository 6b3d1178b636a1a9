import ArgumentParser
import Foundation
import SigningCore
import URLCheck

/// `presign inspect URL`: what a signed URL grants and what is wrong with it, without a network.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Say what a signed URL grants (provider, method, expiry, headers, permissions) and what is wrong with it, offline.",
        discussion: """
        Knows S3 SigV4 (and SigV2, which the Lightroom API refuses), GCS V4 (and V2), Azure SAS (service, user delegation, account), Dropbox temporary and upload links, Google Drive URLs, and plain URLs. Problems (expired, not yet valid, over the provider's limit, region and host disagreeing, signed headers the service will not send, a multipart part, a share page, a role the URL cannot play) make the exit code 1; warnings (http, expiring soon, temporary credentials, ...) do not.

        Examples:
          presign inspect "$URL"
          presign inspect - --role output --json < url.txt
        """
    )

    @Argument(help: ArgumentHelp("The URL, or - to read one URL from stdin.", valueName: "URL"))
    var url: String

    @Option(help: "The role the URL will play: input (read) or output (write).")
    var role: String?

    @Option(help: ArgumentHelp("Warn when the URL expires sooner than this (a job must finish before).", valueName: "DURATION"))
    var minLifetime: String = "15m"

    @Option(help: ArgumentHelp("Judge expiry as if the clock read TIME.", valueName: "TIME"))
    var at: String?

    @Flag(help: "Print one JSON object: provider, method, expiresAt, problems, warnings, and the rest.")
    var json = false

    func run() throws {
        let text = try url == "-" ? Self.readStandardInput() : url
        let role = try role.map { value -> URLRole in
            guard let role = URLRole(rawValue: value.lowercased()) else { throw CLIFailure.usage("--role must be input or output, not '\(value)'.") }
            return role
        }
        guard let lifetime = try DurationText.parse(minLifetime).wholeSeconds else {
            throw CLIFailure.usage("--min-lifetime must be whole seconds, e.g. 15m.")
        }
        let now = try at.map(Timestamp.parse) ?? Timestamp(Date())
        let report = URLInspector(now: now, minimumLifetime: lifetime, role: role).inspect(text)
        print(json ? InspectionText.json(report, now: now, role: role) : InspectionText.human(report, now: now, role: role))
        if !report.problems.isEmpty { throw ExitCode(1) }
    }

    static func readStandardInput() throws -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw CLIFailure.usage("No URL on stdin. Pipe one URL, e.g. echo \"$URL\" | presign inspect -.")
        }
        return text
    }
}
