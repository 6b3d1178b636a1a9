import Foundation
import GoogleAuth
import SigningCore
import TestSupport
import Testing

/// JWTs made by google-auth 2.63 with a fixed clock (`Fixtures/google-jwt/cases.json`):
/// assertions byte-exact (header, claims, signing input, signature); the other shapes through
/// the generic RS256 signer over the same JSON text.
struct GoogleJWTTests {
    static let fixture = FixtureCases("google-jwt/cases.json")
    nonisolated(unsafe) static let file: [String: Any] = fixture.root
    nonisolated(unsafe) static let cases = fixture.cases
    static var ids: [String] { fixture.ids }

    static func key(withoutKID: Bool = false) throws -> GoogleServiceAccountKey {
        var data = try TestPaths.data(TestPaths.fixture("google-jwt/test-service-account.json"))
        if withoutKID {
            var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            object.removeValue(forKey: "private_key_id")
            data = try JSONSerialization.data(withJSONObject: object)
        }
        return try GoogleServiceAccountKey(json: data, source: "test-service-account.json")
    }

    @Test func allCasesPresent() { #expect(Self.cases.count == 9) }

    @Test(arguments: ids)
    func googleAuthCase(_ id: String) throws {
        let testCase = try Self.fixture.case(id)
        let inputs = try #require(testCase["inputs"] as? [String: Any])
        let expected = try #require(testCase["expected"] as? [String: Any])
        let jwt: SignedJWT
        if testCase["kind"] as? String == "oauth-assertion" {
            let key = try Self.key(withoutKID: inputs.keys.contains("private_key_id"))
            jwt = try GoogleJWT.assertion(key: key, scopes: inputs["scopes"] as? [String] ?? [], issuedAt: try Timestamp.parse(inputs["now"] as! String),
                                          subject: inputs["subject"] as? String)
            #expect(jwt.headerJSON == expected["header_json"] as? String)
            #expect(jwt.payloadJSON == expected["payload_json"] as? String)
        } else {
            jwt = try GoogleJWT.sign(headerJSON: expected["header_json"] as! String, payloadJSON: expected["payload_json"] as! String,
                                     key: try Self.key().privateKey)
        }
        #expect(jwt.signingInput == expected["signing_input"] as? String)
        #expect(jwt.signature == expected["signature_b64url"] as? String)
        #expect(jwt.token == expected["jwt"] as? String)
    }

    @Test func lifetimeOverAnHourIsRefused() throws {
        let error = #expect(throws: GoogleAuthError.self) {
            try GoogleJWT.assertion(key: try Self.key(), scopes: ["s"], issuedAt: Timestamp(secondsSince1970: 0), lifetime: 3601)
        }
        #expect(error?.code == "lifetime-too-long")
    }
}

/// Each google-auth JWT verifies with the public key published beside the vectors, and a
/// tampered one does not.
struct GoogleJWTVerificationTests {
    @Test(arguments: GoogleJWTTests.ids)
    func verifiesWithThePublicKey(_ id: String) throws {
        let pem = try #require(GoogleJWTTests.file["public_key_pem"] as? String)
        let publicKey = try RSAPublicKey(pem: pem)
        let testCase = try GoogleJWTTests.fixture.case(id)
        let expected = try #require(testCase["expected"] as? [String: Any])
        let signingInput = try #require(expected["signing_input"] as? String)
        let encodedSignature = try #require(expected["signature_b64url"] as? String)
        let input = Array(signingInput.utf8)
        let signature = try #require(Base64.decode(encodedSignature, alphabet: .url))
        #expect(publicKey.verifySHA256(signature: signature, message: input))
        var tampered = input
        tampered[tampered.count - 1] ^= 1
        #expect(!publicKey.verifySHA256(signature: signature, message: tampered))
    }

    @Test func publicHalfOfTheServiceAccountKeyMatches() throws {
        let key = try GoogleJWTTests.key()
        let derived = try RSAPublicKey(privateKey: key.privateKey)
        let message = Array("presign".utf8)
        #expect(derived.verifySHA256(signature: try key.privateKey.signSHA256(message), message: message))
        #expect(key.privateKey.publicKeyPEM()?.hasPrefix("-----BEGIN PUBLIC KEY-----") == true)
    }
}
