import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

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

    /// `http://HOST:PORT`.
    public var baseURL: String { "http://\(host):\(port)" }

    /// Binds and starts serving.
    public static func start(_ configuration: StorageServerConfiguration) async throws -> StorageServer {
        try FileManager.default.createDirectory(at: configuration.root, withIntermediateDirectories: true)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(2, System.coreCount))
        let router = StorageRouter(configuration: configuration)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(StorageRequestHandler(router: router))
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
