import Foundation
internal import COpenSSL

/// SHA-256 through OpenSSL's EVP interface.
public enum SHA256 {
    /// The length of a SHA-256 digest in bytes.
    public static let byteCount = 32

    /// Hashes `bytes` and returns the 32-byte digest.
    public static func hash<Bytes: ContiguousBytes>(_ bytes: Bytes) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: byteCount)
        out.withUnsafeMutableBufferPointer { outBuffer in
            bytes.withUnsafeBytes { input in
                hash(input, into: outBuffer.baseAddress!)
            }
        }
        return out
    }

    /// Hashes the UTF-8 bytes of `text`.
    public static func hash(_ text: String) -> [UInt8] {
        var copy = text
        return copy.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    /// Hashes `input` and writes the digest to `output`, which must hold 32 bytes.
    public static func hash(_ input: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>) {
        var length: UInt32 = 0
        let ok = EVP_Digest(input.baseAddress, input.count, output, &length, OpenSSLAlgorithms.sha256, nil)
        precondition(ok == 1 && length == 32, "EVP_Digest(SHA256) failed: \(OpenSSLErrorQueue.drain())")
    }

    /// A reusable OpenSSL digest context for hashing many messages in a row without allocating.
    ///
    /// Not thread-safe: use one per thread or task.
    public final class Context {
        private let handle: OpaquePointer

        /// Creates a context.
        public init() {
            guard let ctx = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed: \(OpenSSLErrorQueue.drain())") }
            handle = ctx
        }

        deinit { EVP_MD_CTX_free(handle) }

        /// Hashes `input` and writes the digest to `output`, which must hold 32 bytes.
        public func hash(_ input: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>) {
            var length: UInt32 = 0
            let ok = EVP_DigestInit_ex2(handle, OpenSSLAlgorithms.sha256, nil) == 1
                && EVP_DigestUpdate(handle, input.baseAddress, input.count) == 1
                && EVP_DigestFinal_ex(handle, output, &length) == 1
            precondition(ok && length == 32, "SHA-256 failed: \(OpenSSLErrorQueue.drain())")
        }
    }

    /// The lower-case hex digest of `bytes`.
    public static func hexDigest<Bytes: ContiguousBytes>(_ bytes: Bytes) -> String {
        Hex.encode(hash(bytes))
    }

    /// The lower-case hex digest of the UTF-8 bytes of `text`.
    public static func hexDigest(_ text: String) -> String {
        Hex.encode(hash(text))
    }
}
