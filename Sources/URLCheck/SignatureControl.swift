/// A deliberately broken copy of a signed URL: the negative control that tells whether a server
/// judges the signature before it answers `100 Continue`.
///
/// Some S3-compatible servers (SeaweedFS, for one) answer `100 Continue` first and check the
/// signature only after reading the body, and may then store an empty object when the upload is
/// cut short. A `100 Continue` proves writability only from a server that refuses the broken copy.
public enum SignatureControl {
    /// The query parameters that carry a signature, by provider.
    static let signatureNames = ["x-amz-signature", "x-goog-signature", "signature", "sig"]

    /// `url` with one character of its signature changed, or `nil` when it has no signature.
    public static func tampered(_ url: String) -> String? {
        guard let queryStart = url.firstIndex(of: "?") else { return nil }
        var position = url.index(after: queryStart)
        while position < url.endIndex {
            let end = url[position...].firstIndex(of: "&") ?? url.endIndex
            let pair = url[position..<end]
            if let equals = pair.firstIndex(of: "="), signatureNames.contains(pair[..<equals].lowercased()) {
                let valueStart = pair.index(after: equals)
                guard valueStart < end else { return nil }
                // Different even to a server that compares signatures ignoring case.
                let replacement: Character = url[valueStart].lowercased() == "a" ? "B" : "A"
                return String(url[..<valueStart]) + String(replacement) + String(url[url.index(after: valueStart)...])
            }
            position = end < url.endIndex ? url.index(after: end) : end
        }
        return nil
    }
}
