import AWSSigV4
import SigningCore
import Testing

/// `S3ObjectAddress`: `s3://` taken literally, AWS's own HTTPS forms percent-decoded once with the
/// region read from the host; and virtual-hosted addressing refused on an IP endpoint.
struct S3ObjectAddressTests {
    static let forms: [(text: String, bucket: String, key: String, region: String?)] = [
        ("s3://photos/in/cat%20one.jpg", "photos", "in/cat%20one.jpg", nil),
        ("https://photos.s3.eu-west-3.amazonaws.com/in/cat%20one.jpg", "photos", "in/cat one.jpg", "eu-west-3"),
        ("https://s3.eu-west-3.amazonaws.com/photos/in/cat.jpg", "photos", "in/cat.jpg", "eu-west-3"),
        ("https://photos.s3.amazonaws.com/in/cat.jpg", "photos", "in/cat.jpg", nil),
        ("https://s3.amazonaws.com/photos/in/cat.jpg", "photos", "in/cat.jpg", nil),
        ("https://my.dotted.bucket.s3.us-west-2.amazonaws.com/k", "my.dotted.bucket", "k", "us-west-2"),
        ("https://photos.s3-us-west-2.amazonaws.com/k", "photos", "k", "us-west-2"),
        ("https://photos.s3.cn-north-1.amazonaws.com.cn/k", "photos", "k", "cn-north-1"),
        ("https://s3.cn-northwest-1.amazonaws.com.cn/photos/k", "photos", "k", "cn-northwest-1"),
        ("HTTPS://Photos.S3.US-EAST-1.AMAZONAWS.COM:443/Key%2Fwith%252F", "photos", "Key/with%2F", "us-east-1"),
        ("https://s3.backup.s3.us-east-1.amazonaws.com/k", "s3.backup", "k", "us-east-1"),
        ("https://photos.s3.us-east-1.amazonaws.com/", "photos", "", "us-east-1"),
    ]

    @Test(arguments: 0..<forms.count)
    func form(_ index: Int) throws {
        let form = Self.forms[index]
        #expect(try S3ObjectAddress.parse(form.text) == S3ObjectAddress(bucket: form.bucket, key: form.key, region: form.region))
    }

    @Test(arguments: ["https://example.com/photos/k", "https://photos.s3.us-east-1.amazonaws.com/k?X-Amz-Signature=00",
                      "https://photos.s3.us-east-1.amazonaws.com/k%zz", "http://photos.s3.us-east-1.amazonaws.com/k", "gs://photos/k",
                      "https://s3.us-east-1.amazonaws.com/", "https://photos.s3.us-east-1.extra.amazonaws.com/k", "https://ec2.us-east-1.amazonaws.com/k"])
    func refused(_ text: String) {
        #expect(throws: AWSSigV4Error.self) { try S3ObjectAddress.parse(text) }
    }

    @Test(arguments: ["http://127.0.0.1:9000", "http://[::1]:9000", "https://10.0.0.7"])
    func virtualHostNeedsAHostName(_ endpoint: String) throws {
        let credentials = try AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        let presigner = try S3Presigner(credentials: credentials, region: "us-east-1", endpoint: try S3Endpoint(parsing: endpoint), addressing: .virtualHosted)
        #expect(throws: AWSSigV4Error.self) { try presigner.location(bucket: "photos") }
        let named = try S3Presigner(credentials: credentials, region: "us-east-1", endpoint: try S3Endpoint(parsing: "http://localhost:9000"), addressing: .virtualHosted)
        #expect(try named.location(bucket: "photos").authority == "photos.localhost:9000")
    }
}
