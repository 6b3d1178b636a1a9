import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport

/// A plain TCP connection for tests that need what an HTTP client will not do: send half a
/// request, stall mid-body, or vanish. Blocking calls, so use it off the cooperative pool.
final class RawConnection: @unchecked Sendable {
    private(set) var descriptor: Int32

    /// Connects to `host:port` (IPv4 or IPv6 literal).
    init(host: String = "127.0.0.1", port: Int) throws {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let info = list else {
            throw StandInError(message: "cannot resolve \(host)")
        }
        defer { freeaddrinfo(list) }
        descriptor = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw StandInError(message: "socket() failed: errno \(errno)") }
        guard connect(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw StandInError(message: "connect() to \(host):\(port) failed: errno \(code)")
        }
    }

    /// `host:port` of a URL such as `http://127.0.0.1:9000` or `http://[::1]:9000`.
    static func endpoint(of baseURL: String) -> (host: String, port: Int) {
        let afterScheme = baseURL.replacingOccurrences(of: "http://", with: "")
        let authority = afterScheme.prefix { $0 != "/" }
        guard let colon = authority.lastIndex(of: ":") else { return (String(authority), 80) }
        let host = authority[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return (host, Int(authority[authority.index(after: colon)...]) ?? 80)
    }

    convenience init(baseURL: String) throws {
        let (host, port) = Self.endpoint(of: baseURL)
        try self.init(host: host, port: port)
    }

    /// Sends every byte; false when the peer has closed.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads until the peer closes or `timeout` seconds pass; `closed` tells which.
    func readUntilClosed(timeout: Double) -> (bytes: [UInt8], closed: Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return (received, false) }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(left, 1) * 1000) + 1)
            if ready < 0 && errno != EINTR { return (received, true) }
            if ready <= 0 { continue }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return (received, true) }
            received += buffer[0..<count]
        }
    }

    /// Reads until a complete response head arrived (`\r\n\r\n`), the peer closes, or `timeout`.
    func readHead(timeout: Double) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var received: [UInt8] = []
        var byte: UInt8 = 0
        while deadline.timeIntervalSinceNow > 0 {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 200) <= 0 { continue }
            if recv(descriptor, &byte, 1, 0) <= 0 { break }
            received.append(byte)
            if received.count >= 4 && received.suffix(4) == [13, 10, 13, 10] { break }
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// The status code of a response head, or 0.
    static func status(of head: String) -> Int {
        Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// Closes at once with a reset (SO_LINGER 0): a client that vanishes.
    func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close()
    }

    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    deinit { close() }

    /// A request head for `url` (path and query kept as given), with `Host` and `headers`.
    static func head(method: String, url: String, headers: [(String, String)]) -> String {
        let afterScheme = url.replacingOccurrences(of: "http://", with: "")
        let slash = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        let target = slash < afterScheme.endIndex ? String(afterScheme[slash...]) : "/"
        var text = "\(method) \(target) HTTP/1.1\r\nHost: \(afterScheme[..<slash])\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        return text + "\r\n"
    }
}
