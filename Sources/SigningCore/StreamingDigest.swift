import Foundation
internal import COpenSSL

/// An incremental MD5 or SHA-256 through OpenSSL's EVP interface, for hashing a body as it
/// streams (one `update` per chunk, `finish` once).
///
/// Not thread-safe: use one per stream.
public final class StreamingDigest {
    /// The digests a stream can compute.
    public enum Algorithm: Sendable {
        case md5, sha256
    }

    private let handle: OpaquePointer

    /// Starts a digest of `algorithm`.
    public init(_ algorithm: Algorithm) {
        guard let ctx = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed: \(OpenSSLErrorQueue.drain())") }
        handle = ctx
        let md = algorithm == .md5 ? OpenSSLAlgorithms.md5 : OpenSSLAlgorithms.sha256
        precondition(EVP_DigestInit_ex2(handle, md, nil) == 1, "digest init failed: \(OpenSSLErrorQueue.drain())")
    }

    deinit { EVP_MD_CTX_free(handle) }

    /// Adds `bytes` to the digest.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(EVP_DigestUpdate(handle, bytes.baseAddress, bytes.count) == 1, "digest update failed: \(OpenSSLErrorQueue.drain())")
    }

    /// The digest of everything added (16 bytes for MD5, 32 for SHA-256); call once.
    public func finish() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        precondition(EVP_DigestFinal_ex(handle, &out, &length) == 1, "digest final failed: \(OpenSSLErrorQueue.drain())")
        return Array(out.prefix(Int(length)))
    }
}
