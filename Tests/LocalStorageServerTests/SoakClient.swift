import Foundation
import AWSSigV4
import HTTP
import SigningCore
import TestSupport

/// One soak client: owns its keys (so what each holds is known), and sends a seeded mix of
/// requests one after another, checking each answer against what it stored.
struct SoakClient {
    let index: Int
    let sign: DemoSigner
    let http: HTTPClient
    let tally: ServeSoakTests.Tally
    typealias Stored = ServeSoakTests.Stored

    /// A key's provider, from its number: S3, GCS or Azure in turn.
    struct Target {
        let key: String
        let provider: Int

        func url(_ sign: DemoSigner, _ method: String, at: Timestamp = Timestamp(Date()), expires: Int64 = 600) throws -> String {
            switch provider {
            case 0: try sign.s3(key, method: S3Method(rawValue: method) ?? .GET, at: at, expires: expires)
            case 1: try sign.gcs(key, method: method, at: at, expires: expires)
            default: try sign.azure(key, permissions: "rcwd", at: at, expires: expires)
            }
        }

        var created: Int { provider == 2 ? 201 : 200 }
        var headers: [(name: String, value: String)] { provider == 2 ? [(name: "x-ms-blob-type", value: "BlockBlob")] : [] }
    }

    static func parse(_ name: String) -> Target {
        Target(key: name, provider: (Int(name.split(separator: "k").last ?? "") ?? 0) % 3)
    }

    func run(requests: Int) async throws -> [String: Stored] {
        var generator = SeededGenerator(seed: UInt64(index) &+ 1_000)
        var model: [String: Stored] = [:]
        let targets = (0..<ServeSoakTests.keysPerClient).map { Self.parse("soak/c\(index)/k\($0)") }
        for _ in 0..<requests {
            let target = targets[Int(generator.next() % UInt64(targets.count))]
            let stored = model[target.key]
            let roll = generator.next() % 100
            do {
                switch roll {
                case 0..<30: model[target.key] = try await put(target, &generator)
                case 30..<55: try await get(target, stored, range: nil)
                case 55..<65:
                    let size = stored?.size ?? 1
                    let first = Int(generator.next() % UInt64(max(size, 1)))
                    try await get(target, stored, range: (first, first + Int(generator.next() % 65_536)))
                case 65..<75: try await head(target, stored)
                case 75..<82:
                    try await delete(target, stored)
                    model[target.key] = nil
                case 82..<88:
                    let url = try target.url(sign, "GET")
                    let response = try await http.send(HTTPRequest(url: String(url.dropLast()) + (url.hasSuffix("0") ? "1" : "0")))
                    tally.record("tampered", response.status == 403, "\(response.status)")
                case 88..<94:
                    let url = try target.url(sign, "GET", at: Timestamp(Date()).adding(seconds: -3600), expires: 60)
                    let response = try await http.send(HTTPRequest(url: url))
                    tally.record("expired", response.status == (target.provider == 1 ? 400 : 403), "\(response.status)")
                default: try await vanish(target, &generator)
                }
            } catch {
                tally.record("transport", false, "\(error)")
            }
        }
        return model
    }

    private func put(_ target: Target, _ generator: inout SeededGenerator) async throws -> Stored? {
        let size = ServeSoakTests.size(&generator)
        let offset = Int(generator.next() % UInt64(ServeSoakTests.pool.count - size + 1))
        let body = Array(ServeSoakTests.pool[offset..<(offset + size)])
        let response = try await http.send(HTTPRequest(method: "PUT", url: try target.url(sign, "PUT"), headers: target.headers, body: .bytes(body), totalTimeout: 120))
        tally.record("put", response.status == target.created, "\(response.status) \(response.text.prefix(120))")
        return response.status == target.created ? Stored(offset: offset, size: size) : nil
    }

    private func get(_ target: Target, _ stored: Stored?, range: (Int, Int)?) async throws {
        var headers: [(name: String, value: String)] = []
        if let range { headers.append((name: "Range", value: "bytes=\(range.0)-\(range.1)")) }
        let response = try await http.send(HTTPRequest(url: try target.url(sign, "GET"), headers: headers, maxResponseBytes: 9 << 20, totalTimeout: 120))
        let kind = range == nil ? "get" : "ranged get"
        guard let stored else { return tally.record(kind, response.status == 404, "\(response.status) for a missing object") }
        let content = ServeSoakTests.pool[stored.offset..<(stored.offset + stored.size)]
        if let range {
            if stored.size == 0 { return tally.record(kind, response.status == 416, "\(response.status) for a range of an empty object") }
            let last = min(range.1, stored.size - 1)
            let expected = Array(content.dropFirst(range.0).prefix(last - range.0 + 1))
            tally.record(kind, response.status == 206 && response.body == expected, "\(response.status), \(response.body.count) bytes")
        } else {
            tally.record(kind, response.status == 200 && response.body.elementsEqual(content), "\(response.status), \(response.body.count) of \(stored.size) bytes")
        }
    }

    private func head(_ target: Target, _ stored: Stored?) async throws {
        let response = try await http.send(HTTPRequest(method: "HEAD", url: try target.url(sign, "HEAD")))
        guard let stored else { return tally.record("head", response.status == 404, "\(response.status) for a missing object") }
        tally.record("head", response.status == 200 && response.header("Content-Length") == String(stored.size), "\(response.status)")
    }

    private func delete(_ target: Target, _ stored: Stored?) async throws {
        let response = try await http.send(HTTPRequest(method: "DELETE", url: try target.url(sign, "DELETE")))
        let expected = stored == nil && target.provider != 0 ? 404 : [204, 204, 202][target.provider]
        tally.record("delete", response.status == expected, "\(response.status), expected \(expected)")
    }

    /// Starts an upload on a raw connection and resets it halfway: the stored object must not change.
    private func vanish(_ target: Target, _ generator: inout SeededGenerator) async throws {
        let size = 1_000 + ServeSoakTests.size(&generator)
        let url = try target.url(sign, "PUT")
        let headers = target.headers.map { ($0.name, $0.value) } + [("Content-Length", String(size))]
        let sent = try await offThePool {
            let connection = try RawConnection(baseURL: url)
            defer { connection.reset() }
            return connection.send(RawConnection.head(method: "PUT", url: url, headers: headers)) && connection.send(Array(ServeSoakTests.pool[0..<(size / 2)]))
        }
        tally.record("vanished upload", sent, "could not send half a body")
    }
}
