import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How long a connection may wait and how much it may hold, as real object stores bound them.
public struct ServeLimits: Sendable, Equatable {
    /// Seconds a connection may stay open without starting a request (closed silently).
    public var idleTimeout: Double = 60
    /// Seconds from a request's first byte to the end of its head (then 408 and close).
    public var headerTimeout: Double = 30
    /// Seconds an upload may go without receiving body bytes (then the provider's 400 `RequestTimeout`).
    public var bodyTimeout: Double = 60
    /// Connections served at once; one more is answered 503 and closed.
    public var maxConnections = 512
    /// Bytes of request line and headers (then 431).
    public var maxHeadBytes = 16_384

    /// The defaults: 60 s idle, 30 s header, 60 s body, 512 connections, 16 KiB heads.
    public init() {}

    /// `maxConnections`, lowered to fit the process's descriptor limit (each connection may hold
    /// a socket and a file; 32 stay for the server itself and for connections being refused).
    public var effectiveMaxConnections: Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(Int32.max) else { return maxConnections }
        return max(1, min(maxConnections, (Int(limit.rlim_cur) - 48) / 2))
    }

    /// How often timeouts are checked: a quarter of the shortest, from 50 ms to 1 s.
    var checkInterval: Double { min(1, max(0.05, min(idleTimeout, headerTimeout, bodyTimeout) / 4)) }
}
