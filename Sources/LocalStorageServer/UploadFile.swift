import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SigningCore

/// An upload being written to its temporary file with throwing POSIX writes, hashed as it
/// streams when the request names a digest to check.
public final class UploadFile {
    /// The temporary file (`.upload-*` beside the object).
    public let temporary: URL
    private var descriptor: Int32
    private var digests: [(StreamingDigest.Algorithm, StreamingDigest)] = []

    init(temporary: URL, descriptor: Int32) {
        self.temporary = temporary
        self.descriptor = descriptor
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Hashes everything written from now on with `algorithms`.
    public func hash(with algorithms: [StreamingDigest.Algorithm]) {
        digests = algorithms.map { ($0, StreamingDigest($0)) }
    }

    /// Appends `bytes`; throws on any write error (no space, file-size limit, I/O).
    public func write(_ bytes: UnsafeRawBufferPointer) throws(StoreError) {
        try Self.writeAll(bytes, to: descriptor)
        for (_, digest) in digests { digest.update(bytes) }
    }

    /// Closes the file and returns the digests of what was written.
    public func finish() throws(StoreError) -> [StreamingDigest.Algorithm: [UInt8]] {
        let result = close(descriptor)
        descriptor = -1
        guard result == 0 else { throw StoreError(operation: "close the upload", code: errno) }
        return Dictionary(digests.map { ($0.0, $0.1.finish()) }, uniquingKeysWith: { first, _ in first })
    }

    /// Closes and removes the temporary file (an upload refused, failed or cut short).
    public func discard() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporary.path)
    }

    /// Writes every byte of `bytes` to `descriptor`, retrying short writes and `EINTR`.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws(StoreError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw StoreError(operation: "write the upload", code: errno)
            }
            offset += written
        }
    }
}
