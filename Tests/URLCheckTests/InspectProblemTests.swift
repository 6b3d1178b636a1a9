import SigningCore
import Testing
import URLCheck

/// Each static problem `inspect` knows, and the warnings that do not fail a URL.
struct InspectProblemTests {
    static let now = Timestamp.parseRFC3339("2026-01-01T12:00:00Z")!
    let inspector = URLInspector(now: now)

    static func s3(date: String = "20260101T115500Z", expires: String = "3600", host: String = "photos.s3.us-east-1.amazonaws.com", region: String = "us-east-1", extra: String = "") -> String {
        "https://\(host)/in/cat.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F\(date.prefix(8))%2F\(region)%2Fs3%2Faws4_request&X-Amz-Date=\(date)&X-Amz-Expires=\(expires)&X-Amz-SignedHeaders=host\(extra)&X-Amz-Signature=abc"
    }

    func problems(_ url: String, role: URLRole? = nil) -> [String] { URLInspector(now: Self.now, role: role).inspect(url).problems }
    func warnings(_ url: String) -> [String] { inspector.inspect(url).warnings }

    @Test func goodURLHasNoProblem() { #expect(problems(Self.s3()).isEmpty) }

    @Test(arguments: [
        (s3(date: "20251231T115500Z"), "expired"),
        (s3(date: "20260102T120000Z"), "not valid yet"),
        (s3(expires: "604801"), "604800"),
        (s3(expires: "soon"), "not a number"),
        (s3(date: "2026-01-01"), "YYYYMMDDTHHMMSSZ"),
        (s3(host: "photos.s3.us-east-2.amazonaws.com"), "Sign it with --region us-east-2"),
        (s3(host: "photos.s3.amazonaws.com", region: "eu-west-1"), "redirect"),
        (s3(extra: "&partNumber=2&uploadId=xyz"), "multipart"),
        (s3().replacingOccurrences(of: "X-Amz-SignedHeaders=host", with: "X-Amz-SignedHeaders=content-type%3Bhost"), "content-type"),
        (s3() + "&X-Amz-Signature=def", "more than once"),
        ("https://photos.s3.amazonaws.com/cat.jpg?AWSAccessKeyId=AKID&Expires=1800000000&Signature=abc", "SigV2"),
        ("https://acct.blob.core.windows.net/c/b.jpg?sv=2026-10-06&sr=b&sp=r&sig=x", "no expiry"),
        ("https://acct.blob.core.windows.net/c/b.jpg?sv=2026-10-06&sr=b&sp=r&st=2026-01-01T13:00:00Z&se=2026-01-01T12:30:00Z&sig=x", "before it starts"),
        ("http://acct.blob.core.windows.net/c/b.jpg?sv=2026-10-06&sr=b&sp=r&spr=https&se=2026-01-02T00:00:00Z&sig=x", "https only"),
        ("https://www.dropbox.com/s/abc/cat.jpg?dl=0", "share page"),
        ("https://drive.google.com/file/d/1abc/view", "share page"),
        ("https://www.googleapis.com/drive/v3/files/1abc?alt=media", "Authorization header"),
        ("https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=a%2F20260101%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20260101T115500Z&X-Goog-Expires=3600&X-Goog-SignedHeaders=host%3Bx-goog-resumable&X-Goog-Signature=ab", "resumable"),
        ("https://%zz/x", "malformed"),
        ("ftp://files.example.com/cat.jpg", "scheme is ftp"),
    ])
    func problemIsNamed(_ url: String, _ phrase: String) {
        let found = problems(url)
        #expect(found.contains { $0.contains(phrase) }, "\(found)")
    }

    @Test func roleMismatches() {
        let readOnly = "https://acct.blob.core.windows.net/c/b.jpg?sv=2026-10-06&sr=b&sp=r&se=2026-01-02T00:00:00Z&sig=x"
        #expect(problems(readOnly, role: .output).contains { $0.contains("allow no write") })
        #expect(problems(readOnly, role: .input).isEmpty)
        let upload = "https://content.dropboxapi.com/apitul/1/abc"
        #expect(problems(upload, role: .input).contains { $0.contains("given as an input") })
        #expect(problems(upload, role: .output).isEmpty)
    }

    @Test func warningsDoNotFail() {
        #expect(warnings(Self.s3(date: "20260101T115000Z", expires: "900")).contains { $0.contains("before a typical job would finish") })
        #expect(warnings(Self.s3().replacingOccurrences(of: "https://", with: "http://")).contains { $0.contains("http, not https") })
        #expect(warnings(Self.s3().replacingOccurrences(of: "https://photos.s3.us-east-1.amazonaws.com", with: "http://127.0.0.1:9000/photos")).allSatisfy { !$0.contains("http, not https") })
        #expect(warnings(Self.s3(extra: "&X-Amz-Security-Token=tok")).contains { $0.contains("temporary credentials") })
        #expect(warnings("https://example.com/cat.jpg").contains { $0.contains("No signature") })
        #expect(problems("https://example.com/cat.jpg").isEmpty)
    }
}

/// Which texts are not usable URLs at all (verify sends nothing to them), and which hosts are this
/// machine.
struct MalformedAndLoopbackTests {
    @Test(arguments: ["https://%zz/x", "ftp://b/k", "no scheme at all", "", "https://"])
    func unusableTextsAreMarked(text: String) {
        #expect(URLInspector(now: Timestamp(secondsSince1970: 0)).inspect(text).malformed)
    }

    @Test(arguments: ["https://b.s3.amazonaws.com/k", "http://127.0.0.1:9000/b/k", "HTTP://EXAMPLE.COM/x"])
    func usableURLsAreNot(text: String) {
        #expect(!URLInspector(now: Timestamp(secondsSince1970: 0)).inspect(text).malformed)
    }

    @Test func loopbackMeansThisMachineOnly() {
        for host in ["http://127.0.0.1/", "http://127.1.2.3:80/", "http://localhost/", "http://a.localhost/", "http://[::1]:8080/"] {
            #expect(ParsedURL(host).isLoopback, "\(host)")
        }
        for host in ["http://127.0.0.1.example.com/", "http://127.evil/", "http://1270.0.0.1/", "http://example.com/", "http://127.0.0.256/"] {
            #expect(!ParsedURL(host).isLoopback, "\(host)")
        }
    }
}
