import Foundation
import NIOCore
import NIOHTTP1
import RequestVerification
#if canImport(Glibc)
import Glibc
#endif

/// One connection: decides each request from its head (so `Expect: 100-continue` gets the final
/// refusal before any body), streams uploads to a temporary file, and serves objects with ranges.
final class StorageRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// An upload in progress and what its commit must satisfy.
    struct Upload {
        let file: UploadFile
        let target: URL
        let key: String
        let status: Int
        let provider: StorageRouter.Provider
        let conditions: WriteConditions
    }

    enum State {
        case idle
        case uploading(Upload)
        /// A body to read and drop, then this answer (a refused request that sent its body anyway).
        case discarding(answer: ProviderRefusal?)
    }

    let router: StorageRouter
    let connectionGuard: ConnectionGuard
    var state = State.idle
    var keepAlive = true

    init(router: StorageRouter, connectionGuard: ConnectionGuard) {
        self.router = router
        self.connectionGuard = connectionGuard
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        connectionGuard.onBodyTimeout = {
            let (handler, context) = loopBound.value
            handler.bodyTimedOut(context: context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): handleHead(head, context: context)
        case .body(let buffer): handleBody(buffer)
        case .end:
            connectionGuard.requestReceived()
            handleEnd(context: context)
        }
    }

    /// Bytes of the request line and headers as sent.
    static func headSize(_ head: HTTPRequestHead) -> Int {
        head.method.rawValue.utf8.count + head.uri.utf8.count + 12 + head.headers.reduce(2) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
    }

    private func handleHead(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        keepAlive = head.isKeepAlive
        let expectsContinue = head.headers["expect"].contains { $0.lowercased() == "100-continue" }
        let hasBody = (head.headers["content-length"].first.flatMap(Int.init) ?? 0) > 0 || head.headers["transfer-encoding"].contains { $0.lowercased().contains("chunked") }
        connectionGuard.headReceived(expectsBody: hasBody)
        let limit = router.configuration.limits.maxHeadBytes
        guard Self.headSize(head) <= limit else {
            keepAlive = false
            state = .discarding(answer: nil)
            respond(context: context, status: 431, headers: ["Content-Type": "text/plain; charset=utf-8"],
                    body: "The request line and headers exceed \(limit) bytes (--max-head-bytes); send a shorter request.\n")
            return
        }
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let request = IncomingRequest(method: head.method.rawValue, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : "",
                                      headers: head.headers.map { (name: $0.name, value: $0.value) }, isHTTPS: false,
                                      clientIP: context.remoteAddress?.ipAddress)
        switch router.decide(request) {
        case .refuse(let refusal):
            if hasBody && !expectsContinue {
                state = .discarding(answer: refusal)
            } else {
                // With Expect: 100-continue the refusal is final: no 100, no body, the connection closes.
                if expectsContinue { keepAlive = false }
                state = .discarding(answer: nil)
                respond(context: context, refusal: refusal)
            }
        case .allow(let provider, .write(let file, let key, let status, let conditions)):
            do {
                let upload = try router.store.temporary(for: file)
                upload.hash(with: conditions.digests.map(\.algorithm))
                state = .uploading(Upload(file: upload, target: file, key: key, status: status, provider: provider, conditions: conditions))
                if expectsContinue {
                    context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
                }
            } catch {
                Self.log(error)
                if expectsContinue { keepAlive = false }
                let answer = StorageErrors.storeFailed(error, provider)
                if hasBody && !expectsContinue {
                    state = .discarding(answer: answer)
                } else {
                    state = .discarding(answer: nil)
                    respond(context: context, refusal: answer)
                }
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
                respond(context: context, refusal: StorageErrors.notFound(provider))
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // An upload cut short (an aborted probe, a dropped client) leaves nothing behind.
        if case .uploading(let upload) = state { upload.file.discard() }
        state = .idle
        context.fireChannelInactive()
    }

    /// Writes a provider's refusal.
    func respond(context: ChannelHandlerContext, refusal: ProviderRefusal) {
        respond(context: context, status: refusal.status, headers: refusal.headers.merging(["Content-Type": refusal.contentType]) { $1 }, body: refusal.body)
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
        // Before the end is written: a pipelined request may start as soon as it is.
        if keep { connectionGuard.responseEnding() }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keep { loopBound.value.close(promise: nil) }
        }
    }

    /// A server-side error for the log: what failed and `strerror`, never a path.
    static func log(_ error: StoreError) {
        let line = Array("presign serve: \(error)\n".utf8)
        _ = line.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
