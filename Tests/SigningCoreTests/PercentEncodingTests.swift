import Foundation
import TestSupport
import Testing
import SigningCore

@Suite("PercentEncoding")
struct PercentEncodingTests {
    static let unreservedCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"

    /// (input, `.unreserved` encoding, `.path` encoding)
    static let vectors: [Vector<String, [String]>] = [
        Vector("empty", "", ["", ""]),
        Vector("unreserved set kept", unreservedCharacters, [unreservedCharacters, unreservedCharacters]),
        Vector("space is %20, never +", "a b", ["a%20b", "a%20b"]),
        Vector("plus is encoded", "a+b", ["a%2Bb", "a%2Bb"]),
        Vector("tilde kept", "~user", ["~user", "~user"]),
        Vector("slash only kept by .path", "photos/2024/a.jpg", ["photos%2F2024%2Fa.jpg", "photos/2024/a.jpg"]),
        Vector("é is two bytes", "é", ["%C3%A9", "%C3%A9"]),
        Vector("decomposed é (e + U+0301)", "e\u{301}", ["e%CC%81", "e%CC%81"]),
        Vector("emoji is four bytes", "😀", ["%F0%9F%98%80", "%F0%9F%98%80"]),
        Vector("CJK is three bytes", "東京", ["%E6%9D%B1%E4%BA%AC", "%E6%9D%B1%E4%BA%AC"]),
        Vector("upper-case hex digits", "\u{7F}\u{1B}:", ["%7F%1B%3A", "%7F%1B%3A"]),
        Vector("percent itself", "100%", ["100%25", "100%25"]),
        Vector("reserved gen-delims", ":/?#[]@", ["%3A%2F%3F%23%5B%5D%40", "%3A/%3F%23%5B%5D%40"]),
        Vector("reserved sub-delims", "!$&'()*+,;=", ["%21%24%26%27%28%29%2A%2B%2C%3B%3D", "%21%24%26%27%28%29%2A%2B%2C%3B%3D"]),
        Vector("other ASCII", "\"<>\\^`{|}", ["%22%3C%3E%5C%5E%60%7B%7C%7D", "%22%3C%3E%5C%5E%60%7B%7C%7D"]),
        Vector("control characters", "\u{0}\t\n\r", ["%00%09%0A%0D", "%00%09%0A%0D"]),
        Vector("double slash and leading slash kept by .path", "/a//b/", ["%2Fa%2F%2Fb%2F", "/a//b/"]),
        Vector("AWS UriEncode example key", "my folder/résumé (1).pdf",
               ["my%20folder%2Fr%C3%A9sum%C3%A9%20%281%29.pdf", "my%20folder/r%C3%A9sum%C3%A9%20%281%29.pdf"]),
    ]

    @Test("encode with .unreserved and .path", arguments: vectors)
    func encode(_ vector: Vector<String, [String]>) {
        #expect(PercentEncoding.unreserved.encode(vector.input) == vector.expected[0])
        #expect(PercentEncoding.path.encode(vector.input) == vector.expected[1])
        // Decoding either form gives the text back.
        #expect(PercentEncoding.decode(vector.expected[0]) == vector.input)
        #expect(PercentEncoding.decode(vector.expected[1]) == vector.input)
    }

    @Test("every byte: exactly the unreserved set (plus / for .path) is kept, the rest is %XX upper case")
    func everyByte() {
        for byte in UInt8.min...UInt8.max {
            var unreserved: [UInt8] = [], path: [UInt8] = []
            PercentEncoding.unreserved.append([byte], to: &unreserved)
            PercentEncoding.path.append([byte], to: &path)
            let keep = byte < 0x80 && Self.unreservedCharacters.utf8.contains(byte)
            let escaped = Array(String(format: "%%%02X", byte).utf8)
            #expect(unreserved == (keep ? [byte] : escaped), "byte \(byte)")
            #expect(path == (keep || byte == UInt8(ascii: "/") ? [byte] : escaped), "byte \(byte)")
            #expect(PercentEncoding.unreserved.allows(byte) == keep)
            #expect(PercentEncoding.path.allows(byte) == (keep || byte == UInt8(ascii: "/")))
        }
    }

