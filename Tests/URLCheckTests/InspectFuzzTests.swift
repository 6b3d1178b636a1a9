import SigningCore
import Testing
import URLCheck

/// `inspect` never crashes: every truncation, byte flip, bad escape, non-numeric expiry,
/// repeated parameter and huge size of URLs of every provider gives a report.
struct InspectFuzzTests {
    static let seeds = [
        InspectProblemTests.s3(),
        "https://photos.s3.amazonaws.com/cat.jpg?AWSAccessKeyId=AKID&Expires=1800000000&Signature=abc",
        "https://acct.blob.core.windows.net/c/b%20c.jpg?sv=2026-10-06&sr=b&sp=rcw&st=2026-01-01T00:00Z&se=2026-01-02T00:00:00Z&skoid=o&ske=2026-01-03T00:00:00Z&sig=x%2B%3D",
        "https://acct.blob.core.windows.net/?sv=2026-10-06&ss=bq&srt=sco&sp=rwdl&se=2026-01-02T00:00:00Z&sig=y",
        "https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=a%40b%2F20260101%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20260101T115500Z&X-Goog-Expires=3600&X-Goog-SignedHeaders=host&X-Goog-Signature=ab",
        "https://storage.googleapis.com/b/o?GoogleAccessId=a&Expires=1800000000&Signature=s",
        "https://uc123.dl.dropboxusercontent.com/cd/0/get/abc/file",
        "https://content.dropboxapi.com/apitul/1/abc",
        "https://www.dropbox.com/s/abc/cat.jpg?dl=1",
        "https://www.googleapis.com/drive/v3/files/1abc?alt=media&access_token=ya29.x",
        "https://www.googleapis.com/upload/drive/v3/files/1abc?uploadType=resumable&upload_id=u",
        "https://drive.google.com/uc?id=1abc&export=download",
        "http://[::1]:9000/photos/x?X-Amz-Expires=%ZZ&X-Amz-Date=&&&=&X-Amz-Credential=////",
    ]

    static let mutations: [@Sendable (String) -> String] = [
        { $0 + "&X-Amz-Expires=-1&se=not-a-time&X-Goog-Expires=1e9&sp=&sig=" },
        { $0.replacingOccurrences(of: "=", with: "=%") },
        { $0.replacingOccurrences(of: "&", with: "&&=&") },
        { $0 + "&" + String($0.split(separator: "?").last ?? "") },
        { String($0.reversed()) },
        { $0.replacingOccurrences(of: "/", with: "") },
        { $0 + String(repeating: "%E2%82", count: 5000) },
        { $0.replacingOccurrences(of: "2026", with: "99999999999999999999") },
        { "\u{0}\u{7F}" + $0 + "#frag?x=y" },
        { $0.uppercased() },
    ]

    @Test func everyTruncationOfEverySeed() {
        let inspector = URLInspector(now: InspectProblemTests.now)
        var count = 0
        for seed in Self.seeds {
            for end in seed.indices + [seed.endIndex] {
                _ = inspector.inspect(String(seed[..<end]))
                count += 1
            }
        }
        #expect(count == Self.seeds.reduce(0) { $0 + $1.count + 1 })
    }

    @Test func mutationsAndRandomBytes() {
        let inspector = URLInspector(now: InspectProblemTests.now, role: .output)
        var generator = SystemRandomNumberGenerator()
        var count = 0
        for seed in Self.seeds {
            for mutate in Self.mutations {
                let report = inspector.inspect(mutate(seed))
                #expect(!report.provider.isEmpty)
                count += 1
            }
            for _ in 0..<300 {
                var bytes = Array(seed.utf8)
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                _ = inspector.inspect(String(decoding: bytes, as: UTF8.self))
                count += 1
            }
        }
        _ = inspector.inspect(String(repeating: "https://a.b/?X-Amz-Algorithm=x&", count: 40_000))
        #expect(count == Self.seeds.count * (Self.mutations.count + 300))
    }
}
