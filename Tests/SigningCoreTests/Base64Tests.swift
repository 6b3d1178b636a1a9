import Foundation
import TestSupport
import Testing
import SigningCore

@Suite("Base64")
struct Base64Tests {
    /// RFC 4648 section 10 test vectors: (input, standard encoding).
    static let rfc4648: [Vector<String, String>] = [
        Vector("BASE64(\"\")", "", ""),
        Vector("BASE64(\"f\")", "f", "Zg=="),
        Vector("BASE64(\"fo\")", "fo", "Zm8="),
        Vector("BASE64(\"foo\")", "foo", "Zm9v"),
        Vector("BASE64(\"foob\")", "foob", "Zm9vYg=="),
        Vector("BASE64(\"fooba\")", "fooba", "Zm9vYmE="),
        Vector("BASE64(\"foobar\")", "foobar", "Zm9vYmFy"),
    ]

    @Test("standard alphabet: RFC 4648 section 10 encode and decode", arguments: rfc4648)
    func standard(_ vector: Vector<String, String>) {
        let input = Array(vector.input.utf8)
        #expect(Base64.encode(input) == vector.expected)
        #expect(Base64.encode(input, alphabet: .standard) == vector.expected)
        #expect(Base64.decode(vector.expected) == input)
        // Padding is optional on decode.
        #expect(Base64.decode(vector.expected.replacingOccurrences(of: "=", with: "")) == input)
    }

    @Test("url alphabet: RFC 4648 section 10 vectors, unpadded on encode", arguments: rfc4648)
    func url(_ vector: Vector<String, String>) {
        let input = Array(vector.input.utf8)
        let unpadded = vector.expected.replacingOccurrences(of: "=", with: "")
        #expect(Base64.encode(input, alphabet: .url) == unpadded)
        #expect(Base64.decode(unpadded, alphabet: .url) == input)
        #expect(Base64.decode(vector.expected, alphabet: .url) == input)
    }

    /// Bytes that hit the two alphabet-specific symbols (62 and 63).
    static let alphabetSpecific: [Vector<[UInt8], [String]>] = [
        Vector("0xfb 0xff -> 62, 63", [0xfb, 0xff], ["+/8=", "-_8"]),
        Vector("0xff 0xff 0xff -> 63 x4", [0xff, 0xff, 0xff], ["////", "____"]),
        Vector("0xfb 0xef 0xbe -> 62 x4", [0xfb, 0xef, 0xbe], ["++++", "----"]),
        Vector("0x00 0x00 0x00", [0, 0, 0], ["AAAA", "AAAA"]),
        Vector("0x14 0xfb 0x9c 0x03 0xd9 0x7e (RFC 4648 section 9 example)", [0x14, 0xfb, 0x9c, 0x03, 0xd9, 0x7e], ["FPucA9l+", "FPucA9l-"]),
        Vector("0x14 0xfb 0x9c 0x03 0xd9 (RFC 4648 section 9)", [0x14, 0xfb, 0x9c, 0x03, 0xd9], ["FPucA9k=", "FPucA9k"]),
        Vector("0x14 0xfb 0x9c 0x03 (RFC 4648 section 9)", [0x14, 0xfb, 0x9c, 0x03], ["FPucAw==", "FPucAw"]),
    ]

    @Test("symbols 62 and 63 differ between the alphabets", arguments: alphabetSpecific)
    func alphabetSymbols(_ vector: Vector<[UInt8], [String]>) {
        let (standard, url) = (vector.expected[0], vector.expected[1])
        #expect(Base64.encode(vector.input) == standard)
        #expect(Base64.encode(vector.input, alphabet: .url) == url)
        #expect(Base64.decode(standard) == vector.input)
        #expect(Base64.decode(url, alphabet: .url) == vector.input)
        if standard.contains(where: { "+/".contains($0) }) {
            #expect(Base64.decode(standard, alphabet: .url) == nil, "url alphabet must reject + and /")
            #expect(Base64.decode(url) == nil, "standard alphabet must reject - and _")
        }
    }

    static let rejected: [Named<String>] = [
        Named("one symbol: A", "A"),
        Named("one symbol, three pads: A===", "A==="),
        Named("five symbols: AAAAA", "AAAAA"),
        Named("bad characters: @@@@", "@@@@"),
        Named("embedded '=': Zg==Zg==", "Zg==Zg=="),
        Named("embedded '=': Zm=9v", "Zm=9v"),
        Named("leading '=': =Zm9v", "=Zm9v"),
        Named("pad only: =", "="),
        Named("pads only: ====", "===="),
        Named("three pads: Zg===", "Zg==="),
        Named("wrong pad count: Zg=", "Zg="),
        Named("wrong pad count: Zm8==", "Zm8=="),
        Named("space inside: Zm9v YmFy", "Zm9v YmFy"),
        Named("newline at end", "Zm9v\n"),
        Named("CRLF inside", "Zm9v\r\nYmFy"),
        Named("tab", "\tZm9v"),
        Named("url symbol in standard: Zm9v-_", "Zm9v-_"),
        Named("non-ASCII: Zm9vé", "Zm9vé"),
        Named("NUL byte", "Zm9v\u{0}"),
        Named("percent-encoded pad: Zg%3D%3D", "Zg%3D%3D"),
    ]

    @Test("standard decode rejects", arguments: rejected)
    func rejects(_ input: Named<String>) {
        #expect(Base64.decode(input.input) == nil)
    }

    @Test("url decode rejects", arguments: rejected.filter { $0.input != "Zm9v-_" } + [Named("standard symbols in url: Zm9v+/", "Zm9v+/")])
    func urlRejects(_ input: Named<String>) {
        #expect(Base64.decode(input.input, alphabet: .url) == nil)
    }

    @Test("empty input decodes to no bytes in both alphabets")
    func emptyDecode() {
        #expect(Base64.decode("") == [])
        #expect(Base64.decode("", alphabet: .url) == [])
    }

    @Test("encode accepts any byte collection (Data, slices)")
    func collections() {
        #expect(Base64.encode(Data("foobar".utf8)) == "Zm9vYmFy")
        let bytes = Array("xxfooxx".utf8)
        #expect(Base64.encode(bytes[2..<5]) == "Zm9v")
        #expect(Base64.encode(bytes[2..<4], alphabet: .url) == "Zm8")
    }

    @Test("round trip over random byte arrays of length 0...100 (seeded)", arguments: [Base64.Alphabet.standard, .url])
    func roundTrip(_ alphabet: Base64.Alphabet) {
        var rng = SeededGenerator(seed: alphabet == .standard ? 0x5EED_0001 : 0x5EED_0002)
        for length in 0...100 {
            for _ in 0..<5 {
                let input = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
                let encoded = Base64.encode(input, alphabet: alphabet)
                let padded = alphabet == .standard
                #expect(encoded.count == (padded ? (length + 2) / 3 * 4 : (length * 4 + 2) / 3), "length \(length)")
                #expect(Base64.decode(encoded, alphabet: alphabet) == input, "length \(length)")
                // Cross-check the standard alphabet against Foundation.
                if padded {
                    #expect(encoded == Data(input).base64EncodedString(), "length \(length)")
                } else {
                    let foundation = Data(input).base64EncodedString()
                        .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                        .replacingOccurrences(of: "=", with: "")
                    #expect(encoded == foundation, "length \(length)")
                }
            }
        }
    }
}
