import SigningCore

/// An S3 object (or key prefix) named on the command line: `s3://BUCKET/KEY`, or one of AWS's own
/// HTTPS URL forms (`https://BUCKET.s3.REGION.amazonaws.com/KEY`,
/// `https://s3.REGION.amazonaws.com/BUCKET/KEY`, `https://BUCKET.s3.amazonaws.com/KEY`, the legacy
/// `s3-REGION` hosts, and `amazonaws.com.cn` for the China regions).
public struct S3ObjectAddress: Sendable, Equatable {
    /// The bucket name.
    public var bucket: String
    /// The key: literal in `s3://`, percent-decoded once in an `https://` URL; empty when none.
    public var key: String
    /// The region the host names; `nil` for `s3://` and the global `s3.amazonaws.com` host.
    public var region: String?

    /// Creates an address from its parts.
    public init(bucket: String, key: String, region: String? = nil) {
        self.bucket = bucket
        self.key = key
        self.region = region
    }

    /// Parses `text`; throws `invalid-bucket` (with what to give instead) for anything else,
    /// including an HTTPS URL of another host, with a query or fragment, or a malformed `%` escape.
    public static func parse(_ text: String) throws -> S3ObjectAddress {
        func fail(_ why: String) -> AWSSigV4Error {
            AWSSigV4Error(code: AWSSigV4Error.invalidBucket, message: "'\(text)' \(why). Give s3://BUCKET/KEY, https://BUCKET.s3.REGION.amazonaws.com/KEY or https://s3.REGION.amazonaws.com/BUCKET/KEY.")
        }
        if text.hasPrefix("s3://") {
            let rest = text.dropFirst("s3://".count)
            let bucket = String(rest.prefix { $0 != "/" })
            return S3ObjectAddress(bucket: bucket, key: String(rest.dropFirst(bucket.count + 1)))
        }
        let url = try HTTPSObjectURL.parse(text, notHTTPS: "is not an s3:// or https:// URL", fail: fail)
        let path = url.path
        guard let (hostBucket, region) = awsHost(url.host) else { throw fail("is not on an Amazon S3 host (s3.REGION.amazonaws.com or BUCKET.s3.REGION.amazonaws.com)") }
        if let hostBucket { return S3ObjectAddress(bucket: hostBucket, key: path, region: region) }
        let bucket = String(path.prefix { $0 != "/" })
        guard !bucket.isEmpty else { throw fail("names no bucket") }
        return S3ObjectAddress(bucket: bucket, key: String(path.dropFirst(bucket.count + 1)), region: region)
    }

    /// The bucket (virtual-hosted form) and region of an AWS S3 host; `nil` for another host.
    static func awsHost(_ host: String) -> (bucket: String?, region: String?)? {
        let rest = Substring(host)
        guard let suffix = [".amazonaws.com", ".amazonaws.com.cn"].first(where: { rest.hasSuffix($0) }) else { return nil }
        var labels = rest.dropLast(suffix.count).split(separator: ".", omittingEmptySubsequences: false)
        // The service label is the last `s3` or `s3-REGION`; what precedes it is the bucket.
        guard let index = labels.lastIndex(where: { $0 == "s3" || $0.hasPrefix("s3-") }) else { return nil }
        var region: String?
        if labels[index].hasPrefix("s3-") { region = String(labels[index].dropFirst(3)) }
        let after = labels[(index + 1)...]
        switch after.count {
        case 0: break
        case 1 where region == nil: region = String(after[after.startIndex])
        default: return nil
        }
        labels.removeSubrange(index...)
        if region == "external-1" { region = "us-east-1" }
        let bucket = labels.isEmpty ? nil : labels.joined(separator: ".")
        if bucket?.isEmpty == true { return nil }
        return (bucket, region)
    }
}
