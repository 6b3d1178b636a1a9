import AWSSigV4
import Foundation
import SigningCore

/// Streams `--keys-from`: reads keys line by line, signs each with one prepared template, and
/// writes one output line per input line, in order, in constant memory.
struct S3BatchRunner {
    let batch: S3BatchPresigner
    /// The key prefix from `s3://BUCKET/PREFIX`.
    let prefix: String
    let method: String
    let output: SigningOutputOptions

    /// Signs every line of `source` (`-` is stdin). Returns false when any line was bad.
    func run(source: String) throws -> Bool {
        let fd: Int32
        if source == "-" {
            fd = 0
        } else {
            fd = open(source, O_RDONLY)
            guard fd >= 0 else {
                throw CLIFailure.usage("Cannot read --keys-from '\(source)': \(String(cString: strerror(errno))). Give a readable file, or - for stdin.")
            }
        }
        defer { if fd != 0 { close(fd) } }

        let stdout = StandardOutput()
        var allGood = true
        var lineNumber = 0
        var key: [UInt8] = Array(prefix.utf8)
        let prefixCount = key.count
        let headers = batch.template.canonicalHeaders
        let requiredHeaders = headers.names.filter { $0 != "host" }.map { (name: $0, value: headers.values[$0]!) }
        // Plain output: the headers every URL needs, once, on stderr (--json puts them in each object).
        if !output.json { SignedURLOutput.announce(requiredHeaders) }

        func handle(line: ArraySlice<UInt8>) {
            lineNumber += 1
            var line = line
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            key.removeSubrange(prefixCount...)
            key.append(contentsOf: line)
            do {
                if line.isEmpty { try S3ObjectKey.validate([UInt8]()) }
                // A segment starting with '.' is rare: only then is the key decoded and looked at.
                let mayHaveDotSegment = key.first == UInt8(ascii: ".") || zip(key, key.dropFirst()).contains { $0 == UInt8(ascii: "/") && $1 == UInt8(ascii: ".") }
                if mayHaveDotSegment && SignedURLOutput.hasDotSegments(String(decoding: key, as: UTF8.self)) {
                    StandardError.write("line \(lineNumber): \(S3Invocation.dotSegmentWarning)\n")
                }
                if output.json {
                    var url: [UInt8] = []
                    try batch.sign(key: key, appendingURLTo: &url)
                    let result = SignedURLOutput(
                        provider: "s3", method: method, url: String(decoding: url, as: UTF8.self),
                        headers: requiredHeaders, expiresAt: batch.template.expiresAt.rfc3339,
                        extra: [("key", JSONText.string(String(decoding: key, as: UTF8.self)))])
                    stdout.append(result.json + "\n")
                } else {
                    try stdout.withBuffer { buffer in
                        try batch.sign(key: key, appendingURLTo: &buffer)
                        buffer.append(UInt8(ascii: "\n"))
                    }
                }
            } catch {
                allGood = false
                let message = (error as? AWSSigV4Error)?.message ?? "\(error)"
                StandardError.write("line \(lineNumber): \(message)\n")
                if output.json {
                    stdout.append(JSONText.object([("line", String(lineNumber)), ("error", JSONText.string(message))]) + "\n")
                } else {
                    stdout.append("\n")
                }
            }
        }

        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw CLIFailure.failed("Reading --keys-from '\(source)' failed at line \(lineNumber + 1): \(String(cString: strerror(errno))).")
            }
            if count == 0 { break }
            var start = 0
            for index in 0..<count where chunk[index] == UInt8(ascii: "\n") {
                if pending.isEmpty {
                    handle(line: chunk[start..<index])
                } else {
                    pending.append(contentsOf: chunk[start..<index])
                    handle(line: pending[...])
                    pending.removeAll(keepingCapacity: true)
                }
                start = index + 1
            }
            pending.append(contentsOf: chunk[start..<count])
            if pending.count > 1 << 20 {
                throw CLIFailure.failed("Line \(lineNumber + 1) of --keys-from is longer than 1 MiB; this is not a list of keys.")
            }
        }
        if !pending.isEmpty { handle(line: pending[...]) }
        stdout.flush()
        return allGood
    }
}
