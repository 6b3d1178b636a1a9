import AWSSigV4
import SigningCore
import Testing

/// The host rules of `docs/CLI.md` and the batch path's agreement with single presigns.
struct S3AddressingTests {
    static let credentials = try! AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

    static let rules: [(bucket: String, region: String, endpoint: String?, style: S3AddressingStyle, origin: String, prefix: String)] = [
        ("photos", "us-east-1", nil, .automatic, "https://photos.s3.us-east-1.amazonaws.com", "/"),
        ("photos", "eu-west-3", nil, .automatic, "https://photos.s3.eu-west-3.amazonaws.com", "/"),
        ("photos", "cn-north-1", nil, .automatic, "https://photos.s3.cn-north-1.amazonaws.com.cn", "/"),
        ("my.dotted.bucket", "us-west-2", nil, .automatic, "https://s3.us-west-2.amazonaws.com", "/my.dotted.bucket/"),
        ("Legacy_Bucket", "us-east-1", nil, .automatic, "https://s3.us-east-1.amazonaws.com", "/Legacy_Bucket/"),
        ("photos", "us-east-1", nil, .path, "https://s3.us-east-1.amazonaws.com", "/photos/"),
        ("photos", "us-east-1", "http://127.0.0.1:9000", .automatic, "http://127.0.0.1:9000", "/photos/"),
        ("photos", "us-east-1", "http://localhost:9000", .virtualHosted, "http://photos.localhost:9000", "/"),
        ("photos", "auto", "https://ACCOUNT.r2.cloudflarestorage.com:443", .automatic, "https://account.r2.cloudflarestorage.com", "/photos/"),
        ("photos", "us-east-1", "http://127.0.0.1:80/", .path, "http://127.0.0.1", "/photos/"),
        ("photos", "us-east-1", "https://objects.example.net:8443", .path, "https://objects.example.net:8443", "/photos/"),
    ]

    @Test(arguments: 0..<rules.count)
    func hostRule(_ index: Int) throws {
        let rule = Self.rules[index]
        let endpoint = try rule.endpoint.map { try S3Endpoint(parsing: $0) }
        let presigner = try S3Presigner(credentials: Self.credentials, region: rule.region, endpoint: endpoint, addressing: rule.style)
        let location = try presigner.location(bucket: rule.bucket)
        #expect("\(location.scheme)://\(location.authority)" == rule.origin)
        #expect(location.pathPrefix == rule.prefix)
        let url = try presigner.presign(bucket: rule.bucket, key: "k.jpg", options: S3PresignOptions(), at: Timestamp(secondsSince1970: 0))
        #expect(url.canonicalRequest.contains("\nhost:\(rule.origin.split(separator: "/").last!)\n"))
    }

    @Test(arguments: ["my.dotted.bucket", "Upper", "under_score", "ab"])
    func virtualHostNeedsADNSLabel(_ bucket: String) throws {
        let presigner = try S3Presigner(credentials: Self.credentials, region: "us-east-1", addressing: .virtualHosted)
        #expect(throws: AWSSigV4Error.self) { try presigner.location(bucket: bucket) }
    }

    @Test(arguments: ["", "a/b", "has space", String(repeating: "b", count: 256)])
    func invalidBucketNames(_ bucket: String) throws {
        let presigner = try S3Presigner(credentials: Self.credentials, region: "us-east-1")
        let error = #expect(throws: AWSSigV4Error.self) { try presigner.location(bucket: bucket) }
        #expect(error?.code == "invalid-bucket")
    }

    @Test(arguments: [Int64(0), -1, 604_801])
    func expiryOutsideOneSecondToSevenDaysIsAnError(_ seconds: Int64) throws {
        let presigner = try S3Presigner(credentials: Self.credentials, region: "us-east-1")
        let error = #expect(throws: AWSSigV4Error.self) {
            try presigner.presign(bucket: "photos", key: "k", options: S3PresignOptions(expiresIn: seconds), at: Timestamp(secondsSince1970: 0))
        }
        #expect(error?.code == "invalid-expiry")
        #expect(error?.message.contains("604800") == true)
    }

    /// The batch path (one template, many keys) gives exactly the single-presign URL.
    @Test func batchMatchesSinglePresign() throws {
        let presigner = try S3Presigner(credentials: Self.credentials, region: "eu-west-1")
        let options = S3PresignOptions(method: .PUT, expiresIn: 900, headers: [(name: "Content-Type", value: "image/jpeg")],
                                       query: [(name: "x-id", value: "PutObject")])
        let at = Timestamp(secondsSince1970: 1_767_225_600)
        let batch = try presigner.batch(bucket: "photos", options: options, at: at)
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcXYZ019 -_.~+%/?#&=!éß日😀\t")
        for _ in 0..<500 {
            let key = String((0..<Int.random(in: 1...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            var url: [UInt8] = []
            try batch.sign(key: Array(key.utf8), appendingURLTo: &url)
            let single = try presigner.presign(bucket: "photos", key: key, options: options, at: at)
            #expect(String(decoding: url, as: UTF8.self) == single.url, "key \(key.debugDescription)")
        }
    }

    @Test func keyRules() throws {
        #expect(throws: AWSSigV4Error.self) { try S3ObjectKey.validate([UInt8]()) }
        #expect(throws: AWSSigV4Error.self) { try S3ObjectKey.validate([UInt8](repeating: 0x61, count: 1025)) }
        #expect(throws: AWSSigV4Error.self) { try S3ObjectKey.validate([0xC3, 0x28]) }
        try S3ObjectKey.validate([UInt8](repeating: 0x61, count: 1024))
    }

    @Test func credentialsNeverPrintTheirSecrets() throws {
        let credentials = try AWSCredentials(accessKeyID: "AKID", secretAccessKey: "SECRET/KEY+", sessionToken: "TOKEN==")
        #expect(!"\(credentials)".contains("SECRET") && !"\(credentials)".contains("TOKEN"))
    }
}
