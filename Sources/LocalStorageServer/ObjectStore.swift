import Foundation
import SigningCore

/// Objects kept in a folder: `ROOT/PROVIDER/NAMESPACE/<sha256 of the key>` with the key beside it
/// in `.key`, so any key (`../`, 1024 bytes, unicode) maps to a safe file name.
public struct ObjectStore: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    /// Where an object lives; `namespace` is the bucket (S3, GCS) or `account/container` (Azure).
    public func file(provider: String, namespace: String, key: String) -> URL {
        root.appendingPathComponent(provider).appendingPathComponent(PercentEncoding.unreserved.encode(namespace))
            .appendingPathComponent(SHA256.hexDigest(key))
    }

    public func exists(_ file: URL) -> Bool { FileManager.default.fileExists(atPath: file.path) }

    public static func size(of file: URL) -> Int64? {
        (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value
    }

    /// A new temporary file next to `file`, for an upload in progress.
    public func temporary(for file: URL) throws -> (URL, FileHandle) {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".upload-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil), let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return (temporary, handle)
    }

    /// Moves a finished upload into place (atomically) and records its key.
    public func commit(_ temporary: URL, to file: URL, key: String) throws {
        if rename(temporary.path, file.path) != 0 { throw CocoaError(.fileWriteUnknown) }
        try? Data(key.utf8).write(to: file.appendingPathExtension("key"))
    }

    public func delete(_ file: URL) -> Bool {
        (try? FileManager.default.removeItem(at: file)) != nil
    }
}
