import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SigningCore

/// Objects kept in a folder: `ROOT/PROVIDER/NAMESPACE/<sha256 of the key>` with the key beside it
/// in `.key`, so any key (`../`, 1024 bytes, unicode) maps to a safe file name. Only regular
/// files are objects: a folder or link where an object's file would be is never served or removed.
public struct ObjectStore: Sendable {
    /// The folder that holds every provider's objects.
    public let root: URL

    /// A store kept below `root`.
    public init(root: URL) { self.root = root }

    /// Where an object lives; `namespace` is the bucket (S3, GCS) or `account/container` (Azure).
    public func file(provider: String, namespace: String, key: String) -> URL {
        root.appendingPathComponent(provider).appendingPathComponent(PercentEncoding.unreserved.encode(namespace))
            .appendingPathComponent(SHA256.hexDigest(key))
    }

    /// Whether an object (a regular file) is stored at `file`.
    public func exists(_ file: URL) -> Bool { Self.size(of: file) != nil }

    /// The size of the object at `file`, or `nil` when there is no regular file there.
    public static func size(of file: URL) -> Int64? {
        var info = stat()
        guard lstat(file.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// A new temporary file next to `file`, for an upload in progress.
    public func temporary(for file: URL) throws(StoreError) -> UploadFile {
        let folder = file.deletingLastPathComponent()
        try Self.makeFolder(folder)
        let temporary = folder.appendingPathComponent(".upload-\(UUID().uuidString)")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StoreError(operation: "create a temporary file", code: errno) }
        return UploadFile(temporary: temporary, descriptor: descriptor)
    }

    /// Moves a finished upload into place and records its key. `replacing: false` commits only
    /// when no object exists (a no-replace `link`), else throws `StoreError.alreadyExists`.
    public func commit(_ upload: UploadFile, to file: URL, key: String, replacing: Bool) throws(StoreError) {
        let record = file.appendingPathExtension("key")
        try Self.writeRecord(Array(key.utf8), to: record)
        if replacing {
            guard rename(upload.temporary.path, file.path) == 0 else { throw failed("move the upload into place", keeping: file, record: record) }
        } else {
            guard link(upload.temporary.path, file.path) == 0 else {
                if errno == EEXIST { throw StoreError.alreadyExists }
                throw failed("link the upload into place", keeping: file, record: record)
            }
            unlink(upload.temporary.path)
        }
    }

    /// The error of a failed commit, after removing a key record that names no object.
    private func failed(_ operation: String, keeping file: URL, record: URL) -> StoreError {
        let error = StoreError(operation: operation, code: errno)
        if !exists(file) { unlink(record.path) }
        return error
    }

    /// Removes the object at `file` and its key record; false when no regular file is there.
    public func delete(_ file: URL) -> Bool {
        guard exists(file), unlink(file.path) == 0 else { return false }
        unlink(file.appendingPathExtension("key").path)
        return true
    }

    /// `mkdir -p` that reports `errno` (a file where a folder belongs is `ENOTDIR`).
    static func makeFolder(_ folder: URL) throws(StoreError) {
        if mkdir(folder.path, 0o755) != 0 {
            var code = errno
            if code == ENOENT && folder.path != "/" {
                try makeFolder(folder.deletingLastPathComponent())
                code = mkdir(folder.path, 0o755) == 0 ? 0 : errno
            }
            var info = stat()
            if code == EEXIST { code = stat(folder.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR ? 0 : ENOTDIR }
            if code != 0 { throw StoreError(operation: "create the object's folder", code: code) }
        }
    }

    private static func writeRecord(_ bytes: [UInt8], to record: URL) throws(StoreError) {
        let descriptor = open(record.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StoreError(operation: "write the key record", code: errno) }
        defer { close(descriptor) }
        var failure: StoreError?
        bytes.withUnsafeBytes { buffer in
            do throws(StoreError) { try UploadFile.writeAll(buffer, to: descriptor) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}

/// Why the store could not write: no space (a full disk, a quota or a file-size limit), a
/// create-only commit that found an object, or another system error.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done, without any path.
    public let operation: String
    /// The `errno` value.
    public let code: Int32

    /// An error of `operation` with `errno` value `code`.
    public init(operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    /// A create-only commit found an object already there.
    public static let alreadyExists = StoreError(operation: "commit a create-only upload", code: EEXIST)

    /// Out of space: `ENOSPC`, `EDQUOT` or `EFBIG` (file-size limit).
    public var isNoSpace: Bool { [ENOSPC, EDQUOT, EFBIG].contains(code) }

    /// `cannot OPERATION: strerror` (no path).
    public var description: String { "cannot \(operation): \(String(cString: strerror(code)))" }
}
