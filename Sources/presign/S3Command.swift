import ArgumentParser
import AWSCredentialProviders
import AWSSigV4
import Foundation
import SigningCore

/// `presign s3 s3://BUCKET/KEY`: an S3 SigV4 presigned URL (query-string authentication).
struct S3Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "s3",
        abstract: "Presign an S3 (or S3-compatible) object URL with SigV4.",
        discussion: """
        Credentials: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), otherwise the profile (--profile, AWS_PROFILE, 'default') in AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials) and AWS_CONFIG_FILE (~/.aws/config).

        Target: s3://BUCKET/KEY (the key taken literally, no percent-decoding), or the object's AWS URL: https://BUCKET.s3.REGION.amazonaws.com/KEY, https://s3.REGION.amazonaws.com/BUCKET/KEY or https://BUCKET.s3.amazonaws.com/KEY (the path percent-decoded once; the region taken from the host unless --region, which must then agree).

        Hosts: without --endpoint, https://BUCKET.s3.REGION.amazonaws.com/KEY (path style on s3.REGION.amazonaws.com when the bucket is not a DNS label); with --endpoint, path style unless --virtual-host (which needs a host name, not an IP address).

        Batch: --keys-from FILE (or - for stdin) signs s3://BUCKET/PREFIX + each line, streaming, one output line per input line in order. A bad line is reported on stderr with its number, leaves an empty output line (or a JSON object with "error"), and makes the exit code 1; a key with './' or '../' segments is signed with a warning on stderr naming its line. --curl does not apply to a batch.

        Examples:
          presign s3 s3://photos/in/cat.jpg --expires 2h
          presign s3 https://photos.s3.eu-west-3.amazonaws.com/in/cat%20one.jpg
          presign s3 s3://photos/out/cat.jpg --method PUT --content-type image/jpeg --curl
          presign s3 s3://bucket/k.txt --endpoint http://127.0.0.1:9000 --json
          presign s3 s3://photos/ --keys-from keys.txt > urls.txt

        """
    )

    @Argument(help: ArgumentHelp("The object: s3://BUCKET/KEY or https://BUCKET.s3.REGION.amazonaws.com/KEY (with --keys-from: s3://BUCKET/ or s3://BUCKET/PREFIX).", valueName: "s3://BUCKET/KEY"))
    var target: String

    @Option(help: "HTTP method the URL is for: GET, PUT, HEAD or DELETE.")
    var method: String = "GET"

    @Option(help: ArgumentHelp("Lifetime, at most 7d: seconds or a number with ms, s, m, h, d.", valueName: "DURATION"))
    var expires: String = "1h"

    @Option(help: "Signing region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else us-east-1).")
    var region: String?

    @Option(help: ArgumentHelp("S3-compatible endpoint, e.g. http://127.0.0.1:9000 (MinIO, R2, a local server).", valueName: "URL"))
    var endpoint: String?

    @Flag(help: "Path-style addressing: ENDPOINT/BUCKET/KEY.")
    var pathStyle = false

    @Flag(help: "Virtual-hosted addressing: BUCKET.ENDPOINT/KEY.")
    var virtualHost = false

    @Option(help: ArgumentHelp("Signed Content-Type the uploader must send.", valueName: "TYPE"))
    var contentType: String?

    @Option(name: .customLong("header"), help: ArgumentHelp("Extra signed header 'Name: value' (repeatable).", valueName: "NAME: VALUE"))
    var headers: [String] = []

    @Option(name: .customLong("query"), help: ArgumentHelp("Extra signed query parameter name=value, raw (repeatable).", valueName: "NAME=VALUE"))
    var queries: [String] = []

    @Option(help: "Profile in the shared credentials/config files (default: AWS_PROFILE, else default).")
    var profile: String?

    @Option(help: ArgumentHelp("Batch: sign s3://BUCKET/PREFIX + each line of FILE ('-' for stdin).", valueName: "FILE"))
    var keysFrom: String?

    @OptionGroup var output: SigningOutputOptions

    func validate() throws {
        if pathStyle && virtualHost { throw ValidationError("--path-style and --virtual-host cannot be combined; pick one addressing style.") }
        if keysFrom != nil && output.curl { throw ValidationError("--curl does not apply to --keys-from (one URL per line); use the plain output or --json, whose objects carry the headers to send.") }
    }

    func run() throws {
        // Flags first, so a bad flag is reported before credentials are looked up.
        let invocation = try S3Invocation.parse(self)
        let config = try AWSCredentialResolver().resolve(explicitProfile: profile)
        let region = region ?? invocation.hostRegion ?? config.region ?? "us-east-1"
        let presigner = try S3Presigner(
            credentials: config.credentials, region: region, endpoint: invocation.endpoint, addressing: invocation.addressing)
        let timestamp = try output.signingTime()
        if config.credentials.sessionToken != nil {
            StandardError.write("note: these are temporary credentials; the URL stops working when their session expires, whatever --expires says.\n")
        }
        if let keysFrom {
            let batch = try presigner.batch(bucket: invocation.bucket, options: invocation.options, at: timestamp)
            let ok = try S3BatchRunner(batch: batch, prefix: invocation.key, method: invocation.options.method.rawValue, output: output)
                .run(source: keysFrom)
            if !ok { throw ExitCode(1) }
            return
        }
        let signed = try presigner.presign(bucket: invocation.bucket, key: invocation.key, options: invocation.options, at: timestamp)
        if SignedURLOutput.hasDotSegments(invocation.key) { StandardError.write(S3Invocation.dotSegmentWarning + "\n") }
        let result = S3Invocation.output(signed, method: invocation.options.method.rawValue, bucket: invocation.bucket, key: invocation.key, region: region)
        result.emit(json: output.json, curl: output.curl, name: invocation.key, fallback: "object")
    }
}
