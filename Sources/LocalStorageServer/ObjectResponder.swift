import Foundation
import NIOCore
import NIOHTTP1

/// Serves a stored object: 200 or 206 with `Range: bytes=a-b`, `a-`, `-n`; 416 outside it; the
/// provider's 404 when missing. The bytes go out as a file region (no copy through memory).
enum ObjectResponder {
    static func serve(file: URL, provider: StorageRouter.Provider, headOnly: Bool, range: String?, keepAlive: Bool,
                      context: ChannelHandlerContext, handler: StorageRequestHandler) {
        guard let size = ObjectStore.size(of: file) else {
            let missing = StorageErrors.notFound(provider)
            handler.respond(context: context, status: missing.status, headers: missing.headers.merging(["Content-Type": missing.contentType]) { $1 },
                            body: headOnly ? "" : missing.body)
            return
        }
        var status = 200
        var (start, end) = (Int64(0), size - 1)
        if let range {
            guard let requested = parse(range, size: size) else {
                handler.respond(context: context, status: 416, headers: ["Content-Range": "bytes */\(size)"], body: "")
                return
            }
            (start, end) = requested
            status = 206
        }
        var headers = HTTPHeaders([("Content-Type", "application/octet-stream"), ("Accept-Ranges", "bytes"),
                                   ("Content-Length", String(max(0, end - start + 1))), ("Connection", keepAlive ? "keep-alive" : "close")])
        if status == 206 { headers.add(name: "Content-Range", value: "bytes \(start)-\(end)/\(size)") }
        if provider == .azure { headers.add(name: "x-ms-blob-type", value: "BlockBlob") }
        context.write(handler.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers))), promise: nil)
        if !headOnly && end >= start, let fileHandle = try? NIOFileHandle(_deprecatedPath: file.path) {
            let region = FileRegion(fileHandle: fileHandle, readerIndex: Int(start), endIndex: Int(end) + 1)
            context.write(handler.wrapOutboundOut(.body(.fileRegion(region)))).whenComplete { _ in try? fileHandle.close() }
        }
        handler.finish(context: context)
    }

    /// A single `bytes=` range within `size`, or `nil` when it cannot be satisfied.
    static func parse(_ header: String, size: Int64) -> (Int64, Int64)? {
        guard header.hasPrefix("bytes="), !header.contains(","), size > 0 else { return nil }
        let spec = header.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard spec.count == 2 else { return nil }
        if spec[0].isEmpty {
            guard let suffix = Int64(spec[1]), suffix > 0 else { return nil }
            return (max(0, size - suffix), size - 1)
        }
        guard let first = Int64(spec[0]), first < size else { return nil }
        let last = spec[1].isEmpty ? size - 1 : min(Int64(spec[1]) ?? -1, size - 1)
        return last >= first ? (first, last) : nil
    }
}
