import Foundation

/// Each provider's naming rules for buckets, accounts and containers, checked before any path
/// is made from a name (so `.`, `..` and `%2e%2e` never reach the file system).
public enum StorageNames {
    static let digits = Set("0123456789")
    static let lowerAlphanumerics = Set("abcdefghijklmnopqrstuvwxyz0123456789")

    static func isIPv4(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(digits.contains) }
    }

    /// Starts and ends with a lower-case letter or digit; every character in `alphabet`.
    static func shaped(_ name: String, lengths: ClosedRange<Int>, alphabet: Set<Character>) -> Bool {
        guard lengths.contains(name.count), let first = name.first, let last = name.last else { return false }
        return lowerAlphanumerics.contains(first) && lowerAlphanumerics.contains(last) && name.allSatisfy(alphabet.contains)
    }

    /// S3 general-purpose buckets: 3-63 of `a-z 0-9 . -`, letter or digit at both ends, no `..`,
    /// not an IPv4 address, none of the reserved prefixes and suffixes.
    public static func isS3Bucket(_ name: String) -> Bool {
        shaped(name, lengths: 3...63, alphabet: lowerAlphanumerics.union(".-")) && !name.contains("..") && !isIPv4(name)
            && !["xn--", "sthree-", "amzn-s3-demo-"].contains(where: name.hasPrefix)
            && !["-s3alias", "--ol-s3", "--x-s3", "--table-s3", ".mrap"].contains(where: name.hasSuffix)
    }

    /// Azure storage accounts: 3-24 lower-case letters and digits.
    public static func isAzureAccount(_ name: String) -> Bool {
        (3...24).contains(name.count) && name.allSatisfy(lowerAlphanumerics.contains)
    }

    /// Azure containers: 3-63 of `a-z 0-9 -`, letter or digit at both ends, no `--`.
    public static func isAzureContainer(_ name: String) -> Bool {
        shaped(name, lengths: 3...63, alphabet: lowerAlphanumerics.union("-")) && !name.contains("--")
    }

    /// GCS buckets: 3-63 of `a-z 0-9 - _ .` (222 with dots, each part at most 63), letter or digit
    /// at both ends, no empty part, not an IPv4 address, no `goog` prefix, no `google`.
    public static func isGCSBucket(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return shaped(name, lengths: 3...(parts.count > 1 ? 222 : 63), alphabet: lowerAlphanumerics.union("-_."))
            && parts.allSatisfy { (1...63).contains($0.count) } && !isIPv4(name) && !name.hasPrefix("goog") && !name.contains("google")
    }

    /// GCS objects: 1-1024 bytes of UTF-8, not `.` or `..`, no line breaks.
    public static func isGCSObject(_ name: String) -> Bool {
        (1...1024).contains(name.utf8.count) && name != "." && name != ".." && !name.contains("\r") && !name.contains("\n")
    }
}
