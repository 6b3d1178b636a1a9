import Foundation
internal import COpenSSL

/// HMAC-SHA256 (RFC 2104) through OpenSSL 3's `EVP_MAC` interface.
///
/// A value holds its key; each call to ``authenticate(_:)`` is independent, so a value can be
/// shared between threads. Use ``Context`` in hot loops that sign many messages with one key.
public struct HMACSHA256: Sendable {
    /// The length of an HMAC-SHA256 tag in bytes.
    public static let byteCount = 32

    /// The key bytes. Treat as secret: never print them.
    public let key: [UInt8]

    /// Creates an authenticator for `key`.
    public init(key: [UInt8]) { self.key = key }

    /// Creates an authenticator for the UTF-8 bytes of `key`.
    public init(key: String) { self.key = Array(key.utf8) }

    /// Computes the tag of `message`.
    public func authenticate<Bytes: ContiguousBytes>(_ message: Bytes) -> [UInt8] {
        let context = Context(key: key)
        return message.withUnsafeBytes { context.authenticate($0) }
    }

    /// Computes the tag of the UTF-8 bytes of `message`.
    public func authenticate(_ message: String) -> [UInt8] {
        var copy = message
        return copy.withUTF8 { authenticate(UnsafeRawBufferPointer($0)) }
    }

    /// Computes the tag of `message` with `key` in one call.
    public static func authenticate<Bytes: ContiguousBytes>(key: [UInt8], message: Bytes) -> [UInt8] {
        HMACSHA256(key: key).authenticate(message)
    }

    /// A keyed OpenSSL MAC context that is re-used for many messages.
    ///
    /// Not thread-safe: use one per thread or task.
    public final class Context {
        private let handle: OpaquePointer

        /// Creates a context keyed with `key`.
        public init(key: [UInt8]) {
            guard let ctx = EVP_MAC_CTX_new(OpenSSLAlgorithms.hmac) else {
                fatalError("EVP_MAC_CTX_new failed: \(OpenSSLErrorQueue.drain())")
            }
            handle = ctx
            let ok = "SHA256".withCString { digestName -> Int32 in
                var params = [
                    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, UnsafeMutablePointer(mutating: digestName), 0),
                    COpenSSL_param_end(),
                ]
                // An empty key is legal for HMAC; OpenSSL wants a non-null pointer for it.
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(key.count, 1)) { buffer in
                    buffer.initialize(repeating: 0)
                    _ = buffer.update(fromContentsOf: key)
                    return EVP_MAC_init(ctx, buffer.baseAddress, key.count, &params)
                }
            }
            precondition(ok == 1, "EVP_MAC_init(HMAC-SHA256) failed: \(OpenSSLErrorQueue.drain())")
        }

        deinit { EVP_MAC_CTX_free(handle) }

        /// Computes the tag of `message`, re-using the key set at creation.
        public func authenticate(_ message: UnsafeRawBufferPointer) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: HMACSHA256.byteCount)
            out.withUnsafeMutableBufferPointer { authenticate(message, into: $0.baseAddress!) }
            return out
        }

        /// Computes the tag of `message` into `output`, which must hold 32 bytes.
        public func authenticate(_ message: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>) {
            var length = 0
            // A NULL key re-initialises with the key already set (OpenSSL keeps the padded key state).
            let ok = EVP_MAC_init(handle, nil, 0, nil) == 1
                && EVP_MAC_update(handle, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count) == 1
                && EVP_MAC_final(handle, output, &length, HMACSHA256.byteCount) == 1
            precondition(ok && length == HMACSHA256.byteCount, "HMAC-SHA256 failed: \(OpenSSLErrorQueue.drain())")
        }
    }
}
