// Fetches the first bytes of every URL in a file with the HTTP module, N at a time, and prints
// one line: `count ok seconds`. Driven by Benchmarks/http_bench.sh, which times the same URLs
// fetched by curl processes in parallel.
import Foundation
import HTTP

let arguments = CommandLine.arguments
guard arguments.count == 4, let concurrency = Int(arguments[2]), let bytes = Int(arguments[3]),
      let text = try? String(contentsOfFile: arguments[1], encoding: .utf8)
else {
    FileHandle.standardError.write(Data("usage: HTTPBench URLS_FILE CONCURRENCY FIRST_BYTES\n".utf8))
    exit(2)
}
let urls = text.split(separator: "\n").map(String.init)
let client = HTTPClient(maxConcurrentTransfers: concurrency)
let started = Date()
let ok = await withTaskGroup(of: Bool.self) { group in
    for url in urls {
        group.addTask {
            guard let response = try? await client.send(.rangedGet(url: url, firstBytes: bytes)) else { return false }
            return response.status == 206 && response.body.count == bytes
        }
    }
    var count = 0
    for await success in group where success { count += 1 }
    return count
}
print(urls.count, ok, String(format: "%.3f", Date().timeIntervalSince(started)))
