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

        Credentials: --config FILE (JSON: s3.credentials, azure.accounts, azure.userDelegationKeyFiles, gcs.serviceAccountKeyFiles, gcs.publicKeys, gcs.hmacKeys), plus the public demo credentials unless --no-demo-credentials: S3 \(StorageServerConfiguration.Demo.s3AccessKeyID) / \(StorageServerConfiguration.Demo.s3SecretAccessKey), Azure UseDevelopmentStorage=true (devstoreaccount1), GCS HMAC \(StorageServerConfiguration.Demo.gcsHMACAccessID) / \(StorageServerConfiguration.Demo.gcsHMACSecret).

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

    @Option(help: ArgumentHelp("Check signatures as if the clock read TIME (for URLs signed at a known time).", valueName: "TIME"))
    var at: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535, not \(port).") }
        if noDemoCredentials && config == nil { throw ValidationError("--no-demo-credentials needs --config with the credentials to accept.") }
    }

    func run() async throws {
        var configuration = StorageServerConfiguration(root: URL(fileURLWithPath: root))
        configuration.host = host
        configuration.port = port
        if !noDemoCredentials { try configuration.addDemoCredentials() }
        if let config { try configuration.load(configFile: config) }
        configuration.fixedNow = try at.map { try Timestamp.parse($0) }
        let server: StorageServer
        do {
            server = try await StorageServer.start(configuration)
        } catch {
            throw CLIFailure.failed("Cannot listen on \(host):\(port) (\(error)). Pick another --port, or 0 for a free one.")
        }
        StandardError.write("presign serve: listening on \(server.baseURL), objects in \(configuration.root.path)\n")
        print(server.baseURL)
        fflush(nil)
        try await server.wait()
    }
}
