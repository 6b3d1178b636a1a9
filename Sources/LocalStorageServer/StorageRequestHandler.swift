import Foundation
import NIOCore
import NIOHTTP1
import RequestVerification

/// One connection: decides each request from its head (so `Expect: 100-continue` gets the final
/// refusal before any body), streams uploads to a temporary file, and serves objects with ranges.
final class StorageRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        case uploading(handle: FileHandle, temporary: URL, file: URL, key: String, status: Int, provider: StorageRouter.Provider)
        /// A body to read and drop, then this answer (a refused request that sent its body anyway).
        case discarding(answer: ProviderRefusal?)
    }

    private let router: StorageRouter
    private var state = State.idle
    private var keepAlive = true

    init(router: StorageRouter) { self.router = router }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): handleHead(head, context: context)
        case .body(let buffer):
            if case .uploading(let handle, _, _, _, _, _) = state {
                buffer.withUnsafeReadableBytes { handle.write(Data($0)) }
            }
        case .end: handleEnd(context: context)
        }
    }

    private func handleHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        keepAlive = head.isKeepAlive
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let request = IncomingRequest(method: head.method.rawValue, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : "",
                                      headers: head.headers.map { (name: $0.name, value: $0.value) }, isHTTPS: false,
                                      clientIP: context.remoteAddress?.ipAddress)
        let expectsContinue = head.headers["expect"].contains { $0.lowercased() == "100-continue" }
        let hasBody = (head.headers["content-length"].first.flatMap(Int.init) ?? 0) > 0 || head.headers["transfer-encoding"].contains { $0.lowercased().contains("chunked") }
        switch router.decide(request) {
        case .refuse(let refusal):
            if hasBody && !expectsContinue {
                state = .discarding(answer: refusal)
            } else {
                // With Expect: 100-continue the refusal is final: no 100, no body, the connection closes.
                if expectsContinue { keepAlive = false }
                state = .discarding(answer: nil)
                respond(context: context, status: refusal.status, headers: refusal.headers.merging(["Content-Type": refusal.contentType]) { $1 }, body: refusal.body)
            }
        case .allow(let provider, .write(let file, let key, let status)):
            do {
                let (temporary, handle) = try router.store.temporary(for: file)
                state = .uploading(handle: handle, temporary: temporary, file: file, key: key, status: status, provider: provider)
                if expectsContinue {
                    context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
                }
            } catch {
                state = .discarding(answer: nil)
                respond(context: context, status: 500, headers: ["Content-Type": "text/plain"], body: "cannot store the object: \(error)")
            }
        case .allow(let provider, .read(let file, let headOnly)):
            state = .discarding(answer: nil)
            ObjectResponder.serve(file: file, provider: provider, headOnly: headOnly, range: head.headers["range"].first,
                                  keepAlive: keepAlive, context: context, handler: self)
        case .allow(let provider, .delete(let file)):
            state = .discarding(answer: nil)
            if router.store.delete(file) || provider == .s3 {
                respond(context: context, status: provider == .azure ? 202 : 204, headers: [:], body: "")
            } else {
                let missing = S3Refusals.notFound(provider)
                respond(context: context, status: missing.status, headers: missing.headers.merging(["Content-Type": "application/xml"]) { $1 }, body: missing.body)
            }
        }
    }

    private func handleEnd(context: ChannelHandlerContext) {
        switch state {
        case .uploading(let handle, let temporary, let file, let key, let status, let provider):
            try? handle.close()
            do {
                try router.store.commit(temporary, to: file, key: key)
                var headers = ["ETag": "\"\(UUID().uuidString.lowercased())\""]
                if provider == .azure { headers["x-ms-request-server-encrypted"] = "false" }
                respond(context: context, status: status, headers: headers, body: "")
            } catch {
                respond(context: context, status: 500, headers: ["Content-Type": "text/plain"], body: "cannot store the object")
            }
        case .discarding(let answer?):
            respond(context: context, status: answer.status, headers: answer.headers.merging(["Content-Type": answer.contentType]) { $1 }, body: answer.body)
        default:
            break
        }
        state = .idle
    }

    func channelInactive(context: ChannelHandlerContext) {
        // An upload cut short (an aborted probe, a dropped client) leaves nothing behind.
        if case .uploading(let handle, let temporary, _, _, _, _) = state {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
        }
        state = .idle
        context.fireChannelInactive()
    }

    /// Writes a complete response; closes the connection unless it is kept alive.
    func respond(context: ChannelHandlerContext, status: Int, headers: [String: String], body: String) {
        var fields = HTTPHeaders(headers.map { ($0.key, $0.value) })
        fields.replaceOrAdd(name: "Content-Length", value: String(body.utf8.count))
        fields.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: fields))), promise: nil)
        if !body.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
            buffer.writeString(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        finish(context: context)
    }

    /// Ends the response, closing the connection when it is not kept alive.
    func finish(context: ChannelHandlerContext) {
        let keep = keepAlive
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keep { context.close(promise: nil) }
        }
    }
}
