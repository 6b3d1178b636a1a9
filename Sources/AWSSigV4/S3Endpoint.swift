import SigningCore

/// How the bucket appears in an S3 URL.
public enum S3AddressingStyle: String, Sendable, CaseIterable {
    /// Virtual-hosted on AWS when the bucket name allows it, path style on custom endpoints.
    case automatic
    /// `https://HOST/BUCKET/KEY`.
    case path
    /// `https://BUCKET.HOST/KEY`.
    case virtualHosted
}

/// The scheme and authority of an S3-compatible service (MinIO, R2, a local server).
public typealias S3Endpoint = ServiceEndpoint

/// S3 bucket-name rules that decide addressing.
public enum S3BucketName {
    /// Throws `invalid-bucket` unless `name` could be an S3 bucket at all (3 to 255 of
    /// `A–Z a–z 0–9 . - _`, the legacy us-east-1 rule; newer buckets are stricter).
    public static func validate(_ name: String) throws {
        guard (3...255).contains(name.utf8.count),
              name.utf8.allSatisfy({ allowed.contains($0) })
        else {
            throw AWSSigV4Error(code: AWSSigV4Error.invalidBucket, message: "'\(name)' is not an S3 bucket name: it must be 3 to 63 characters of lower-case letters, digits, '.' and '-' (older buckets may also have upper case and '_'). Check the s3://BUCKET/KEY argument.")
        }
    }

    /// Whether `name` can be a virtual host label under TLS: 3–63 of `a–z 0–9 -`, starting and
    /// ending with a letter or digit, and no dots (a dot breaks the wildcard certificate).
    public static func isVirtualHostCompatible(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count), bytes.allSatisfy({ dnsLabel.contains($0) }),
              bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-")
        else { return false }
        return true
    }

    private static let allowed = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_".utf8))
    private static let dnsLabel = Set(Array("abcdefghijklmnopqrstuvwxyz0123456789-".utf8))
}
