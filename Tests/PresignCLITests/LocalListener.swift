import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway HTTP/1.1 server on 127.0.0.1 for tests that need to see exactly what a client
/// sent, or to play a server with a scripted answer: one request per connection, answered by
/// `respond`, every request head and body recorded.
final class LocalListener: @unchecked Sendable {
    /// One request as it arrived.
    struct Request: Sendable {
        let method: String
        /// The request target exactly as sent (path and query).
        let target: String
        let headers: [String: String]
        let body: Data
    }

    /// A scripted answer.
    struct Answer: Sendable {
        var status: Int
        var contentType = "application/json"
        var body: String
        /// Further response headers (e.g. a `Location`).
        var headers: [String: String] = [:]
    }

    let port: UInt16
    var base: String { "http://127.0.0.1:\(port)" }
    private let socketFD: Int32
    private let lock = NSLock()
    private var recorded: [Request] = []
    private let respond: @Sendable (Request) -> Answer

    init(respond: @escaping @Sendable (Request) -> Answer) throws {
        self.respond = respond
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        socketFD = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in serve() }
    }

    /// The requests received so far, in order.
    var requests: [Request] { lock.withLock { recorded } }

    /// Stops accepting connections.
    func stop() { shutdown(socketFD, Int32(SHUT_RDWR)); close(socketFD) }

    private func serve() {
        while true {
            let client = accept(socketFD, nil, nil)
            guard client >= 0 else { return }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var data = Data()
        let separator = Data("\r\n\r\n".utf8)
        while data.range(of: separator) == nil, let chunk = read(client), !chunk.isEmpty { data.append(chunk) }
        guard let end = data.range(of: separator) else { return }
        let lines = String(decoding: data[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ", maxSplits: 2).map(String.init)
        guard requestLine.count == 3 else { return }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(data[end.upperBound...])
        let length = headers["content-length"].flatMap(Int.init) ?? 0
        if headers["expect"]?.lowercased() == "100-continue" && body.count < length { write(client, "HTTP/1.1 100 Continue\r\n\r\n") }
        while body.count < length, let chunk = read(client), !chunk.isEmpty { body.append(chunk) }
        let request = Request(method: requestLine[0], target: requestLine[1], headers: headers, body: body)
        lock.withLock { recorded.append(request) }
        let answer = respond(request)
        let payload = Array(answer.body.utf8)
        let extra = answer.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)\r\n" }.joined()
        write(client, "HTTP/1.1 \(answer.status) Answer\r\nContent-Type: \(answer.contentType)\r\nContent-Length: \(payload.count)\r\n\(extra)Connection: close\r\n\r\n\(answer.body)")
    }

    private func read(_ client: Int32) -> Data? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = recv(client, &buffer, buffer.count, 0)
        return count > 0 ? Data(buffer[..<count]) : nil
    }

    private func write(_ client: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            bytes = bytes.dropFirst(sent)
        }
    }
}
