import SigningCore

/// A signed JWT and its parts.
public struct SignedJWT: Sendable, Equatable {
    /// The header JSON text.
    public let headerJSON: String
    /// The claims JSON text.
    public let payloadJSON: String
    /// `base64url(header) + "." + base64url(payload)`: what is signed.
    public let signingInput: String
    /// The base64url RS256 signature.
    public let signature: String
    /// The compact JWT: `signingInput + "." + signature`.
    public var token: String { "\(signingInput).\(signature)" }
}

/// RS256 JWTs for Google's OAuth 2.0 JWT-bearer grant (RFC 7523).
///
/// The JSON text is what google-auth produces (keys in its order, `", "` and `": "` separators),
/// so assertions are byte-identical to the official library's.
public enum GoogleJWT {
    /// Google's limit on an assertion's lifetime (`exp - iat`), in seconds.
    public static let maximumLifetime: Int64 = 3600
    /// The grant type of the token request.
    public static let grantType = "urn:ietf:params:oauth:grant-type:jwt-bearer"

    /// Signs `headerJSON` and `payloadJSON` with RS256 (RSASSA-PKCS1-v1_5 + SHA-256).
    public static func sign(headerJSON: String, payloadJSON: String, key: RSAPrivateKey) throws -> SignedJWT {
        let input = Base64.encode(Array(headerJSON.utf8), alphabet: .url) + "." + Base64.encode(Array(payloadJSON.utf8), alphabet: .url)
        let signature = try key.signSHA256(input)
        return SignedJWT(headerJSON: headerJSON, payloadJSON: payloadJSON, signingInput: input, signature: Base64.encode(signature, alphabet: .url))
    }

    /// The assertion for the token exchange: header `{typ, alg, kid}`, claims `iat`, `exp`, `iss`,
    /// `aud`, `scope` and, for domain-wide delegation, `sub`.
    public static func assertion(key: GoogleServiceAccountKey, scopes: [String], audience: String? = nil,
                                 issuedAt: Timestamp, lifetime: Int64 = maximumLifetime, subject: String? = nil) throws -> SignedJWT {
        guard !scopes.isEmpty else {
            throw GoogleAuthError(code: "missing-scope", message: "Give at least one OAuth scope (--scope), e.g. https://www.googleapis.com/auth/drive.")
        }
        guard (1...maximumLifetime).contains(lifetime) else {
            throw GoogleAuthError(code: "lifetime-too-long", message: "A JWT assertion lives at most one hour (3600 s) after it is issued; \(lifetime) s was asked.")
        }
        var header = [("typ", JSONText.string("JWT")), ("alg", JSONText.string("RS256"))]
        if let kid = key.privateKeyID { header.append(("kid", JSONText.string(kid))) }
        var claims = [
            ("iat", String(issuedAt.secondsSince1970)), ("exp", String(issuedAt.secondsSince1970 + lifetime)),
            ("iss", JSONText.string(key.clientEmail)), ("aud", JSONText.string(audience ?? key.tokenURI)),
            ("scope", JSONText.string(scopes.joined(separator: " "))),
        ]
        if let subject { claims.append(("sub", JSONText.string(subject))) }
        return try sign(headerJSON: pythonStyleObject(header), payloadJSON: pythonStyleObject(claims), key: key.privateKey)
    }

    /// A JSON object as Python's `json.dumps` writes it by default (`{"a": 1, "b": 2}`).
    static func pythonStyleObject(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(JSONText.string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }
}
