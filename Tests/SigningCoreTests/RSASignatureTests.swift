import Foundation
import Testing
import SigningCore

/// One signing case: a key fixture, the key whose openssl signature it must reproduce, a message.
struct RSASigningCase: Sendable, CustomTestStringConvertible {
    let keyFile: String
    let signatureKey: String
    let message: String

    var testDescription: String { "\(keyFile) signs '\(message)'" }

    static let all: [RSASigningCase] = RSAFixtures.messages.flatMap { message in
        [
            RSASigningCase(keyFile: "rsa2048-pkcs8", signatureKey: "rsa2048-pkcs8", message: message),
            RSASigningCase(keyFile: "rsa2048-pkcs1", signatureKey: "rsa2048-pkcs8", message: message),
            RSASigningCase(keyFile: "rsa3072-pkcs8", signatureKey: "rsa3072-pkcs8", message: message),
        ]
    }
}

@Suite("RSA private key: loading and RS256 signatures")
struct RSASignatureTests {
    @Test("signature equals openssl dgst -sha256 -sign byte for byte", arguments: RSASigningCase.all)
    func matchesOpenSSL(_ testCase: RSASigningCase) throws {
        let key = try RSAPrivateKey(pem: RSAFixtures.pem(testCase.keyFile))
        let message = try RSAFixtures.message(testCase.message)
        let expected = try RSAFixtures.signatureHex(key: testCase.signatureKey, message: testCase.message)
        let signature = try key.signSHA256(message)
        #expect(signature.count == key.bits / 8)
        #expect(Hex.encode(signature) == expected)
        // Deterministic: signing again gives the same bytes; Data input gives the same bytes.
        #expect(try key.signSHA256(message) == signature)
        #expect(try key.signSHA256(Data(message)) == signature)
    }

    @Test("String overload signs the UTF-8 bytes", arguments: ["hello", "utf8", "empty"])
    func stringOverload(message: String) throws {
        let key = try RSAPrivateKey(pem: RSAFixtures.pem("rsa2048-pkcs8"))
        let text = String(decoding: try RSAFixtures.message(message), as: UTF8.self)
        let expected = try RSAFixtures.signatureHex(key: "rsa2048-pkcs8", message: message)
        #expect(Hex.encode(try key.signSHA256(text)) == expected)
    }

    @Test("the UTF-8 fixture really is non-ASCII text")
    func utf8FixtureIsNonASCII() throws {
        let message = try RSAFixtures.message("utf8")
        #expect(message.contains { $0 >= 0x80 })
        #expect(String(validating: message, as: UTF8.self) != nil)
        #expect(try RSAFixtures.message("10k").count == 10_240)
        #expect(try RSAFixtures.message("empty").isEmpty)
    }

    @Test("bits", arguments: [
        Vector("2048-bit PKCS#8", "rsa2048-pkcs8", 2048),
        Vector("2048-bit PKCS#1", "rsa2048-pkcs1", 2048),
        Vector("3072-bit PKCS#8", "rsa3072-pkcs8", 3072),
    ])
    func bits(_ vector: Vector<String, Int>) throws {
        let key = try RSAPrivateKey(pem: RSAFixtures.pem(vector.input))
        #expect(key.bits == vector.expected)
        #expect(key.bits >= RSAPrivateKey.minimumBits)
    }

    @Test("PKCS#8 and PKCS#1 forms of one key sign identically")
    func bothFormsAgree() throws {
        let pkcs8 = try RSAPrivateKey(pem: RSAFixtures.pem("rsa2048-pkcs8"))
        let pkcs1 = try RSAPrivateKey(pem: RSAFixtures.pem("rsa2048-pkcs1"))
        for text in ["", "a", "GOOG4-RSA-SHA256\n20130524T000000Z\n", String(repeating: "x", count: 100_000)] {
            #expect(try pkcs8.signSHA256(text) == pkcs1.signSHA256(text))
        }
        #expect(try pkcs8.signSHA256("a") != pkcs8.signSHA256("b"))
    }

    @Test("PEM with CRLF line breaks, surrounding text and no final newline still loads")
    func lenientPEMLayout() throws {
        let pem = try RSAFixtures.pem("rsa2048-pkcs8")
        let expected = try RSAFixtures.signatureHex(key: "rsa2048-pkcs8", message: "hello")
        let variants = [
            pem.replacingOccurrences(of: "\n", with: "\r\n"),
            "Bag Attributes\n    friendlyName: test\n" + pem + "\ntrailing words\n",
            pem.trimmingCharacters(in: .newlines),
        ]
        for variant in variants {
            let key = try RSAPrivateKey(pem: variant)
            #expect(Hex.encode(try key.signSHA256("hello")) == expected)
        }
    }

    @Test("one key signs from many tasks at once")
    func concurrentSigning() async throws {
        let key = try RSAPrivateKey(pem: RSAFixtures.pem("rsa2048-pkcs8"))
        let message = try RSAFixtures.message("10k")
        let expected = try RSAFixtures.signatureHex(key: "rsa2048-pkcs8", message: "10k")
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<16 { group.addTask { Hex.encode(try key.signSHA256(message)) } }
            var all: [String] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0 == expected })
    }
}
