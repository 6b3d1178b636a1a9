import Foundation
import Synchronization

/// The secrets this process holds (access and refresh tokens, keys, client and app secrets,
/// signed assertions), so that text from elsewhere, a server's error message above all, can be
/// scrubbed of them before it is printed.
///
/// Clients register a secret when they load or receive it; whatever prints text a server sent
/// passes it through ``scrub(_:)`` first. Bearer and Basic credentials and `name=value`
/// assignments of secret names are scrubbed even when they were never registered.
public enum SecretRegistry {
    /// Shorter values are not registered: they would match ordinary words.
    public static let minimumLength = 8

    /// What a secret is replaced with.
    public static let placeholder = "REDACTED"

    /// Names whose values are secrets or signatures in query strings, form bodies and echoed
    /// requests (compared case-insensitively). `URLRedaction` hides the same names in URLs.
    public static let secretNames: Set<String> = [
        "x-amz-signature", "x-amz-security-token", "x-goog-signature", "sig", "signature",
        "access_token", "token", "code", "client_secret", "x-amz-credential-secret",
        "refresh_token", "id_token", "assertion", "key", "api_key", "apikey", "password", "upload_id",
    ]

    /// Every spelling of every registered secret, longest first.
    private static let spellings = Mutex<[String]>([])

    /// Remembers `secret` (and the spellings a server may echo it in: percent-encoded, JSON
    /// with escaped slashes) for ``scrub(_:)``. `nil`, empty and short values are ignored.
    public static func register(_ secret: String?) {
        guard let secret, secret.count >= minimumLength else { return }
        let forms = [secret, PercentEncoding.unreserved.encode(secret), secret.replacingOccurrences(of: "/", with: "\\/")]
        spellings.withLock { known in
            var changed = false
            for form in forms where !known.contains(form) {
                known.append(form)
                changed = true
            }
            if changed { known.sort { $0.count > $1.count } }
        }
    }

    /// `text` without any registered secret, bearer or basic credential, or value of a secret
    /// name (`refresh_token=...`): each becomes ``placeholder``.
    public static func scrub(_ text: String) -> String {
        var result = text
        for form in spellings.withLock({ $0 }) where result.contains(form) {
            result = result.replacingOccurrences(of: form, with: placeholder)
        }
        return scrubAssignments(scrubSchemes(result))
    }

    /// Bytes a token or a form value may consist of.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "-._~+/=%".utf8.contains(byte)
        }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        isTokenByte(byte) && byte != UInt8(ascii: "=") && byte != UInt8(ascii: "/") && byte != UInt8(ascii: "+") && byte != UInt8(ascii: "%")
    }

    /// `Bearer TOKEN` and `Basic TOKEN`: the token goes when it looks like a credential (long,
    /// or with digits or symbols), not when it is a word of prose ("Bearer tokens").
    private static func scrubSchemes(_ text: String) -> String {
        var bytes = Array(text.utf8), index = 0, changed = false
        while index < bytes.count {
            guard let scheme = ["bearer", "basic"].first(where: { matches(bytes, at: index, word: $0) }),
                  index == 0 || !isNameByte(bytes[index - 1]) else {
                index += 1
                continue
            }
            var start = index + scheme.utf8.count
            guard start < bytes.count, bytes[start] == UInt8(ascii: " ") else {
                index = start
                continue
            }
            while start < bytes.count, bytes[start] == UInt8(ascii: " ") { start += 1 }
            var end = tokenEnd(bytes, from: start, alsoAllowing: nil)
            let token = bytes[start..<end]
            let symbolic = token.contains { !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) && !(UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
            if token.count >= 20 || (token.count >= minimumLength && symbolic) {
                bytes.replaceSubrange(start..<end, with: placeholder.utf8)
                changed = true
                end = start + placeholder.utf8.count
            }
            index = end
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// `name=value` for every secret name, where `name` is a whole name.
    private static func scrubAssignments(_ text: String) -> String {
        guard text.contains("=") else { return text }
        var bytes = Array(text.utf8), index = 0, changed = false
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "=") else {
                index += 1
                continue
            }
            var nameStart = index
            while nameStart > 0, isNameByte(bytes[nameStart - 1]) { nameStart -= 1 }
            let name = String(decoding: bytes[nameStart..<index], as: UTF8.self).lowercased()
            var end = tokenEnd(bytes, from: index + 1, alsoAllowing: UInt8(ascii: ":"))
            if secretNames.contains(name), end > index + 1, !bytes[(index + 1)..<end].elementsEqual(placeholder.utf8) {
                bytes.replaceSubrange((index + 1)..<end, with: placeholder.utf8)
                changed = true
                end = index + 1 + placeholder.utf8.count
            }
            index = end
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// Where the token starting at `start` ends: token bytes (and `extra`), without a final `.`,
    /// which ends a sentence rather than a token.
    private static func tokenEnd(_ bytes: [UInt8], from start: Int, alsoAllowing extra: UInt8?) -> Int {
        var end = start
        while end < bytes.count, isTokenByte(bytes[end]) || bytes[end] == extra { end += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
        return end
    }

    /// Whether `bytes` at `index` spell `word`, ignoring ASCII case.
    private static func matches(_ bytes: [UInt8], at index: Int, word: String) -> Bool {
        let letters = Array(word.utf8)
        guard index + letters.count <= bytes.count else { return false }
        return zip(bytes[index..<index + letters.count], letters).allSatisfy { ($0 | 0x20) == $1 }
    }
}
