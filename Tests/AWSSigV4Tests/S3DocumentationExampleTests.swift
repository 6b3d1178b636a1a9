import AWSSigV4
import Foundation
import SigningCore
import TestSupport
import Testing

/// The worked examples of the AWS documentation (`s3-doc-examples.json`): the S3 presigned GET,
/// the four S3 header-auth examples and IAM's, through the staged functions, and the
/// general-reference signing-key derivation with every intermediate key.
struct S3DocumentationExampleTests {
    static let examples = FixtureCases("aws-sigv4/s3-doc-examples.json", key: "examples")

    static func example(_ id: String) throws -> (input: [String: Any], expected: [String: Any]) {
        let found = try examples.case(id)
        return (try #require(found["input"] as? [String: Any]), try #require(found["expected"] as? [String: Any]))
    }

    @Test func presignedGetThroughS3Presigner() throws {
        let (input, expected) = try Self.example("s3-presign-get-test-txt")
        let credentials = try AWSCredentials(accessKeyID: input["access_key_id"] as! String, secretAccessKey: input["secret_access_key"] as! String)
        // The documentation signs the legacy global host, reached here as a custom endpoint.
        let presigner = try S3Presigner(credentials: credentials, region: "us-east-1",
                                        endpoint: S3Endpoint(parsing: "https://s3.amazonaws.com"), addressing: .virtualHosted)
        let result = try presigner.presign(bucket: "examplebucket", key: "test.txt", options: S3PresignOptions(expiresIn: 86400),
                                           at: try Timestamp.parse(input["x_amz_date"] as! String))
        #expect(result.canonicalRequest == expected["canonical_request"] as? String)
        #expect(SHA256.hexDigest(result.canonicalRequest) == expected["canonical_request_sha256"] as? String)
        #expect(result.stringToSign == expected["string_to_sign"] as? String)
        #expect(result.signature == expected["signature"] as? String)
        #expect(result.url == expected["url"] as? String)
        let (key, _) = presigner.signer.signingKey(for: try Timestamp.parse("20130524T000000Z"))
        #expect(Hex.encode(key.bytes) == expected["signing_key_hex"] as? String)
    }

    static let headerExamples = ["s3-header-get-object-range", "s3-header-put-object", "s3-header-get-bucket-lifecycle",
                                 "s3-header-list-objects", "general-iam-listusers-header"]

    /// Header-authenticated examples exercise the same stages (canonical request, string to
    /// sign, signature) with other headers and payload hashes.
    @Test(arguments: headerExamples)
    func headerExampleStages(_ id: String) throws {
        let (input, expected) = try Self.example(id)
        let headers = (try #require(input["headers"] as? [String: String])).map { (name: $0.key, value: $0.value) }
        let queryText = (input["canonical_query"] ?? input["query"]) as? String ?? ""
        let query: [SigV4.QueryParameter] = queryText.split(separator: "&").map {
            let kv = $0.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (name: String(kv[0]), value: kv.count > 1 ? String(kv[1]) : "")
        }
        let payload = headers.first { $0.name == "x-amz-content-sha256" }?.value ?? SHA256.hexDigest(input["body"] as? String ?? "")
        let amzDate = try #require(headers.first { $0.name == "x-amz-date" }?.value)
        let timestamp = try Timestamp.parse(amzDate)
        let scope = SigV4Scope(timestamp: timestamp, region: input["region"] as! String, service: input["service"] as! String)
        let canonical = SigV4.canonicalRequest(
            method: input["method"] as! String, canonicalURI: input["path"] as! String,
            canonicalQueryString: SigV4.canonicalQueryString(query), canonicalHeaders: SigV4.canonicalHeaders(headers),
            payloadHash: payload)
        #expect(canonical == expected["canonical_request"] as? String)
        let stringToSign = SigV4.stringToSign(canonicalRequest: canonical, timestamp: timestamp, scope: scope)
        #expect(stringToSign == expected["string_to_sign"] as? String)
        let key = SigV4SigningKey(secretAccessKey: input["secret_access_key"] as! String, scope: scope)
        #expect(SigV4.signature(stringToSign: stringToSign, signingKey: key) == expected["signature"] as? String)
    }

    @Test func signingKeyDerivation() throws {
        let (input, expected) = try Self.example("general-signing-key-derivation")
        let secret = input["secret_access_key"] as! String
        let kDate = HMACSHA256(key: "AWS4" + secret).authenticate(input["date"] as! String)
        let kRegion = HMACSHA256(key: kDate).authenticate(input["region"] as! String)
        let kService = HMACSHA256(key: kRegion).authenticate(input["service"] as! String)
        #expect(Hex.encode(kDate) == expected["kDate"] as? String)
        #expect(Hex.encode(kRegion) == expected["kRegion"] as? String)
        #expect(Hex.encode(kService) == expected["kService"] as? String)
        let timestamp = try #require(Timestamp(year: 2012, month: 2, day: 15))
        let key = SigV4SigningKey(secretAccessKey: secret, scope: SigV4Scope(timestamp: timestamp, region: "us-east-1", service: "iam"))
        #expect(Hex.encode(key.bytes) == expected["kSigning"] as? String)
    }
}
