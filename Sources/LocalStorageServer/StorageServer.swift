import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// The local storage endpoint of `presign serve`: S3 (path and `BUCKET.localhost` virtual hosts),
/// Azure Blob (`/ACCOUNT/CONTAINER/BLOB`) and GCS (`/BUCKET/OBJECT`) on one port, each request's
/// signature checked as the provider checks it before anything is stored or served.
public final class StorageServer: Sendable {
    /// The address it listens on.
    public let host: String
    /// The port it listens on (the chosen one when 0 was asked).
    public let port: Int
    private let channel: Channel
    private let group: MultiThreadedEventLoopGroup

    private init(host: String, port: Int, channel: Channel, group: MultiThreadedEventLoopGroup) {
        self.host = host
        self.port = port
        self.channel = channel
        self.group = group
    }

    /// `http://HOST:PORT`, with an IPv6 address in brackets (`http://[::1]:9000`).
    public var baseURL: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// Binds and starts serving. A write past a file-size limit fails with `EFBIG` instead of
    /// killing the process (`SIGXFSZ` is ignored), so it becomes an answer like a full disk.
    public static func start(_ configuration: StorageServerConfiguration) async throws -> StorageServer {
        try FileManager.default.createDirectory(at: configuration.root, withIntermediateDirectories: true)
        signal(SIGXFSZ, SIG_IGN)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(2, System.coreCount))
        let router = StorageRouter(configuration: configuration)
        let limits = configuration.limits
        let cap = limits.effectiveMaxConnections
        let count = ConnectionCount(cap: cap)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                guard count.admit(channel) else {
                    return channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(OverCapacityHandler(cap: cap)) }
                }
                return channel.eventLoop.makeCompletedFuture {
                    let connectionGuard = ConnectionGuard(limits: limits)
                    try channel.pipeline.syncOperations.addHandler(connectionGuard)
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(StorageRequestHandler(router: router, connectionGuard: connectionGuard))
                }
            }
            .childChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
        let channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        return StorageServer(host: configuration.host, port: channel.localAddress?.port ?? configuration.port, channel: channel, group: group)
    }

    /// Stops listening and closes every connection.
    public func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    /// Runs until the channel closes (for `presign serve`).
    public func wait() async throws {
        try await channel.closeFuture.get()
    }
}
