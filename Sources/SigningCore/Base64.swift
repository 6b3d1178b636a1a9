/// Base64 (RFC 4648 section 4) and base64url (section 5) encoding and strict decoding.
public enum Base64 {
    /// Which of the two RFC 4648 alphabets to use.
    public enum Alphabet: Sendable {
        /// `A–Z a–z 0–9 + /` with `=` padding.
        case standard
        /// `A–Z a–z 0–9 - _`, unpadded when encoding (as JWTs use it).
        case url

        var table: [UInt8] {
            switch self {
            case .standard: return Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
            case .url: return Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
            }
        }
    }

    /// Encodes `bytes`; the standard alphabet pads with `=`, the URL alphabet does not.
    public static func encode<Bytes: Collection>(_ bytes: Bytes, alphabet: Alphabet = .standard) -> String
    where Bytes.Element == UInt8 {
        let table = alphabet.table
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index + 2 < input.count {
            let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            out.append(table[Int(chunk >> 18 & 63)])
            out.append(table[Int(chunk >> 12 & 63)])
            out.append(table[Int(chunk >> 6 & 63)])
            out.append(table[Int(chunk & 63)])
            index += 3
        }
        let rest = input.count - index
        if rest > 0 {
            let chunk = UInt32(input[index]) << 16 | (rest == 2 ? UInt32(input[index + 1]) << 8 : 0)
            out.append(table[Int(chunk >> 18 & 63)])
            out.append(table[Int(chunk >> 12 & 63)])
            if rest == 2 { out.append(table[Int(chunk >> 6 & 63)]) }
            if alphabet == .standard { out.append(contentsOf: Array(repeating: UInt8(ascii: "="), count: 3 - rest)) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `text`; `nil` when it holds a character outside the alphabet or has a bad length.
    ///
    /// Padding is optional for both alphabets; white space is not accepted.
    public static func decode(_ text: String, alphabet: Alphabet = .standard) -> [UInt8]? {
        var values: [UInt8] = []
        values.reserveCapacity(text.utf8.count)
        var lookup = [UInt8](repeating: 0xFF, count: 256)
        for (index, symbol) in alphabet.table.enumerated() { lookup[Int(symbol)] = UInt8(index) }
        var padding = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "=") { padding += 1; continue }
            guard padding == 0, lookup[Int(byte)] != 0xFF else { return nil }
            values.append(lookup[Int(byte)])
        }
        guard padding <= 2, values.count % 4 != 1 else { return nil }
        if padding > 0 && (values.count + padding) % 4 != 0 { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 3 / 4)
        var index = 0
        while index < values.count {
            let group = values[index..<min(index + 4, values.count)]
            var chunk: UInt32 = 0
            for (offset, value) in group.enumerated() { chunk |= UInt32(value) << (18 - 6 * UInt32(offset)) }
            out.append(UInt8(chunk >> 16 & 0xFF))
            if group.count > 2 { out.append(UInt8(chunk >> 8 & 0xFF)) }
            if group.count > 3 { out.append(UInt8(chunk & 0xFF)) }
            index += 4
        }
        return out
    }
}
