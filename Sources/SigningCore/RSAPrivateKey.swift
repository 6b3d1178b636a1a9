import Foundation
internal import COpenSSL

/// An RSA private key loaded from PEM, for RSASSA-PKCS1-v1_5 with SHA-256 (`RS256`, `GOOG4-RSA-SHA256`).
///
/// Accepts PKCS#8 (`BEGIN PRIVATE KEY`) and PKCS#1 (`BEGIN RSA PRIVATE KEY`) PEM, and refuses
/// keys shorter than 2048 bits. The OpenSSL key is immutable once loaded, so the value can be
/// shared between threads; each signature uses its own context.
public final class RSAPrivateKey: @unchecked Sendable {
    /// The smallest modulus this type accepts, in bits.
    public static let minimumBits = 2048

    private let key: OpaquePointer

    /// The modulus size in bits.
    public let bits: Int

    /// Loads a key from PEM text. Throws ``SigningError`` (`invalid-private-key`, `key-too-short`)
    /// with a sentence that never includes the key itself.
    public init(pem: String) throws {
        guard pem.contains("-----BEGIN PRIVATE KEY-----") || pem.contains("-----BEGIN RSA PRIVATE KEY-----") else {
            throw SigningError(
                code: "invalid-private-key",
                message: "The private key is not PEM text with a 'BEGIN PRIVATE KEY' or 'BEGIN RSA PRIVATE KEY' line. Use the key exactly as the provider issued it (an encrypted key must be decrypted first)."
            )
        }
        ERR_clear_error()
        let loaded: OpaquePointer? = pem.withCString { text in
            guard let bio = BIO_new_mem_buf(text, -1) else { return nil }
            defer { BIO_free(bio) }
            // A callback that supplies no passphrase, so OpenSSL never prompts on the terminal
            // for an encrypted key (it is refused instead).
            return PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
        }
        guard let loaded else {
            throw SigningError(
                code: "invalid-private-key",
                message: "The PEM private key could not be read (\(OpenSSLErrorQueue.drain())). Check that the key was copied whole, with its BEGIN and END lines and '\\n' line breaks; an encrypted key must be decrypted first."
            )
        }
        guard EVP_PKEY_get_base_id(loaded) == EVP_PKEY_RSA else {
            EVP_PKEY_free(loaded)
            throw SigningError(code: "invalid-private-key", message: "The private key is not an RSA key; this signature needs an RSA key of at least 2048 bits.")
        }
        let size = Int(EVP_PKEY_get_bits(loaded))
        guard size >= Self.minimumBits else {
            EVP_PKEY_free(loaded)
            throw SigningError(code: "key-too-short", message: "The RSA key has \(size) bits; at least \(Self.minimumBits) are required. Create a new key of 2048 bits or more.")
        }
        key = loaded
        bits = size
    }

    deinit { EVP_PKEY_free(key) }

    /// Runs `body` with the OpenSSL key (for this module's other key operations).
    func withKey<T>(_ body: (OpaquePointer) -> T) -> T { body(key) }

    /// Signs `message` with RSASSA-PKCS1-v1_5 over SHA-256 and returns the raw signature bytes.
    public func signSHA256<Bytes: ContiguousBytes>(_ message: Bytes) throws -> [UInt8] {
        guard let ctx = EVP_MD_CTX_new() else { throw SigningError.openSSL("rsa-sign-failed", "Could not allocate a signing context") }
        defer { EVP_MD_CTX_free(ctx) }
        var pkeyContext: OpaquePointer?
        guard EVP_DigestSignInit_ex(ctx, &pkeyContext, "SHA256", nil, nil, key, nil) == 1,
              EVP_PKEY_CTX_set_rsa_padding(pkeyContext, RSA_PKCS1_PADDING) == 1
        else { throw SigningError.openSSL("rsa-sign-failed", "RSA-SHA256 signing could not start") }
        var length = 0
        let ok = message.withUnsafeBytes { input -> Bool in
            let data = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
            guard EVP_DigestSign(ctx, nil, &length, data, input.count) == 1 else { return false }
            return true
        }
        guard ok else { throw SigningError.openSSL("rsa-sign-failed", "RSA-SHA256 signing failed") }
        var signature = [UInt8](repeating: 0, count: length)
        let signed = message.withUnsafeBytes { input in
            EVP_DigestSign(ctx, &signature, &length, input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count) == 1
        }
        guard signed else { throw SigningError.openSSL("rsa-sign-failed", "RSA-SHA256 signing failed") }
        return Array(signature.prefix(length))
    }

    /// Signs the UTF-8 bytes of `text`.
    public func signSHA256(_ text: String) throws -> [UInt8] {
        try signSHA256(Array(text.utf8))
    }
}
