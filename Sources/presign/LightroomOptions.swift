import ArgumentParser
import Foundation
import HTTP
import LightroomAPI
import SigningCore

/// The options every `presign lightroom` job command shares.
struct LightroomJobOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The URL the service reads the photo from.", valueName: "URL"))
    var input: String?

    @Option(help: ArgumentHelp("Many jobs: JSON lines {\"input\": URL, \"output\": URL} (or \"outputs\": [URL, ...]); '-' for stdin.", valueName: "FILE"))
    var manifest: String?

    @Option(help: "With --manifest: how many jobs to handle at once.")
    var concurrency: Int = 4

    @Option(help: ArgumentHelp("With --manifest: at most this many job requests per second.", valueName: "PER_SECOND"))
    var rate: Double = 2

    @Option(name: .customLong("output"), help: ArgumentHelp("A URL the service writes a result to (repeatable, 1 to 25).", valueName: "URL"))
    var outputs: [String] = []

    @Option(help: ArgumentHelp("Storage of every href: external, azure or dropbox (default: from each URL).", valueName: "KIND"))
    var storage: String?

    @Option(help: ArgumentHelp("Output type: image/jpeg, image/x-adobe-dng, image/png, application/rdf+xml, or jpeg, dng, png, xmp (default: from the output URL's extension).", valueName: "TYPE"))
    var type: String?

    @Option(help: "JPEG quality, 0 to 12 (the API's default is 12).")
    var quality: Int?

    @Flag(help: "Send overwrite: true (the API honours it for its own storage only).")
    var overwrite = false

    @Flag(help: "Send the job without checking the input and outputs first.")
    var noVerify = false

    @Flag(help: "Poll the job until every output succeeded or failed; exit 0 only if all succeeded.")
    var wait = false

    @Option(help: ArgumentHelp("First wait between polls; it grows 1.5 times up to 30s.", valueName: "DURATION"))
    var pollInterval: String = "2s"

    @Option(help: ArgumentHelp("Give up waiting after this long (within one poll of it).", valueName: "DURATION"))
    var timeout: String = "15m"

    @Flag(help: "Print JSON on stdout: {\"statusUrl\": URL} as soon as the job is accepted, then (with --wait) its final status.")
    var json = false

    @Flag(help: "Print the request that would be sent (secrets and signatures redacted) and stop.")
    var dryRun = false

    @OptionGroup var api: LightroomAPIOptions

    func validate() throws {
        guard (input == nil) != (manifest == nil) else { throw ValidationError("Give --input URL (with --output URL), or --manifest FILE for many jobs.") }
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be from 1 to 64, not \(concurrency).") }
        guard rate > 0 && rate <= 100 else { throw ValidationError("--rate must be above 0 and at most 100 job requests per second.") }
        if manifest != nil {
            if !outputs.isEmpty { throw ValidationError("With --manifest, the outputs come from the manifest; drop --output.") }
            if dryRun { throw ValidationError("--dry-run shows one job: use it with --input and --output.") }
        } else if outputs.isEmpty { throw ValidationError("Give at least one --output URL.") }
        if let storage, LightroomStorage(rawValue: storage) == nil {
            throw ValidationError("--storage must be external, azure or dropbox, not '\(storage)'.")
        }
        if let first = outputs.first { _ = try outputType(for: first) }
        _ = try DurationText.parse(pollInterval)
        _ = try DurationText.parse(timeout)
    }

    func outputType(for url: String) throws -> LightroomOutputType {
        if let type {
            let aliases = ["jpeg": "image/jpeg", "jpg": "image/jpeg", "dng": "image/x-adobe-dng", "png": "image/png", "xmp": "application/rdf+xml"]
            guard let parsed = LightroomOutputType(rawValue: aliases[type.lowercased()] ?? type) else {
                throw ValidationError("--type must be image/jpeg, image/x-adobe-dng, image/png or application/rdf+xml (or jpeg, dng, png, xmp), not '\(type)'.")
            }
            return parsed
        }
        guard let inferred = LightroomOutputType.inferred(from: url) else {
            if LightroomStorage.inferred(from: url) == .dropbox && DropboxLinkLabel.path(in: url) == nil {
                throw ValidationError("The Dropbox link names no file (only a link printed by presign dropbox carries its path), so the output type is unknown. Give --type jpeg|dng|png|xmp.")
            }
            throw ValidationError("Cannot tell the output type from the URL's file name (no .jpg, .dng, .png or .xmp). Give --type jpeg|dng|png|xmp.")
        }
        return inferred
    }

    /// The job for `endpoint` (options specific to it are added by the caller).
    func job(_ endpoint: LightroomEndpoint) throws -> LightroomJobRequest {
        try job(endpoint, input: input ?? "", outputs: outputs)
    }

    /// A job reading `input` and writing `outputs`, with the shared options.
    func job(_ endpoint: LightroomEndpoint, input: String, outputs: [String]) throws -> LightroomJobRequest {
        let kind = storage.flatMap(LightroomStorage.init(rawValue:))
        let outputs = try outputs.map { url in
            let type = try outputType(for: url)
            if self.type == nil, let path = DropboxLinkLabel.path(in: url) {
                StandardError.write("note: output type \(type.rawValue), from the Dropbox path \(path) (--type overrides it).\n")
            }
            // The label is for this tool: the service gets the link as Dropbox made it.
            return LightroomJobRequest.Output(file: .init(href: DropboxLinkLabel.unlabelled(url), storage: kind), type: type, quality: quality, overwrite: overwrite ? true : nil)
        }
        return LightroomJobRequest(endpoint: endpoint, input: .init(href: input, storage: kind), outputs: outputs)
    }
}

