import AWSSigV4
import Foundation
import SigningCore
import TestSupport
import Testing

/// The 65 botocore presign cases (botocore 1.43.11, frozen clock): canonical request, string to
/// sign, signature, URL parameters and the headers the client must send.
///
/// Client-level cases go through ``S3Presigner`` (key encoding, addressing) when botocore chose
/// the host this tool chooses; where botocore used its global `s3.amazonaws.com` host or
/// dual-stack (which this tool does not emit by design), the same request is signed through
/// ``SigV4QueryPresigner`` with botocore's host, so every case still checks every signing stage.
struct BotocorePresignTests {
    static let fixture = FixtureCases("aws-sigv4/botocore-presign-cases.json")
    nonisolated(unsafe) static let cases = fixture.cases
    static var caseIDs: [String] { fixture.ids }

    /// Cases where botocore's host differs from this tool's host rules, by design.
    static let botocoreOnlyHosts: Set<String> = [
        "doc-example-get", "get-us-east-1-virtual", "get-us-east-1-path", "key-double-slash-path", "get-us-west-2-virtual", "get-dualstack-us-east-2",
        "key-space", "key-plus", "key-tilde", "key-percent", "key-unicode-cjk", "key-unicode-nfc", "key-unicode-nfd",
        "key-emoji", "key-reserved", "key-question-hash", "key-double-slash-virtual", "key-dot-segments",
        "key-leading-slash", "key-trailing-space-tab", "get-response-content-disposition", "get-response-cd-rfc5987",
        "get-response-multi", "get-version-id", "get-range-header", "get-session-token", "head-object",
        "head-object-version", "delete-object", "delete-object-version", "put-object", "put-object-content-type",
        "put-object-metadata-acl", "put-object-sse", "put-object-session-token-us-west-2", "upload-part",
        "create-multipart-upload", "list-objects-v2", "expires-1", "expires-604800", "date-boundary-new-year", "leap-day",
    ]

    @Test func allCasesPresent() {
        #expect(Self.cases.count == 65)
    }

    @Test(arguments: caseIDs)
    func botocoreCase(_ id: String) throws {
        let testCase = try Self.fixture.case(id)
        let input = try #require(testCase["input"] as? [String: Any])
        let expected = try #require(testCase["expected"] as? [String: Any])
        let credentials = try AWSCredentials(
            accessKeyID: try #require(input["access_key_id"] as? String),
            secretAccessKey: try #require(input["secret_access_key"] as? String),
            sessionToken: input["session_token"] as? String)
        let timestampText = try #require(input["timestamp"] as? String)
        let timestamp = try Timestamp.parse(timestampText)
        let expiresValue = try #require(input["expires_in"] as? Int)
        let expires = Int64(expiresValue)
        let region = try #require(input["region"] as? String)

        let result: SigV4PresignedURL
        if input["operation"] is String {
            let call = try BotocoreCall(input: input)
            let endpoint = try (input["endpoint_url"] as? String).map { try S3Endpoint(parsing: $0) }
            let style: S3AddressingStyle = switch input["addressing_style"] as? String {
            case "path": .path
            case "virtual": .virtualHosted
            default: .automatic
            }
            let s3 = try S3Presigner(credentials: credentials, region: region, endpoint: endpoint, addressing: style)
            let ours = try s3.location(bucket: call.bucket)
            let sameHost = ours.authority == (expected["host_header"] as? String) && ours.scheme == (expected["scheme"] as? String)
            #expect(sameHost != Self.botocoreOnlyHosts.contains(id), "host rule: ours \(ours.authority), botocore \(expected["host_header"] ?? "?")")
            if sameHost, let key = call.key, let method = S3Method(rawValue: call.method) {
                let options = S3PresignOptions(method: method, expiresIn: expires, headers: call.headers, query: call.query)
                result = try s3.presign(bucket: call.bucket, key: key, options: options, at: timestamp)
            } else {
                let host = try #require(expected["host_header"] as? String)
                let bucketPrefix = host.hasPrefix(call.bucket + ".") ? "/" : "/\(call.bucket)/"
                let path = call.key.map { bucketPrefix + PercentEncoding.path.encode($0) } ?? "/"
                #expect(path == expected["path"] as? String)
                let request = SigV4Request(
                    method: call.method, scheme: try #require(expected["scheme"] as? String),
                    authority: try #require(expected["host_header"] as? String), path: path,
                    query: call.query, headers: call.headers)
                result = try SigV4QueryPresigner(credentials: credentials, region: region).presign(request, expiresIn: expires, at: timestamp)
            }
        } else {
            // Low-level S3SigV4QueryAuth cases: a hand-made URL, parsed as botocore parses it.
            let url = try #require(input["url"] as? String)
            let maybeParsed = URLComponents(string: url)
            let parsed = try #require(maybeParsed)
            let botocoreQuery = BotocoreCall.parseQS(parsed.percentEncodedQuery ?? "")
            let headers = (try #require(input["headers"] as? [String: String])).map { (name: $0.key, value: $0.value) }
            let request = SigV4Request(
                method: try #require(input["method"] as? String), scheme: try #require(parsed.scheme),
                authority: try #require(parsed.host), path: parsed.percentEncodedPath,
                query: botocoreQuery, headers: headers)
            let service = try #require(input["service"] as? String)
            result = try SigV4QueryPresigner(credentials: credentials, region: region, service: service)
                .presign(request, expiresIn: expires, at: timestamp)
        }

        #expect(result.canonicalRequest == expected["canonical_request"] as? String)
        #expect(result.stringToSign == expected["string_to_sign"] as? String)
        #expect(result.signature == expected["signature"] as? String)
        #expect(result.signedHeaders == expected["signed_headers"] as? [String])
        let mustSend = Dictionary(uniqueKeysWithValues: result.requiredHeaders.map { ($0.name, $0.value) })
        #expect(mustSend == (expected["headers_client_must_send"] as? [String: String]).map { $0.mapValues { SigV4.canonicalHeaders([(name: "x", value: $0)]).values["x"]! } })
        let expectedURLText = try #require(expected["url"] as? String)
        let expectedURL = try #require(URLComponents(string: expectedURLText))
        let ourURL = try #require(URLComponents(string: result.url))
        #expect(ourURL.percentEncodedPath == expectedURL.percentEncodedPath)
        #expect(Set((ourURL.percentEncodedQuery ?? "").split(separator: "&")) == Set((expectedURL.percentEncodedQuery ?? "").split(separator: "&")))
    }
}
