import Foundation
import Testing
import SigningCore

/// One RFC 4231 test case: `tag` may be shorter than 32 bytes (case 5 is truncated to 128 bits).
struct HMACCase: Sendable, CustomTestStringConvertible {
    let name: String
    let key: [UInt8]
    let data: [UInt8]
    let tag: String

    var testDescription: String { name }
}

@Suite("HMAC-SHA256")
struct HMACSHA256Tests {
    /// RFC 4231 section 4, test cases 1–7 (HMAC-SHA-256 rows).
    static let rfc4231: [HMACCase] = [
        HMACCase(name: "RFC 4231 case 1 (20-byte key, 'Hi There')",
                 key: [UInt8](repeating: 0x0b, count: 20),
                 data: Array("Hi There".utf8),
                 tag: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        HMACCase(name: "RFC 4231 case 2 (key shorter than length of output, 'Jefe')",
                 key: Array("Jefe".utf8),
                 data: Array("what do ya want for nothing?".utf8),
                 tag: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        HMACCase(name: "RFC 4231 case 3 (0xaa key, 50 x 0xdd)",
                 key: [UInt8](repeating: 0xaa, count: 20),
                 data: [UInt8](repeating: 0xdd, count: 50),
                 tag: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        HMACCase(name: "RFC 4231 case 4 (25-byte counting key, 50 x 0xcd)",
                 key: Array(1...25),
                 data: [UInt8](repeating: 0xcd, count: 50),
                 tag: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        HMACCase(name: "RFC 4231 case 5 (truncated to 128 bits)",
                 key: [UInt8](repeating: 0x0c, count: 20),
                 data: Array("Test With Truncation".utf8),
                 tag: "a3b6167473100ee06e0c796c2955552b"),
        HMACCase(name: "RFC 4231 case 6 (131-byte key, larger than block size)",
                 key: [UInt8](repeating: 0xaa, count: 131),
                 data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                 tag: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        HMACCase(name: "RFC 4231 case 7 (131-byte key and data larger than block size)",
                 key: [UInt8](repeating: 0xaa, count: 131),
                 data: Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
                 tag: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    /// Extra vectors computed with Python's `hmac` module: empty key / message, block-size edges.
    static let edges: [HMACCase] = [
        HMACCase(name: "empty key, empty message", key: [], data: [],
                 tag: "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"),
        HMACCase(name: "empty key, 'abc'", key: [], data: Array("abc".utf8),
                 tag: "fd7adb152c05ef80dccf50a1fa4c05d5a3ec6da95575fc312ae7c5d091836351"),
        HMACCase(name: "key 'k', empty message", key: Array("k".utf8), data: [],
                 tag: "8bb990c40a7d61cb97597a942125025be50ac8beb74436e3735b98893a7f6620"),
        HMACCase(name: "64-byte key (exactly one block)", key: [UInt8](repeating: 0xaa, count: 64), data: Array("abc".utf8),
                 tag: "2f8cff867f2668ca93d3c5b03ba9f816746742eda349b3bc4bb35aa27816754c"),
        HMACCase(name: "65-byte key (one byte over the block, hashed first)", key: [UInt8](repeating: 0xaa, count: 65), data: Array("abc".utf8),
                 tag: "102ebc7ceb9dff09e5a77413a3cd67382908ece255487006eb0e1e1b801f9ce6"),
        HMACCase(name: "'key' / quick brown fox", key: Array("key".utf8), data: Array("The quick brown fox jumps over the lazy dog".utf8),
                 tag: "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"),
    ]

    /// Compares the full tag, or its prefix when the vector is truncated.
    private func check(_ tag: [UInt8], _ vector: HMACCase, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(tag.count == HMACSHA256.byteCount, sourceLocation: sourceLocation)
        let expected = bytes(hex: vector.tag)
        #expect(Array(tag.prefix(expected.count)) == expected, sourceLocation: sourceLocation)
    }

    @Test("one-shot authenticate matches", arguments: rfc4231 + edges)
    func oneShot(_ vector: HMACCase) {
        check(HMACSHA256(key: vector.key).authenticate(vector.data), vector)
        check(HMACSHA256.authenticate(key: vector.key, message: vector.data), vector)
        check(HMACSHA256(key: vector.key).authenticate(Data(vector.data)), vector)
    }

    @Test("fresh Context matches", arguments: rfc4231 + edges)
    func freshContext(_ vector: HMACCase) {
        let context = HMACSHA256.Context(key: vector.key)
        let tag = vector.data.withUnsafeBytes { context.authenticate($0) }
        check(tag, vector)
    }

    @Test("String overloads use UTF-8 bytes")
    func stringOverloads() {
        let jefe = Self.rfc4231[1]
        check(HMACSHA256(key: "Jefe").authenticate("what do ya want for nothing?"), jefe)
        #expect(HMACSHA256(key: "Jefe").key == Array("Jefe".utf8))
        let key = "clé 🔑"
        #expect(HMACSHA256(key: key).authenticate("données") ==
                HMACSHA256(key: Array(key.utf8)).authenticate(Array("données".utf8)))
    }

    /// The context re-initialises with a NULL key between messages; every tag must equal the
    /// one-shot tag, whatever came before it (short, long, empty messages, repeated messages).
    @Test("one Context reused for many messages gives the one-shot tags",
          arguments: [[UInt8](repeating: 0x0b, count: 20), Array("Jefe".utf8), [UInt8](repeating: 0xaa, count: 131), []])
    func contextReuse(key: [UInt8]) {
        let context = HMACSHA256.Context(key: key)
        let messages: [[UInt8]] = [
            Array("Hi There".utf8), [], Array("what do ya want for nothing?".utf8),
            [UInt8](repeating: 0xdd, count: 50), [UInt8](repeating: 0x61, count: 1000), [],
            Array("Hi There".utf8), Array("Hi There".utf8), [0x00], [UInt8](repeating: 0xff, count: 64),
        ]
        for (round, message) in (messages + messages.reversed()).enumerated() {
            let reused = message.withUnsafeBytes { context.authenticate($0) }
            let fresh = HMACSHA256.authenticate(key: key, message: message)
            #expect(reused == fresh, "round \(round), message of \(message.count) bytes")
        }
    }

    @Test("Context reuse reproduces all RFC 4231 tags in sequence with one context per key")
    func contextReuseAcrossVectors() {
        // Cases 6 and 7 share a key: one context must give both tags, in both orders.
        let case6 = Self.rfc4231[5], case7 = Self.rfc4231[6]
        let context = HMACSHA256.Context(key: case6.key)
        for vector in [case6, case7, case6, case7, case7, case6] {
            check(vector.data.withUnsafeBytes { context.authenticate($0) }, vector)
        }
    }

    @Test("Context authenticate(_:into:) writes exactly 32 bytes")
    func contextInto() {
        let vector = Self.rfc4231[0]
        let context = HMACSHA256.Context(key: vector.key)
        var buffer = [UInt8](repeating: 0x5A, count: 48)
        for _ in 0..<3 {
            vector.data.withUnsafeBytes { message in
                buffer.withUnsafeMutableBufferPointer { context.authenticate(message, into: $0.baseAddress! + 8) }
            }
            #expect(Array(buffer[8..<40]) == bytes(hex: vector.tag))
            #expect(buffer[..<8].allSatisfy { $0 == 0x5A })
            #expect(buffer[40...].allSatisfy { $0 == 0x5A })
        }
    }

    @Test("the key is kept as given; different keys differ, zero-padded short keys collide (as HMAC specifies)")
    func keyHandling() {
        let a = HMACSHA256(key: [1, 2, 3])
        #expect(a.key == [1, 2, 3])
        #expect(a.authenticate("m") != HMACSHA256(key: [1, 2, 4]).authenticate("m"))
        // HMAC pads keys shorter than the block with zeros, so a trailing zero byte changes nothing.
        #expect(HMACSHA256(key: [1, 2, 3]).authenticate("m") == HMACSHA256(key: [1, 2, 3, 0]).authenticate("m"))
    }

    @Test("authenticators are usable from many tasks at once")
    func concurrentUse() async {
        let vector = Self.rfc4231[6]
        let mac = HMACSHA256(key: vector.key)
        let tags = await withTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<32 { group.addTask { mac.authenticate(vector.data) } }
            var all: [[UInt8]] = []
            for await tag in group { all.append(tag) }
            return all
        }
        #expect(tags.count == 32)
        #expect(tags.allSatisfy { $0 == bytes(hex: vector.tag) })
    }
}