/// Where the API and IMS are, and how to retry.
struct LightroomAPIOptions: ParsableArguments {
    /// The variable `--api-base` falls back to.
    static let apiBaseVariable = "PRESIGN_LIGHTROOM_API"
    /// The variable `--ims-url` falls back to.
    static let imsURLVariable = "PRESIGN_IMS_URL"

    @Option(help: ArgumentHelp("The API's base URL (default: $\(apiBaseVariable), else \(LightroomClient.defaultBase)).", valueName: "URL"))
    var apiBase: String?

    @Option(help: ArgumentHelp("The IMS token URL (default: $\(imsURLVariable), else \(IMSTokenProvider.defaultURL)).", valueName: "URL"))
    var imsURL: String?

    @Option(help: ArgumentHelp("IMS scopes, comma-separated.", valueName: "SCOPES"))
    var scope: String = IMSTokenProvider.defaultScopes.joined(separator: ",")

    @Flag(name: .customLong("retry-429"), help: "Wait out a 429 (its Retry-After) and retry; by default it is reported.")
    var retry429 = false

    @OptionGroup var retry: RetryOptions

    /// 5xx only (and 429 with --retry-429), `--retries` times, doubling from `--backoff` with jitter.
    var policy: RetryPolicy {
        var policy = retry.serverErrors
        if retry429 {
            policy.retryableStatuses.insert(429)
            policy.honoursRetryAfter = true
        }
        return policy
    }

    /// `--api-base`, else `PRESIGN_LIGHTROOM_API`, else Adobe's.
    func resolvedAPIBase(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        EndpointVariable.resolve(apiBase, Self.apiBaseVariable, default: LightroomClient.defaultBase, environment: environment)
    }

    /// `--ims-url`, else `PRESIGN_IMS_URL`, else Adobe's.
    func resolvedIMSURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        EndpointVariable.resolve(imsURL, Self.imsURLVariable, default: IMSTokenProvider.defaultURL, environment: environment)
    }

    /// The client, from `LIGHTROOM_CLIENT_ID` and `LIGHTROOM_ACCESS_TOKEN` or `LIGHTROOM_CLIENT_SECRET`.
    func client(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LightroomClient {
        guard let clientID = environment["LIGHTROOM_CLIENT_ID"], !clientID.isEmpty else {
            throw CLIFailure.usage("Set LIGHTROOM_CLIENT_ID (the project's client id, sent as x-api-key), and LIGHTROOM_CLIENT_SECRET or LIGHTROOM_ACCESS_TOKEN.")
        }
        let http = HTTPClient()
        let source: IMSTokenProvider.Source
        if let token = environment["LIGHTROOM_ACCESS_TOKEN"], !token.isEmpty {
            source = .accessToken(token)
        } else if let secret = environment["LIGHTROOM_CLIENT_SECRET"], !secret.isEmpty {
            source = .clientCredentials(clientID: clientID, clientSecret: secret, scopes: scope.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        } else {
            throw CLIFailure.usage("Set LIGHTROOM_CLIENT_SECRET (exchanged at IMS for a token) or LIGHTROOM_ACCESS_TOKEN.")
        }
        let tokens = IMSTokenProvider(source: source, url: resolvedIMSURL(environment: environment), http: http, policy: policy)
        return LightroomClient(base: resolvedAPIBase(environment: environment), apiKey: clientID, tokens: tokens, http: http, policy: policy)
    }
}