    @Test("custom sets ignore non-ASCII characters")
    func customSet() {
        let encoder = PercentEncoding(allowing: "abc/é")
        #expect(encoder.encode("a/b é d") == "a/b%20%C3%A9%20%64")
        #expect(!encoder.allows(0xC3))
        #expect(!encoder.allows(0xA9))
    }

    @Test("append adds to existing output")
    func append() {
        var out = Array("k=".utf8)
        PercentEncoding.unreserved.append(Array("a b".utf8), to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "k=a%20b")
    }

    @Test("decode", arguments: [
        Vector("plain", "abc", "abc"),
        Vector("empty", "", ""),
        Vector("%20", "a%20b", "a b"),
        Vector("lower-case hex", "%c3%a9", "é"),
        Vector("upper-case hex", "%C3%A9", "é"),
        Vector("mixed-case hex", "%c3%A9", "é"),
        Vector("emoji", "%F0%9F%98%80", "😀"),
        Vector("plus stays plus by default", "a+b", "a+b"),
        Vector("%2B is plus", "a%2Bb", "a+b"),
        Vector("escape at the very end", "ab%41", "abA"),
        Vector("escaped percent then digits", "%2541", "%41"),
        Vector("unescaped non-ASCII passes through", "é+ü", "é+ü"),
    ])
    func decode(_ vector: Vector<String, String>) {
        #expect(PercentEncoding.decode(vector.input) == vector.expected)
    }

    @Test("decode rejects malformed escapes and non-UTF-8 results", arguments: [
        Named("%zz", "%zz"),
        Named("truncated %4", "%4"),
        Named("truncated % at end", "abc%"),
        Named("lone %", "%"),
        Named("one bad digit %4g", "%4g"),
        Named("%-1", "%-1"),
        Named("% then space", "% 20"),
        Named("invalid UTF-8 %FF", "%FF"),
        Named("truncated UTF-8 sequence %C3", "%C3"),
        Named("overlong encoding %C0%AF", "%C0%AF"),
        Named("UTF-16 surrogate %ED%A0%80", "%ED%A0%80"),
    ])
    func decodeRejects(_ input: Named<String>) {
        #expect(PercentEncoding.decode(input.input) == nil)
    }

    @Test("decodeBytes keeps non-UTF-8 bytes and still rejects malformed escapes")
    func decodeBytes() {
        #expect(PercentEncoding.decodeBytes("%FF%00a") == [0xFF, 0x00, UInt8(ascii: "a")])
        #expect(PercentEncoding.decodeBytes("%C3") == [0xC3])
        #expect(PercentEncoding.decodeBytes("%zz") == nil)
        #expect(PercentEncoding.decodeBytes("%4") == nil)
        #expect(PercentEncoding.decodeBytes("a+b", plusAsSpace: true) == Array("a b".utf8))
    }

    @Test("plusAsSpace")
    func plusAsSpace() {
        #expect(PercentEncoding.decode("a+b", plusAsSpace: true) == "a b")
        #expect(PercentEncoding.decode("a+b", plusAsSpace: false) == "a+b")
        #expect(PercentEncoding.decode("a%2Bb+c", plusAsSpace: true) == "a+b c")
        #expect(PercentEncoding.decode("++", plusAsSpace: true) == "  ")
        #expect(PercentEncoding.decode("%zz+", plusAsSpace: true) == nil)
    }

    @Test("round trip over random Unicode strings (seeded)")
    func roundTrip() {
        var rng = SeededGenerator(seed: 0x9E5C)
        let pool: [Character] = Array("aZ09-._~ /+%?&=#é東😀\u{0}\n\u{7F}ß€")
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...24, using: &rng)).map { _ in pool.randomElement(using: &rng)! })
            for encoder in [PercentEncoding.unreserved, .path] {
                let encoded = encoder.encode(text)
                #expect(encoded.utf8.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "+") })
                #expect(PercentEncoding.decode(encoded) == text)
                #expect(PercentEncoding.decode(encoded, plusAsSpace: true) == text)
            }
        }
    }
}
