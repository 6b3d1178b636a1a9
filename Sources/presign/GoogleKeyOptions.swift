import ArgumentParser
import Foundation
import GoogleAuth

/// Service-account key, scopes and token endpoint flags of `gdrive` and `google-token`.
struct GoogleKeyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Service-account key JSON (default GOOGLE_APPLICATION_CREDENTIALS).", valueName: "FILE"))
    var keyFile: String?

    @Option(help: ArgumentHelp("OAuth scope (repeatable, or several separated by spaces).", valueName: "SCOPE"))
    var scope: [String] = []

    @Option(help: ArgumentHelp("Act as this user (domain-wide delegation; JWT 'sub').", valueName: "EMAIL"))
    var subject: String?

    @Option(help: ArgumentHelp("Token endpoint (default: $PRESIGN_GOOGLE_TOKEN_URL, else the key's token_uri).", valueName: "URL"))
    var tokenUrl: String?

    @Option(help: ArgumentHelp("Keep tokens in this file (mode 0600) so later runs reuse them until shortly before they expire.", valueName: "FILE"))
    var tokenCache: String?

    /// Every scope given, split on spaces, in order, without repeats.
    func scopes(default fallback: [String]) -> [String] {
        var seen = Set<String>()
        let given = scope.flatMap { $0.split(separator: " ").map(String.init) }.filter { seen.insert($0).inserted }
        return given.isEmpty ? fallback : given
    }

    func client(defaultScopes: [String], retry: RetryOptions) throws -> GoogleTokenClient {
        let key = try GoogleServiceAccountKey.load(path: keyFile)
        let scopes = self.scopes(default: defaultScopes)
        guard !scopes.isEmpty else {
            throw CLIFailure.usage("Give at least one --scope, e.g. --scope https://www.googleapis.com/auth/drive.")
        }
        return GoogleTokenClient(key: key, scopes: scopes, subject: subject, tokenURL: EndpointVariable.value(tokenUrl, "PRESIGN_GOOGLE_TOKEN_URL"), cacheFile: tokenCache,
                                 retries: retry.retries, backoff: retry.backoffSeconds, onRetry: RetryOptions.reporter)
    }
}

/// `presign google-token`: an access token (or only the signed assertion).
struct GoogleTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "google-token",
        abstract: "Get a Google OAuth access token for a service account (JWT-bearer grant), or only the signed JWT.",
        discussion: """
        The assertion: header {alg RS256, typ JWT, kid}, claims iss, scope, aud (--token-url or the key's token_uri), iat (now or --at), exp = iat + 3600, and sub with --subject. The token is printed on stdout; keep it secret.

        Example:
          presign google-token --key-file sa.json --scope https://www.googleapis.com/auth/drive
        """
    )

    @OptionGroup var key: GoogleKeyOptions

    @Flag(help: "Print the signed JWT assertion instead of exchanging it (no network).")
    var jwtOnly = false

    @Option(help: ArgumentHelp("Issue the assertion as if the clock read TIME (RFC 3339).", valueName: "TIME"))
    var at: String?

    @OptionGroup var retry: RetryOptions

    func run() async throws {
        let client = try key.client(defaultScopes: [], retry: retry)
        let now = try at.map { try Timestamp.parse($0).date } ?? Date()
        if jwtOnly {
            print(try client.assertion(now: now).token)
            return
        }
        print(try await client.token(now: now).value)
    }
}

import SigningCore
