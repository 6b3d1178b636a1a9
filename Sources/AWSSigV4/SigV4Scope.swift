import SigningCore

/// A SigV4 credential scope: `YYYYMMDD/REGION/SERVICE/aws4_request`.
public struct SigV4Scope: Hashable, Sendable, CustomStringConvertible {
    /// The date stamp `YYYYMMDD`, always the first 8 characters of the request's `X-Amz-Date`.
    public let dateStamp: String
    /// The signing region, e.g. `us-east-1`.
    public let region: String
    /// The signing service, e.g. `s3`.
    public let service: String

    /// The scope of a request made at `timestamp`.
    public init(timestamp: Timestamp, region: String, service: String) {
        self.dateStamp = timestamp.dateStamp
        self.region = region
        self.service = service
    }

    /// The scope string.
    public var description: String { "\(dateStamp)/\(region)/\(service)/aws4_request" }
}

/// A derived SigV4 signing key (`kSigning`), valid for one credential scope.
public struct SigV4SigningKey: Sendable {
    /// The 32 key bytes. Secret: never print them.
    public let bytes: [UInt8]

    /// Derives the key: `kDate = HMAC("AWS4" + secret, date)`, then region, service, `aws4_request`.
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html)
    public init(secretAccessKey: String, scope: SigV4Scope) {
        bytes = V4KeyDerivation.signingKey(prefix: "AWS4", secret: secretAccessKey, date: scope.dateStamp,
                                           region: scope.region, service: scope.service, terminator: "aws4_request")
    }
}
