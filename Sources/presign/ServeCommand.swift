import ArgumentParser
import Foundation
import LocalStorageServer
import SigningCore

/// `presign serve`: a local storage endpoint that checks signed URLs as the providers do.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a local storage endpoint that checks S3, Azure SAS and GCS V4 signed URLs as the providers do.",
        discussion: """
        One port answers S3 (path style /BUCKET/KEY and virtual hosts BUCKET.localhost), Azure Blob (/ACCOUNT/CONTAINER/BLOB) and GCS (/BUCKET/OBJECT). Every request's signature, expiry, start time, method or permissions and signed headers are checked before anything is stored or served, and refusals carry the provider's own status and error body (SignatureDoesNotMatch with the string to sign, AuthenticationFailed, AuthorizationPermissionMismatch, MissingRequiredHeader, ...). Expect: 100-continue gets the final refusal before the body.

        Credentials: --config FILE (JSON: s3.region, s3.credentials, azure.accounts, azure.userDelegationKeyFiles, gcs.serviceAccountKeyFiles, gcs.publicKeys, gcs.hmacKeys; an unknown or misplaced key is refused), plus the public demo credentials unless --no-demo-credentials: S3 \(StorageServerConfiguration.Demo.s3AccessKeyID) / \(StorageServerConfiguration.Demo.s3SecretAccessKey), Azure UseDevelopmentStorage=true (devstoreaccount1), GCS HMAC \(StorageServerConfiguration.Demo.gcsHMACAccessID) / \(StorageServerConfiguration.Demo.gcsHMACSecret).

        Limits (as real object stores bound connections): a connection that starts no request for --idle-timeout seconds is closed; a request head must arrive within --header-timeout seconds of its first byte (else 408) and stay within --max-head-bytes (else 431); an upload that sends no body bytes for --body-timeout seconds gets the provider's 400 RequestTimeout; beyond --max-connections (lowered to fit the descriptor limit) a connection gets 503. Write errors (a full disk, a file-size limit) are answered 507 InsufficientStorage or 500 in the provider's shape, and the partial upload is removed.

        Refused as the providers refuse them: bucket and container names outside each provider's rules, stored access policies (si: none are kept) and writes through snapshot or version SAS, bodies whose Content-MD5, x-amz-content-sha256, x-goog-content-sha256 or x-goog-hash does not match (BadDigest, Md5Mismatch, ...), and GCS URLs that do not sign host. Create-only uploads (Azure sp=c without w, If-None-Match: *, x-goog-if-generation-match: 0) never replace an object (409 BlobAlreadyExists, 412 PreconditionFailed). Multipart uploads, ACLs, tagging, copies and Azure comp= operations get 501 NotImplemented.

        On an address other than loopback the public demo credentials are refused: give --config (only its credentials are then accepted), or --allow-public-demo-credentials to accept the risk.

        A config file (file names in it are relative to it; gcs.serviceAccountKeyFiles: ["sa.json"], gcs.publicKeys: [{"email", "pemFile"}], azure.userDelegationKeyFiles: ["udk.json"]):
        \(StorageServerConfiguration.configFileExample.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))

        Example:
          presign serve --root ./objects --port 9000
          AWS_ACCESS_KEY_ID=\(StorageServerConfiguration.Demo.s3AccessKeyID) AWS_SECRET_ACCESS_KEY=\(StorageServerConfiguration.Demo.s3SecretAccessKey) presign s3 s3://photos/cat.jpg --endpoint http://127.0.0.1:9000
        """
    )

    @Option(help: ArgumentHelp("Folder that holds the objects.", valueName: "DIR"))
    var root: String = "presign-objects"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 9000

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: ArgumentHelp("JSON file with the credentials to accept.", valueName: "FILE"))
    var config: String?

    @Flag(help: "Accept only the credentials of --config.")
    var noDemoCredentials = false

    @Flag(help: "Accept the public demo credentials on an address other than loopback (anyone who can reach it can read and write).")
    var allowPublicDemoCredentials = false

    @Option(help: ArgumentHelp("Close a connection that starts no request for this long.", valueName: "SECONDS"))
    var idleTimeout: Double = ServeLimits().idleTimeout

    @Option(help: ArgumentHelp("Answer 408 when a request head takes longer than this from its first byte.", valueName: "SECONDS"))
    var headerTimeout: Double = ServeLimits().headerTimeout

    @Option(help: ArgumentHelp("Answer 400 RequestTimeout when an upload sends no body bytes for this long.", valueName: "SECONDS"))
    var bodyTimeout: Double = ServeLimits().bodyTimeout

    @Option(help: ArgumentHelp("Connections served at once (one more gets 503).", valueName: "N"))
    var maxConnections: Int = ServeLimits().maxConnections

    @Option(help: ArgumentHelp("Largest request line plus headers (more gets 431).", valueName: "BYTES"))
    var maxHeadBytes: Int = ServeLimits().maxHeadBytes

    @Option(help: ArgumentHelp("Check signatures as if the clock read TIME (for URLs signed at a known time).", valueName: "TIME"))
    var at: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535, not \(port).") }
        if noDemoCredentials && config == nil { throw ValidationError("--no-demo-credentials needs --config with the credentials to accept.") }
        for (name, value) in [("--idle-timeout", idleTimeout), ("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout)] where !(0.1...86_400).contains(value) {
            throw ValidationError("\(name) must be from 0.1 to 86400 seconds, not \(value).")
        }
        guard (1...100_000).contains(maxConnections) else { throw ValidationError("--max-connections must be from 1 to 100000, not \(maxConnections).") }
        guard (1024...65_536).contains(maxHeadBytes) else { throw ValidationError("--max-head-bytes must be from 1024 to 65536, not \(maxHeadBytes).") }
        if !StorageServerConfiguration.isLoopback(host) && config == nil && !noDemoCredentials && !allowPublicDemoCredentials {
            throw ValidationError("--host \(host) is not a loopback address, and the demo credentials are public: give --config FILE with your own credentials, or --allow-public-demo-credentials to accept that anyone who reaches it can read and write.")
        }
    }

    /// Whether the public demo credentials are accepted: always on loopback; elsewhere only when asked.
    var acceptsDemoCredentials: Bool {
        !noDemoCredentials && (StorageServerConfiguration.isLoopback(host) || allowPublicDemoCredentials)
    }

    func run() async throws {
        var configuration = StorageServerConfiguration(root: URL(fileURLWithPath: root))
        configuration.host = host
        configuration.port = port
        configuration.limits.idleTimeout = idleTimeout
        configuration.limits.headerTimeout = headerTimeout
        configuration.limits.bodyTimeout = bodyTimeout
        configuration.limits.maxConnections = maxConnections
        configuration.limits.maxHeadBytes = maxHeadBytes
        if acceptsDemoCredentials { try configuration.addDemoCredentials() }
        if !StorageServerConfiguration.isLoopback(host) {
            StandardError.write(acceptsDemoCredentials
                ? "presign serve: WARNING: listening on \(host) with the PUBLIC demo credentials: anyone who can reach this address can read, write and delete objects.\n"
                : "presign serve: listening on \(host), a non-loopback address: only the credentials of --config are accepted.\n")
        }
        if let config { try configuration.load(configFile: config) }
        configuration.fixedNow = try at.map { try Timestamp.parse($0) }
        let server: StorageServer
        do {
            server = try await StorageServer.start(configuration)
        } catch {
            throw CLIFailure.failed("Cannot listen on \(host.contains(":") ? "[\(host)]" : host):\(port): \(Self.reason(error)). Pick another --port, or 0 for a free one.")
        }
        let limits = configuration.limits
        StandardError.write("presign serve: listening on \(server.baseURL), objects in \(configuration.root.path); at most \(limits.effectiveMaxConnections) connections, timeouts idle \(limits.idleTimeout) s, header \(limits.headerTimeout) s, body \(limits.bodyTimeout) s, request head \(limits.maxHeadBytes) bytes\n")
        print(server.baseURL)
        fflush(nil)
        try await server.wait()
    }

    /// The reason in a socket error's text, without the system call and errno around it
    /// (`bind(descriptor:ptr:bytes:): Address already in use (errno: 98)` gives
    /// `Address already in use`), so that the message has no nested parentheses.
    static func reason(_ error: Error) -> String {
        var text = "\(error)"
        if text.hasSuffix(")"), let errno = text.range(of: " (errno: ", options: .backwards) { text = String(text[..<errno.lowerBound]) }
        if let call = text.range(of: "): ") { text = String(text[call.upperBound...]) }
        return text
    }
}
