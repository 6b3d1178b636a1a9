import Foundation
import RequestVerification
import SigningCore
import TestSupport
import Testing

/// Every botocore-made presigned URL (65 cases) is accepted at its signing time with the headers
/// botocore says the client must send, and refused when tampered, expired, future-dated, used
/// with another method or without a signed header.
struct S3RequestVerifierTests {
    static let cases = FixtureCases("aws-sigv4/botocore-presign-cases.json")
    static var ids: [String] { cases.ids }

    struct Case {
        let verifier: S3RequestVerifier
        let request: IncomingRequest
        let signedAt: Timestamp
        let expires: Int64
    }

    static func load(_ id: String) throws -> Case {
        let testCase = try cases.case(id)
        let input = try #require(testCase["input"] as? [String: Any])
        let expected = try #require(testCase["expected"] as? [String: Any])
        let urlText = try #require(expected["url"] as? String)
        let url = try #require(URLComponents(string: urlText))
        let host = try #require((expected["host_header"] as? String) ?? url.host)
        var headers = [(name: "Host", value: host)]
        headers += (expected["headers_client_must_send"] as? [String: String] ?? [:]).map { (name: $0.key, value: $0.value) }
        let request = IncomingRequest(method: input["method"] as! String, path: url.percentEncodedPath, query: url.percentEncodedQuery ?? "", headers: headers)
        let verifier = S3RequestVerifier(secrets: [input["access_key_id"] as! String: input["secret_access_key"] as! String], region: input["region"] as! String)
        return Case(verifier: verifier, request: request, signedAt: try Timestamp.parse(input["timestamp"] as! String), expires: Int64(input["expires_in"] as! Int))
    }

    func refusal(_ result: VerificationResult) -> ProviderRefusal? {
        if case .denied(let refusal) = result { return refusal }
        return nil
    }

    @Test(arguments: ids)
    func acceptedAtItsTime(_ id: String) throws {
        let c = try Self.load(id)
        let result = c.verifier.verify(c.request, now: c.signedAt.adding(seconds: c.expires / 2))
        #expect(refusal(result) == nil, "\(refusal(result)?.body ?? "")")
    }

    @Test(arguments: ids)
    func negativeControls(_ id: String) throws {
        let c = try Self.load(id)
        var tampered = c.request
        let last = tampered.query.removeLast()
        tampered.query.append(last == "0" ? "1" : "0")
        #expect(refusal(c.verifier.verify(tampered, now: c.signedAt))?.code == "SignatureDoesNotMatch")
        #expect(refusal(c.verifier.verify(c.request, now: c.signedAt.adding(seconds: c.expires + 1)))?.message == "Request has expired")
        #expect(refusal(c.verifier.verify(c.request, now: c.signedAt.adding(seconds: -3600)))?.message == "Request is not valid yet")
        var otherMethod = c.request
        otherMethod.method = c.request.method == "PUT" ? "GET" : "PUT"
        #expect(refusal(c.verifier.verify(otherMethod, now: c.signedAt))?.code == "SignatureDoesNotMatch")
        if c.request.headers.count > 1 {
            var missing = c.request
            missing.headers = [c.request.headers[0]]
            #expect(refusal(c.verifier.verify(missing, now: c.signedAt))?.code == "SignatureDoesNotMatch")
        }
    }

    @Test func errorBodiesCarryWhatS3Sends() throws {
        let c = try Self.load("doc-example-get")
        var tampered = c.request
        tampered.query = tampered.query.replacingOccurrences(of: "aeeed9bb", with: "beeed9bb")
        let denied = try #require(refusal(c.verifier.verify(tampered, now: c.signedAt)))
        #expect(denied.status == 403 && denied.body.contains("<StringToSign>AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n3bfa2928"))
        #expect(denied.body.contains("<CanonicalRequest>GET\n/test.txt\n"))
        let unknown = S3RequestVerifier(secrets: ["OTHER": "x"], region: "us-east-1")
        #expect(refusal(unknown.verify(c.request, now: c.signedAt))?.code == "InvalidAccessKeyId")
        let wrongRegion = S3RequestVerifier(secrets: c.verifier.secrets, region: "eu-west-1")
        #expect(refusal(wrongRegion.verify(c.request, now: c.signedAt))?.message.contains("the region 'us-east-1' is wrong; expecting 'eu-west-1'") == true)
        var tooLong = c.request
        tooLong.query = tooLong.query.replacingOccurrences(of: "X-Amz-Expires=86400", with: "X-Amz-Expires=604801")
        #expect(refusal(c.verifier.verify(tooLong, now: c.signedAt))?.status == 400)
    }
}
