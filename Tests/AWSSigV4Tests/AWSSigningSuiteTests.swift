import AWSSigV4
import Foundation
import SigningCore
import TestSupport
import Testing

/// AWS's own SigV4 test suite (aws-c-auth, `v4/*/query-*`): every presign (query-string) case,
/// asserting canonical request, string to sign, signature and the emitted query parameters.
/// These cases use the generic-service path rules (normalisation + double encoding), not S3's.
struct AWSSigningSuiteTests {
    static let suiteDirectory = TestPaths.fixture("aws-sigv4/aws-signing-test-suite/v4")

    /// The suite's case folders, or one name that reports the missing fixture folder (so the
    /// parameterized test fails, naming it, instead of running no case).
    static var caseNames: [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: suiteDirectory.path)) ?? []).filter { !$0.hasPrefix(".") }
        return names.isEmpty ? ["MISSING FIXTURE FOLDER \(TestPaths.displayPath(suiteDirectory))"] : names.sorted()
    }

    @Test func suiteIsComplete() {
        #expect(Self.caseNames.count == 38)
    }

    @Test(arguments: caseNames)
    func queryVariant(_ name: String) throws {
        let dir = Self.suiteDirectory.appendingPathComponent(name)
        let context = try #require(try TestPaths.json(dir.appendingPathComponent("context.json")) as? [String: Any])
        let request = try RawHTTPRequest(parsing: TestPaths.text(dir.appendingPathComponent("request.txt")))
        let credentialsJSON = try #require(context["credentials"] as? [String: String])
        let credentials = try AWSCredentials(
            accessKeyID: try #require(credentialsJSON["access_key_id"]),
            secretAccessKey: try #require(credentialsJSON["secret_access_key"]),
            sessionToken: credentialsJSON["token"])
        let timestamp = try Timestamp.parse(try #require(context["timestamp"] as? String))
        let presigner = SigV4QueryPresigner(
            credentials: credentials, region: try #require(context["region"] as? String),
            service: try #require(context["service"] as? String))
        let host = try #require(request.headers.first { $0.name.lowercased() == "host" }?.value)
        let sigRequest = SigV4Request(
            method: request.method, scheme: "https", authority: host, path: request.path,
            canonicalURI: SigV4.genericCanonicalURI(requestPath: request.path, normalize: context["normalize"] as? Bool ?? true),
            query: request.query, headers: request.headers.filter { $0.name.lowercased() != "host" })
        let result = try presigner.presign(
            sigRequest, expiresIn: Int64(try #require(context["expiration_in_seconds"] as? Int)), at: timestamp,
            payloadHash: SHA256.hexDigest(request.body),
            signSessionToken: !(context["omit_session_token"] as? Bool ?? false))

        #expect(result.canonicalRequest == (try TestPaths.text(dir.appendingPathComponent("query-canonical-request.txt"))))
        #expect(result.stringToSign == (try TestPaths.text(dir.appendingPathComponent("query-string-to-sign.txt"))))
        #expect(result.signature == (try TestPaths.text(dir.appendingPathComponent("query-signature.txt"))).trimmingCharacters(in: .whitespacesAndNewlines))

        // The emitted URL carries the same parameters as AWS's signed request (order is free).
        let signed = try RawHTTPRequest(parsing: TestPaths.text(dir.appendingPathComponent("query-signed-request.txt")))
        let ours = try #require(result.url.split(separator: "?", maxSplits: 1).last)
        // Compared decoded, since the suite writes raw UTF-8 where a URL must carry %XX.
        let decoded = { (pairs: [(String, String)]) in pairs.map { "\(PercentEncoding.decode($0.0) ?? "?")=\(PercentEncoding.decode($0.1) ?? "?")" }.sorted() }
        #expect(decoded(RawHTTPRequest.queryPairs(String(ours))) == decoded(signed.rawQuery))
    }
}

/// A minimal reader of the suite's `request.txt` files (request line, headers with obsolete
/// line folding, blank line, body).
struct RawHTTPRequest {
    var method: String
    var path: String
    var rawQuery: [(String, String)]
    var headers: [(name: String, value: String)]
    var body: String

    /// Query parameters percent-decoded once (`+` stays `+`).
    var query: [(name: String, value: String)] {
        rawQuery.map { (PercentEncoding.decode($0.0) ?? $0.0, PercentEncoding.decode($0.1) ?? $0.1) }
    }

    init(parsing text: String) throws {
        let parts = text.components(separatedBy: "\n\n")
        let head = parts[0]
        body = parts.dropFirst().joined(separator: "\n\n")
        var lines = head.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        let space = try #require(requestLine.firstIndex(of: " "))
        method = String(requestLine[..<space])
        var target = String(requestLine[requestLine.index(after: space)...])
        if target.hasSuffix(" HTTP/1.1") { target.removeLast(" HTTP/1.1".count) }
        let pieces = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(pieces[0])
        rawQuery = pieces.count > 1 ? Self.queryPairs(String(pieces[1])) : []
        headers = []
        for line in lines where !line.isEmpty {
            if line.first == " " || line.first == "\t", let last = headers.popLast() {
                headers.append((last.name, last.value + " " + line.trimmingCharacters(in: .whitespaces)))
            } else {
                let colon = try #require(line.firstIndex(of: ":"))
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
    }

    static func queryPairs(_ query: String) -> [(String, String)] {
        query.split(separator: "&").map { part in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(kv[0]), kv.count > 1 ? String(kv[1]) : "")
        }
    }
}
