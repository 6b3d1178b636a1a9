import SigningCore
import Testing
import URLCheck

/// Single-use Dropbox upload links in every spelling a server treats alike, and times that could
/// not be printed as RFC 3339.
struct InspectSpellingAndTimeTests {
    static let now = Timestamp.parseRFC3339("2026-01-01T12:00:00Z")!

    static let uploadLinks = [
        "https://content.dropboxapi.com/apitul/1/TOKEN",
        "https://content.dropboxapi.com./apitul/1/TOKEN",
        "https://CONTENT.DROPBOXAPI.COM/apitul/1/TOKEN",
        "https://content.dropboxapi.com//apitul/1/TOKEN",
        "https://content.dropboxapi.com/apitul//1/TOKEN",
        "https://content.dropboxapi.com/%61pitul/1/TOKEN",
        "https://content.dropboxapi.com/%61%70%69%74%75%6C/1/TOKEN",
        "https://content.dropboxapi.com/APITUL/1/TOKEN",
        "https://uc12.dl.dropboxusercontent.com/apitul/1/TOKEN",
        "https://uc12.dl.dropboxusercontent.com./%61pitul/1/TOKEN",
        "http://127.0.0.1:8080/content/apitul/1/TOKEN",
        "http://127.0.0.1.:8080//content//%61pitul/1/TOKEN",
        "http://localhost.:8080/apitul/1/TOKEN",
    ]

    @Test(arguments: uploadLinks)
    func uploadLinkIsSingleUseInEverySpelling(url: String) {
        let report = URLInspector(now: Self.now).inspect(url)
        #expect(report.provider == "dropbox" && report.singleUse, "\(report.kind)")
        #expect(report.impliedRole == .output)
    }

    @Test(arguments: ["https://uc12.dl.dropboxusercontent.com/apitl/1/TOKEN", "https://example.com/apitulx/1/TOKEN", "https://example.com/in/cat.jpg"])
    func otherLinksAreNotSingleUse(url: String) {
        #expect(!URLInspector(now: Self.now).inspect(url).singleUse)
    }

    @Test func trailingDotHostsAreStillRecognised() {
        let s3 = InspectProblemTests.s3(host: "photos.s3.us-east-2.amazonaws.com.")
        #expect(URLInspector(now: Self.now).inspect(s3).problems.contains { $0.contains("--region us-east-2") })
    }

    /// Nothing reaches a single-use link without `--consume`, whatever its spelling or the role it
    /// is given: the port is closed, so an attempt would show as a transport failure.
    @Test(arguments: [URLRole.input, .output, nil])
    func verifySendsNothingToASingleUseLink(role: URLRole?) async {
        for url in ["http://127.0.0.1:1/%61pitul/1/TOKEN", "http://127.0.0.1.:1//apitul/1/TOKEN", "http://LOCALHOST:1/APITUL/1/TOKEN"] {
            var verifier = URLVerifier()
            verifier.now = Self.now
            verifier.writeProbe = true
            let outcome = await verifier.verify(url, role: role)
            #expect(outcome.status == nil && outcome.providerCode == nil, "\(url) was sent: \(outcome.providerCode ?? "") \(outcome.hint ?? "")")
            #expect(!outcome.ok && outcome.hint?.contains("--consume") == true, "\(outcome.hint ?? "")")
        }
    }

    @Test(arguments: [
        InspectProblemTests.s3(date: "99991231T235959Z", expires: "1"),
        InspectProblemTests.s3(date: "99991231T120000Z", expires: "604800"),
        "https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=a%2F99991231%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=99991231T235000Z&X-Goog-Expires=3600&X-Goog-SignedHeaders=host&X-Goog-Signature=ab",
        "https://photos.s3.amazonaws.com/cat.jpg?AWSAccessKeyId=AKID&Expires=253402300800&Signature=abc",
        "https://storage.googleapis.com/b/o?GoogleAccessId=a&Expires=9223372036854775807&Signature=abc",
    ])
    func expiryBeyondYear9999IsAProblem(url: String) {
        let report = URLInspector(now: Self.now).inspect(url)
        #expect(report.problems.contains { $0.contains("beyond the year 9999") }, "\(report.problems)")
        for time in [report.issuedAt, report.expiresAt].compactMap({ $0 }) {
            #expect(Timestamp.parseRFC3339(time.rfc3339) == time, "\(time.rfc3339) is not RFC 3339")
        }
    }

    @Test(arguments: ["-9223372036854775808", "-62135596801", "-1", "0", "9223372036854775807"])
    func anyV2ExpiryIsReadWithoutACrash(expires: String) {
        let report = URLInspector(now: Self.now).inspect("https://photos.s3.amazonaws.com/cat.jpg?AWSAccessKeyId=AKID&Expires=\(expires)&Signature=abc")
        for time in [report.issuedAt, report.expiresAt].compactMap({ $0 }) {
            #expect(Timestamp.parseRFC3339(time.rfc3339) == time, "\(time.rfc3339) is not RFC 3339")
        }
        #expect(!report.problems.isEmpty)
    }
}
