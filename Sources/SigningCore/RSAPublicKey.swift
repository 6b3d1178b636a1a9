import Foundation
internal import COpenSSL

/// An RSA public key, for checking RSASSA-PKCS1-v1_5 SHA-256 signatures (JWTs, GCS V4 URLs).
public final class RSAPublicKey: @unchecked Sendable {
    private let key: OpaquePointer

    /// Loads `-----BEGIN PUBLIC KEY-----` (SubjectPublicKeyInfo) PEM; throws `invalid-public-key`.
    public init(pem: String) throws {
        ERR_clear_error()
        let loaded: OpaquePointer? = pem.withCString { text in
            guard let bio = BIO_new_mem_buf(text, -1) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PUBKEY(bio, nil, { _, _, _, _ in 0 }, nil)
        }
        guard let loaded, EVP_PKEY_get_base_id(loaded) == EVP_PKEY_RSA else {
            if let loaded { EVP_PKEY_free(loaded) }
            throw SigningError(code: "invalid-public-key", message: "The public key is not an RSA 'BEGIN PUBLIC KEY' PEM (\(OpenSSLErrorQueue.drain())).")
        }
        key = loaded
    }

    /// The public half of `privateKey`.
    public init(privateKey: RSAPrivateKey) throws {
        guard let pem = privateKey.publicKeyPEM() else {
            throw SigningError.openSSL("invalid-public-key", "Could not take the public half of the key")
        }
        let parsed = try RSAPublicKey(pem: pem)
        EVP_PKEY_up_ref(parsed.key)
        key = parsed.key
    }

    deinit { EVP_PKEY_free(key) }

    /// Whether `signature` is a valid RSASSA-PKCS1-v1_5 SHA-256 signature of `message`.
    public func verifySHA256<Message: ContiguousBytes>(signature: [UInt8], message: Message) -> Bool {
        guard let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx); ERR_clear_error() }
        guard EVP_DigestVerifyInit_ex(ctx, nil, "SHA256", nil, nil, key, nil) == 1 else { return false }
        return message.withUnsafeBytes { input in
            EVP_DigestVerify(ctx, signature, signature.count, input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count) == 1
        }
    }
}

extension RSAPrivateKey {
    /// The SubjectPublicKeyInfo PEM of this key's public half.
    public func publicKeyPEM() -> String? {
        withKey { key in
            guard let bio = BIO_new(BIO_s_mem()) else { return nil }
            defer { BIO_free(bio) }
            guard PEM_write_bio_PUBKEY(bio, key) == 1 else { return nil }
            var pointer: UnsafeMutablePointer<CChar>?
            let length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &pointer)
            guard let pointer, length > 0 else { return nil }
            return String(decoding: UnsafeRawBufferPointer(start: pointer, count: Int(length)), as: UTF8.self)
        }
    }
}
