/// A deliberately broken copy of a signed URL: the negative control that tells whether a server
/// judges the signature before it answers `100 Continue`.
///
/// Some S3-compatible servers (SeaweedFS, for one) answer `100 Continue` first and check the
/// signature only after reading the body, and may then store an empty object when the upload is
/// cut short. A `100 Continue` proves writability only from a server that refuses the broken copy.
public enum SignatureControl {
    /// The query parameters that carry a signature, by provider.
    static let signatureNames = ["x-amz-signature", "x-goog-signature", "signature", "sig"]

    /// `url` with its signature replaced by as many `0`s (`1`s if it already is all `0`s), or
    /// `nil` when it has no signature. Replacing the whole value, not one character, keeps the
    /// control wrong even when `url` is itself one edit away from a valid URL.
    public static func tampered(_ url: String) -> String? {
        guard let queryStart = url.firstIndex(of: "?") else { return nil }
        var position = url.index(after: queryStart)
        while position < url.endIndex {
            let end = url[position...].firstIndex(of: "&") ?? url.endIndex
            let pair = url[position..<end]
            if let equals = pair.firstIndex(of: "="), signatureNames.contains(pair[..<equals].lowercased()) {
                let value = url[pair.index(after: equals)..<end]
                guard !value.isEmpty else { return nil }
                let filler: Character = value.allSatisfy { $0 == "0" } ? "1" : "0"
                return String(url[..<value.startIndex]) + String(repeating: filler, count: value.count) + String(url[end...])
            }
            position = end < url.endIndex ? url.index(after: end) : end
        }
        return nil
    }
}
