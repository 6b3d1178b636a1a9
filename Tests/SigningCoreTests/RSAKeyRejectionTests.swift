import Foundation
import Testing
import SigningCore

@Suite("RSA private key: rejections")
struct RSAKeyRejectionTests {
    /// Loads `pem`, expecting a ``SigningError`` with `code` whose sentence leaks no line of the PEM body.
    private func expectRejected(_ pem: String, code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let key = try RSAPrivateKey(pem: pem)
            Issue.record("expected \(code), but a \(key.bits)-bit key loaded", sourceLocation: sourceLocation)
        } catch let error as SigningError {
            #expect(error.code == code, sourceLocation: sourceLocation)
            #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
            #expect(error.description == error.message, sourceLocation: sourceLocation)
            for line in RSAFixtures.bodyLines(of: pem) where line.count >= 8 {
                #expect(!error.message.contains(line), "message leaks a PEM line", sourceLocation: sourceLocation)
                #expect(!"\(error)".contains(line), "description leaks a PEM line", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("expected SigningError(\(code)), got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("fixture keys that must be refused", arguments: [
        Vector("1024-bit RSA, PKCS#8", "rsa1024-pkcs8", "key-too-short"),
        Vector("1024-bit RSA, PKCS#1", "rsa1024-pkcs1", "key-too-short"),
        Vector("EC P-256 (not RSA)", "ec-p256-pkcs8", "invalid-private-key"),
        Vector("encrypted PKCS#8", "rsa2048-pkcs8-encrypted", "invalid-private-key"),
    ])
    func refusedFixture(_ vector: Vector<String, String>) throws {
        expectRejected(try RSAFixtures.pem(vector.input), code: vector.expected)
    }

    @Test("key-too-short names the size and the minimum")
    func tooShortMessage() throws {
        #expect(throws: SigningError.self) { try RSAPrivateKey(pem: RSAFixtures.pem("rsa1024-pkcs8")) }
        do {
            _ = try RSAPrivateKey(pem: RSAFixtures.pem("rsa1024-pkcs8"))
        } catch let error as SigningError {
            #expect(error.message.contains("1024"))
            #expect(error.message.contains("2048"))
        }
    }


    /// Garbage and truncated PEM, built from the good 2048-bit key where that helps.
    static func malformed() throws -> [Named<String>] {
        let good = try RSAFixtures.pem("rsa2048-pkcs8")
        let lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let body = RSAFixtures.bodyLines(of: good)
        let randomBody = Base64.encode((0..<600).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        return [
            Named("empty string", ""),
            Named("plain words", "not a key at all"),
            Named("public key PEM", "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n"),
            Named("body only, no BEGIN/END lines", body.joined(separator: "\n")),
            Named("BEGIN/END with nothing between", "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"),
            Named("BEGIN only", "-----BEGIN PRIVATE KEY-----\n"),
            Named("non-base64 body", "-----BEGIN PRIVATE KEY-----\n!!!!@@@@####$$$$\n-----END PRIVATE KEY-----\n"),
            Named("base64 of random bytes", "-----BEGIN PRIVATE KEY-----\n\(randomBody)\n-----END PRIVATE KEY-----\n"),
            Named("RSA label, random body", "-----BEGIN RSA PRIVATE KEY-----\n\(randomBody)\n-----END RSA PRIVATE KEY-----\n"),
            Named("cut in half (no END line)", lines.prefix(lines.count / 2).joined(separator: "\n")),
            Named("middle lines removed", ([lines[0]] + body.prefix(5) + body.suffix(3) + ["-----END PRIVATE KEY-----"]).joined(separator: "\n")),
            Named("last body line cut short", ([lines[0]] + body.dropLast() + [String(body.last!.prefix(4))] + ["-----END PRIVATE KEY-----"]).joined(separator: "\n")),
            Named("DER header overwritten", good.replacingOccurrences(of: body[0], with: "AAAA" + body[0].dropFirst(4))),
            Named("JSON-escaped newlines", good.replacingOccurrences(of: "\n", with: "\\n")),
            Named("NUL byte before the PEM", "\u{0}" + good),
            Named("mismatched END label", good.replacingOccurrences(of: "-----END PRIVATE KEY-----", with: "-----END RSA PRIVATE KEY-----")),
        ]
    }

    @Test("garbage or truncated PEM gives invalid-private-key", arguments: try malformed())
    func malformedPEM(_ input: Named<String>) {
        expectRejected(input.input, code: "invalid-private-key")
    }

    @Test("a rejection leaves the OpenSSL error queue clean for the next good key")
    func errorQueueDoesNotLeak() throws {
        for _ in 0..<3 {
            expectRejected("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n", code: "invalid-private-key")
            let key = try RSAPrivateKey(pem: RSAFixtures.pem("rsa2048-pkcs1"))
            #expect(Hex.encode(try key.signSHA256("hello")) == (try RSAFixtures.signatureHex(key: "rsa2048-pkcs8", message: "hello")))
        }
    }
}
