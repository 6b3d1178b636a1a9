import AWSSigV4
import SigningCore

/// The validated arguments of `presign s3`, parsed without touching credentials.
struct S3Invocation {
    var bucket: String
    var key: String
    /// The region the target's AWS host names (`nil` for `s3://`); `--region` must agree with it.
    var hostRegion: String?
    var endpoint: S3Endpoint?
    var addressing: S3AddressingStyle
    var options: S3PresignOptions

    static func parse(_ command: S3Command) throws -> S3Invocation {
        let address = try S3ObjectAddress.parse(command.target)
        let bucket = address.bucket, key = address.key
        try S3BucketName.validate(bucket)
        if let hostRegion = address.region, let region = command.region, region != hostRegion {
            throw CLIFailure.usage("--region \(region) conflicts with the region \(hostRegion) of the URL's host; drop --region or give --region \(hostRegion).")
        }
        if command.keysFrom == nil && key.isEmpty {
            throw CLIFailure.usage("'\(command.target)' names no object key. Give s3://BUCKET/KEY, or use --keys-from to sign many keys.")
        }
        if command.keysFrom == nil { try S3ObjectKey.validate(Array(key.utf8)) }
        guard let method = S3Method(rawValue: command.method.uppercased()) else {
            throw CLIFailure.usage("--method must be GET, PUT, HEAD or DELETE, not '\(command.method)'.")
        }
        let seconds = try LifetimeArgument.seconds(command.expires, allowed: 1...SigV4.maximumExpirySeconds,
                                                   limit: "S3 allows: a presigned URL lives at most 7 days (604800 s)", suggestion: "--expires 7d or less")
        var headers: [SigV4.Header] = []
        if let contentType = command.contentType { headers.append((name: "content-type", value: contentType)) }
        headers += try command.headers.map(HeaderText.parse)
        let query = try command.queries.map(QueryText.parse)
        let endpoint = try command.endpoint.map { try S3Endpoint(parsing: $0) }
        let addressing: S3AddressingStyle = command.pathStyle ? .path : command.virtualHost ? .virtualHosted : .automatic
        let options = S3PresignOptions(method: method, expiresIn: seconds, headers: headers, query: query)
        let invocation = S3Invocation(bucket: bucket, key: key, hostRegion: address.region, endpoint: endpoint, addressing: addressing, options: options)
        try invocation.checkWithDummyCredentials()
        return invocation
    }

    /// Runs the presigner's own checks (addressing, headers, query) with throwaway credentials,
    /// so that bad flags are reported before credentials are looked up.
    private func checkWithDummyCredentials() throws {
        let dummy = try AWSCredentials(accessKeyID: "CHECK", secretAccessKey: "CHECK")
        let presigner = try S3Presigner(credentials: dummy, region: "us-east-1", endpoint: endpoint, addressing: addressing)
        _ = try presigner.batch(bucket: bucket, options: options, at: Timestamp(secondsSince1970: 0))
    }

    /// Said on stderr for a key with `.` or `..` segments (in batch mode after `line N: `).
    static let dotSegmentWarning = "warning: the key has './' or '../' segments; most HTTP clients remove them before sending (use curl --path-as-is), and some servers refuse such names."

    static func output(_ signed: SigV4PresignedURL, method: String, bucket: String, key: String, region: String) -> SignedURLOutput {
        SignedURLOutput(
            provider: "s3", method: method, url: signed.url, headers: signed.requiredHeaders,
            expiresAt: signed.expiresAt.rfc3339,
            extra: [
                ("bucket", JSONText.string(bucket)), ("key", JSONText.string(key)), ("region", JSONText.string(region)),
                ("signedHeaders", JSONText.array(signed.signedHeaders.map(JSONText.string))),
            ])
    }
}
