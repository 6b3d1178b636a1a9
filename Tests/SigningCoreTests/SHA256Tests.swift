import Foundation
import Testing
import SigningCore

/// SHA-256 against the FIPS 180-2 / NIST CAVS example vectors.
@Suite("SHA-256")
struct SHA256Tests {
    static let vectors: [Vector<String, String>] = [
        Vector("empty string", "",
               "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        Vector("abc (one block)", "abc",
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        Vector("448-bit message (two blocks)", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
               "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        Vector("896-bit message",
               "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
               "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ]

    static let millionA = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

    @Test("hexDigest(String) matches FIPS 180 vector", arguments: vectors)
    func hexDigestOfString(_ vector: Vector<String, String>) {
        #expect(SHA256.hexDigest(vector.input) == vector.expected)
    }

    @Test("hash(bytes) matches FIPS 180 vector", arguments: vectors)
    func hashOfBytes(_ vector: Vector<String, String>) {
        let digest = SHA256.hash(Array(vector.input.utf8))
        #expect(digest.count == SHA256.byteCount)
        #expect(digest == bytes(hex: vector.expected))
        #expect(SHA256.hexDigest(Array(vector.input.utf8)) == vector.expected)
        #expect(SHA256.hexDigest(Data(vector.input.utf8)) == vector.expected)
    }

    @Test("one million 'a' (as String, [UInt8] and Data)")
    func oneMillionA() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hexDigest(bytes) == Self.millionA)
        #expect(SHA256.hexDigest(String(repeating: "a", count: 1_000_000)) == Self.millionA)
        #expect(SHA256.hexDigest(Data(bytes)) == Self.millionA)
    }

    @Test("hash(_:into:) pointer API writes exactly 32 bytes")
    func pointerAPI() {
        for vector in Self.vectors {
            // Guard bytes on both sides catch a write outside the 32-byte window.
            var buffer = [UInt8](repeating: 0xA5, count: 32 + 16)
            let input = Array(vector.input.utf8)
            input.withUnsafeBytes { raw in
                buffer.withUnsafeMutableBufferPointer { out in
                    SHA256.hash(raw, into: out.baseAddress! + 8)
                }
            }
            #expect(Array(buffer[8..<40]) == bytes(hex: vector.expected), "\(vector.name)")
            #expect(buffer[0..<8].allSatisfy { $0 == 0xA5 }, "\(vector.name): bytes before output touched")
            #expect(buffer[40...].allSatisfy { $0 == 0xA5 }, "\(vector.name): bytes after output touched")
        }
    }

    @Test("hash(_:into:) accepts an empty buffer with a nil base address")
    func pointerAPIEmpty() {
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBufferPointer { SHA256.hash(UnsafeRawBufferPointer(start: nil, count: 0), into: $0.baseAddress!) }
        #expect(Hex.encode(out) == Self.vectors[0].expected)
    }

    @Test("hexDigest is 64 lower-case hex digits")
    func hexDigestShape() {
        let digest = SHA256.hexDigest("The quick brown fox jumps over the lazy dog")
        #expect(digest == "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592")
        #expect(digest.count == 64)
        #expect(digest.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test("a slice of a larger buffer hashes only the slice")
    func sliceHashing() {
        let big = Array("xxabcxx".utf8)
        #expect(SHA256.hexDigest(Array(big[2..<5])) == Self.vectors[1].expected)
        big.withUnsafeBytes { raw in
            var out = [UInt8](repeating: 0, count: 32)
            out.withUnsafeMutableBufferPointer {
                SHA256.hash(UnsafeRawBufferPointer(rebasing: raw[2..<5]), into: $0.baseAddress!)
            }
            #expect(Hex.encode(out) == Self.vectors[1].expected)
        }
    }
}
