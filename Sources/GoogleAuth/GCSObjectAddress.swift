import SigningCore

/// A GCS object (or bucket) named on the command line: `gs://BUCKET/OBJECT`, or Google's own
/// HTTPS URL forms `https://storage.googleapis.com/BUCKET/OBJECT` and
/// `https://BUCKET.storage.googleapis.com/OBJECT`.
public struct GCSObjectAddress: Sendable, Equatable {
    /// The bucket name.
    public var bucket: String
    /// The object name (literal in `gs://`, percent-decoded once in an `https://` URL); `nil`
    /// for a bucket-level URL.
    public var object: String?

    /// Creates an address from its parts.
    public init(bucket: String, object: String?) {
        self.bucket = bucket
        self.object = object
    }

    /// Parses `text`; throws `invalid-target` (with what to give instead) for anything else,
    /// including an HTTPS URL of another host, with a query or fragment, or a malformed `%` escape.
    public static func parse(_ text: String) throws -> GCSObjectAddress {
        func fail(_ why: String) -> GoogleAuthError {
            GoogleAuthError(code: "invalid-target", message: "'\(text)' \(why). Give gs://BUCKET/OBJECT, https://storage.googleapis.com/BUCKET/OBJECT or https://BUCKET.storage.googleapis.com/OBJECT.")
        }
        let path: String, hostBucket: String?
        if text.hasPrefix("gs://") {
            (path, hostBucket) = (String(text.dropFirst("gs://".count)), nil)
        } else {
            let url = try HTTPSObjectURL.parse(text, notHTTPS: "is not a gs:// or https:// URL", fail: fail)
            let suffix = ".storage.googleapis.com"
            if url.host == "storage.googleapis.com" {
                (path, hostBucket) = (url.path, nil)
            } else if url.host.hasSuffix(suffix), url.host.count > suffix.count {
                (path, hostBucket) = (url.path, String(url.host.dropLast(suffix.count)))
            } else {
                throw fail("is not on Google Cloud Storage's host (storage.googleapis.com)")
            }
        }
        let bucket = hostBucket ?? String(path.prefix { $0 != "/" })
        guard !bucket.isEmpty else { throw fail("names no bucket") }
        let object = hostBucket == nil ? String(path.dropFirst(bucket.count + 1)) : path
        // gs://BUCKET or gs://BUCKET/ names the bucket itself (e.g. to list objects).
        return GCSObjectAddress(bucket: bucket, object: object.isEmpty ? nil : object)
    }
}
