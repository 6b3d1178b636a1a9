internal import CCurl
import Foundation
import Synchronization

/// Set from a task's cancellation handler, read by the transfer's progress callback.
final class CancelFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func cancel() { flag.store(true, ordering: .relaxed) }
    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// What libcurl's callbacks collect during one transfer.
final class TransferState {
    let maxBody: Int
    let probe: Bool
    let cancel: CancelFlag
    var upload: UploadSource?

    var continueReceived = false
    var status = 0
    var headers: [(name: String, value: String)] = []
    var body: [UInt8] = []
    var truncated = false
    var bodySent = false
    var localFileError: String?
    /// libcurl's `CURLOPT_ERRORBUFFER` (CURL_ERROR_SIZE bytes): the detailed failure text.
    let errorBuffer: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: 256)
        buffer.initialize(repeating: 0, count: 256)
        return buffer
    }()

    init(maxBody: Int, probe: Bool, cancel: CancelFlag, upload: UploadSource?) {
        self.maxBody = maxBody
        self.probe = probe
        self.cancel = cancel
        self.upload = upload
    }

    deinit { errorBuffer.deallocate() }

    /// The detailed failure text, if libcurl wrote one.
    var errorText: String? {
        let text = String(cString: errorBuffer)
        return text.isEmpty ? nil : text
    }

    /// One header line (status lines included, CRLF at the end).
    func header(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            let parts = trimmed.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            if status == 100 { continueReceived = true }
            headers = []
        } else if let colon = trimmed.firstIndex(of: ":") {
            headers.append((String(trimmed[..<colon]), String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
    }

    /// Response body bytes; returns false to stop once `maxBody` is reached.
    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let room = maxBody - body.count
        if bytes.count <= room {
            body.append(contentsOf: bytes)
            return true
        }
        body.append(contentsOf: bytes.prefix(max(room, 0)))
        truncated = true
        return false
    }
}

/// The body to upload: bytes in memory or a file read in chunks.
final class UploadSource {
    private let bytes: [UInt8]?
    private let file: FileHandle?
    private var offset = 0
    let length: Int64

    init(body: HTTPBody) throws {
        switch body {
        case .none:
            bytes = []
            file = nil
            length = 0
        case .bytes(let data):
            bytes = data
            file = nil
            length = Int64(data.count)
        case .file(let path):
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw HTTPError(kind: .localFile, curlCode: 0, message: "Cannot read the file to upload, \(path). Check that it exists and is readable.")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            bytes = nil
            file = handle
            length = size
        }
    }

    /// Fills `buffer`; returns the byte count (0 at the end).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let bytes {
            let count = min(buffer.count, bytes.count - offset)
            bytes.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
            }
            offset += count
            return count
        }
        guard let data = try file?.read(upToCount: buffer.count) else { return 0 }
        data.copyBytes(to: buffer)
        return data.count
    }
}

// MARK: - C callbacks (no captures: the state travels as the context pointer)

let curlHeaderCallback: CCurl_data_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    state.header(String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self))
    return length
}

let curlWriteCallback: CCurl_data_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    return state.receive(UnsafeRawBufferPointer(start: buffer, count: length)) ? length : 0
}

let curlReadCallback: CCurl_data_callback = { buffer, size, count, context in
    guard let buffer, let context else { return CCurl_read_abort() }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    // A probe stops here: the server has seen the headers (and answered 100, or let the
    // Expect timeout pass); no byte of the body leaves this machine.
    if state.probe { return CCurl_read_abort() }
    do {
        let read = try state.upload?.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count)) ?? 0
        if read > 0 { state.bodySent = true }
        return read
    } catch {
        state.localFileError = "\(error)"
        return CCurl_read_abort()
    }
}

let curlProgressCallback: CCurl_progress_callback = { context, _, _, _, _ in
    guard let context else { return 0 }
    return Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue().cancel.isCancelled ? 1 : 0
}
