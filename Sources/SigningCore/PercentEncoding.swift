/// RFC 3986 percent-encoding with the byte sets that signing schemes need.
///
/// Every byte of the UTF-8 form outside the allowed set becomes `%XX` with upper-case hex;
/// a space is always `%20`, never `+`.
public struct PercentEncoding: Sendable {
    /// Bit `b` of this 128-bit set is 1 when ASCII byte `b` is left as it is.
    private let low: UInt64
    private let high: UInt64

    /// Creates an encoder that leaves the ASCII characters of `allowedCharacters` as they are.
    public init(allowing allowedCharacters: String) {
        var low: UInt64 = 0, high: UInt64 = 0
        for byte in allowedCharacters.utf8 where byte < 0x80 {
            if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        }
        self.low = low
        self.high = high
    }

    static let unreservedCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

    /// RFC 3986 unreserved characters (`A–Z a–z 0–9 - . _ ~`): AWS `UriEncode`, GCS V4, query names and values.
    public static let unreserved = PercentEncoding(allowing: unreservedCharacters)

    /// Unreserved characters plus `/`: object keys in a path.
    public static let path = PercentEncoding(allowing: unreservedCharacters + "/")

    /// Encodes the UTF-8 bytes of `text`.
    public func encode(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        append(text.utf8, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the encoded form of `bytes` to `output`.
    public func append<Bytes: Sequence>(_ bytes: Bytes, to output: inout [UInt8]) where Bytes.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { append(UnsafeRawBufferPointer($0), to: &output) }
        if done == nil { append(Array(bytes), to: &output) }
    }

    /// Appends the encoded form of `bytes` to `output`: runs of allowed bytes are copied whole.
    public func append(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        var runStart = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if !allows(byte) {
                if runStart < index { output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index])) }
                output.append(UInt8(ascii: "%"))
                output.append(Self.upperHexDigit(byte >> 4))
                output.append(Self.upperHexDigit(byte & 0x0F))
                runStart = index + 1
            }
            index += 1
        }
        if runStart < bytes.count { output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart...])) }
    }

    /// Whether `byte` is left as it is.
    @inline(__always)
    public func allows(_ byte: UInt8) -> Bool {
        byte < 64 ? (low >> UInt64(byte)) & 1 == 1 : byte < 128 ? (high >> UInt64(byte - 64)) & 1 == 1 : false
    }

    @inline(__always)
    private static func upperHexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }

    /// Decodes `%XX` escapes; `nil` for a malformed escape or bytes that are not UTF-8.
    ///
    /// With `plusAsSpace` a `+` becomes a space (HTML form encoding).
    public static func decode(_ text: String, plusAsSpace: Bool = false) -> String? {
        guard let bytes = decodeBytes(text, plusAsSpace: plusAsSpace) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Decodes `%XX` escapes to raw bytes; `nil` for a malformed escape.
    public static func decodeBytes(_ text: String, plusAsSpace: Bool = false) -> [UInt8]? {
        let input = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%") {
                guard let decoded = escape(in: input, at: index) else { return nil }
                out.append(decoded)
                index += 3
            } else {
                out.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return out
    }

    /// The byte that the `%XX` escape at `index` of `bytes` stands for; `nil` when there is no
    /// well-formed escape there.
    public static func escape(in bytes: [UInt8], at index: Int) -> UInt8? {
        guard index >= 0, index + 2 < bytes.count, bytes[index] == UInt8(ascii: "%"),
              let high = Hex.value(of: bytes[index + 1]), let low = Hex.value(of: bytes[index + 2])
        else { return nil }
        return high << 4 | low
    }
}
