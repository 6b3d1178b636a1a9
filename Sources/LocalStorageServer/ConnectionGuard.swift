import NIOCore

/// Sits below the HTTP decoder and bounds a connection: the idle timeout (no request started),
/// the header timeout (a head that does not finish: 408), the request-head size (431), and the
/// body timeout (reported to the request handler, which answers in the provider's shape).
final class ConnectionGuard: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Phase { case awaitingHead, inBody, responding, closing }

    private let limits: ServeLimits
    private(set) var phase = Phase.awaitingHead
    private var headBytes = 0
    private var phaseStarted = NIODeadline.now()
    private var firstHeadByte = NIODeadline.now()
    private var lastBodyByte = NIODeadline.now()
    private var timer: RepeatedTask?
    /// Counts phase changes, so a read that ended a request (and its response) is not taken for head bytes.
    private var transitions = 0
    /// Called when an upload's body stalls for longer than the body timeout.
    var onBodyTimeout: (() -> Void)?

    init(limits: ServeLimits) { self.limits = limits }

    func channelActive(context: ChannelHandlerContext) {
        phaseStarted = .now()
        let interval = TimeAmount.milliseconds(Int64(limits.checkInterval * 1000))
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            let (handler, context) = loopBound.value
            handler.check(context: context)
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        onBodyTimeout = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if phase == .closing { return }
        let count = unwrapInboundIn(data).readableBytes
        if phase == .awaitingHead && headBytes == 0 { firstHeadByte = .now() }
        lastBodyByte = .now()
        let before = (phase, transitions)
        context.fireChannelRead(data)
        // Bytes that did not complete a head (no phase change while they were read) count towards its bound.
        guard before == (.awaitingHead, transitions) else { return }
        headBytes += count
        if headBytes > limits.maxHeadBytes {
            refuse(context: context, status: "431 Request Header Fields Too Large",
                   message: "The request line and headers exceed \(limits.maxHeadBytes) bytes (--max-head-bytes); send a shorter request.")
        }
    }

    /// The request handler received a complete head.
    func headReceived(expectsBody: Bool) {
        phase = expectsBody ? .inBody : .responding
        transitions += 1
        lastBodyByte = .now()
    }

    /// The request handler received the whole request.
    func requestReceived() {
        if phase == .inBody { phase = .responding }
    }

    /// The response is about to end: the connection waits for its next request.
    func responseEnding() {
        guard phase != .closing else { return }
        phase = .awaitingHead
        transitions += 1
        headBytes = 0
        phaseStarted = .now()
    }

    private func check(context: ChannelHandlerContext) {
        let now = NIODeadline.now()
        func exceeded(_ since: NIODeadline, _ seconds: Double) -> Bool { now - since > .milliseconds(Int64(seconds * 1000)) }
        switch phase {
        case .awaitingHead where headBytes == 0 && exceeded(phaseStarted, limits.idleTimeout):
            phase = .closing
            context.close(promise: nil)
        case .awaitingHead where headBytes > 0 && exceeded(firstHeadByte, limits.headerTimeout):
            refuse(context: context, status: "408 Request Timeout",
                   message: "The request head did not arrive within \(limits.headerTimeout) s (--header-timeout); send it without pauses.")
        case .inBody where exceeded(lastBodyByte, limits.bodyTimeout):
            phase = .closing
            if let onBodyTimeout { onBodyTimeout() } else { context.close(promise: nil) }
        default:
            break
        }
    }

    /// A plain-text answer written below the HTTP encoder, then a gentle close: the output is shut
    /// first and further input dropped, so the client reads the answer instead of a reset.
    private func refuse(context: ChannelHandlerContext, status: String, message: String) {
        phase = .closing
        Self.answerAndClose(context: context, status: status, message: message, wrap: wrapOutboundOut)
    }

    static func answerAndClose(context: ChannelHandlerContext, status: String, message: String, wrap: (ByteBuffer) -> NIOAny) {
        let body = message + "\n"
        let text = "HTTP/1.1 \(status)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        let buffer = context.channel.allocator.buffer(string: text)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrap(buffer)).whenComplete { _ in
            let context = loopBound.value
            context.close(mode: .output, promise: nil)
            context.eventLoop.scheduleTask(in: .seconds(1)) { loopBound.value.close(promise: nil) }
        }
    }
}

/// The handler of a connection over the cap: 503 and close, reading nothing.
final class OverCapacityHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let cap: Int

    init(cap: Int) { self.cap = cap }

    func channelActive(context: ChannelHandlerContext) {
        ConnectionGuard.answerAndClose(context: context, status: "503 Service Unavailable",
                                       message: "presign serve is serving its maximum of \(cap) connections (--max-connections); retry shortly.", wrap: wrapOutboundOut)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
