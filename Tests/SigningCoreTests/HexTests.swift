import Foundation
import TestSupport
import Testing
import SigningCore

@Suite("Hex")
struct HexTests {
    static let vectors: [Vector<[UInt8], String>] = [
        Vector("empty", [], ""),
        Vector("zero byte", [0x00], "00"),
        Vector("one byte 0x0f", [0x0f], "0f"),
        Vector("0xff", [0xff], "ff"),
        Vector("deadbeef", [0xde, 0xad, 0xbe, 0xef], "deadbeef"),
        Vector("all nibbles", [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef], "0123456789abcdef"),
    ]

    @Test("encode is lower case; decode inverts it", arguments: vectors)
    func encodeDecode(_ vector: Vector<[UInt8], String>) {
        #expect(Hex.encode(vector.input) == vector.expected)
        #expect(Hex.decode(vector.expected) == vector.input)
    }

    @Test("decode accepts upper and mixed case", arguments: [
        Vector("upper", "DEADBEEF", [0xde, 0xad, 0xbe, 0xef] as [UInt8]),
        Vector("mixed", "DeAdBeEf", [0xde, 0xad, 0xbe, 0xef]),
        Vector("upper A-F", "ABCDEF", [0xab, 0xcd, 0xef]),
    ])
    func upperCase(_ vector: Vector<String, [UInt8]>) {
        #expect(Hex.decode(vector.input) == vector.expected)
    }

    @Test("decode rejects", arguments: [
        Named("odd length: a", "a"),
        Named("odd length: abc", "abc"),
        Named("bad digit g", "0g"),
        Named("bad digit G", "G0"),
        Named("space", "de ad"),
        Named("0x prefix", "0xdead"),
        Named("minus", "-1"),
        Named("non-ASCII (two UTF-8 bytes)", "é"),
        Named("newline", "dead\n"),
        Named("digit just past 9 (':')", "0:"),
        Named("digit just before 0 ('/')", "/0"),
        Named("letter just past f ('g')", "fg"),
        Named("letter just before a ('`')", "`a"),
        Named("letter just before A ('@')", "@A"),
    ])
    func rejects(_ input: Named<String>) {
        #expect(Hex.decode(input.input) == nil)
    }

    @Test("value(of:) for every byte")
    func digitValues() {
        for byte in UInt8.min...UInt8.max {
            let expected: UInt8? = switch byte {
            case 0x30...0x39: byte - 0x30
            case 0x61...0x66: byte - 0x61 + 10
            case 0x41...0x46: byte - 0x41 + 10
            default: nil
            }
            #expect(Hex.value(of: byte) == expected, "byte \(byte)")
        }
    }

    @Test("append adds to existing output; encode takes any sequence")
    func appendAndSequences() {
        var out = Array("x=".utf8)
        Hex.append([0xAB, 0x01], to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "x=ab01")
        #expect(Hex.encode(Data([0x10, 0x20])) == "1020")
        #expect(Hex.encode((0...2).lazy.map { UInt8($0) }) == "000102")
    }

    @Test("round trip over every byte value and random arrays (seeded)")
    func roundTrip() {
        let all = Array(UInt8.min...UInt8.max)
        #expect(Hex.decode(Hex.encode(all)) == all)
        #expect(Hex.decode(Hex.encode(all).uppercased()) == all)
        var rng = SeededGenerator(seed: 0x4E58)
        for length in 0...64 {
            let input = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
            let encoded = Hex.encode(input)
            #expect(encoded.count == length * 2)
            #expect(Hex.decode(encoded) == input)
        }
    }
}
