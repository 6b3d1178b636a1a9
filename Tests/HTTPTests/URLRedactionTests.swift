import HTTP
import Testing

/// What `URLRedaction` hides in URLs shown in diagnostics: user-info, path-borne tokens and
/// secret query values, in every spelling a server treats alike.
struct URLRedactionTests {
    @Test(arguments: [
        ("https://alice:PASSWORD@example.com/in/cat.jpg", "https://alice:REDACTED@example.com/in/cat.jpg"),
        ("http://alice:PASSWORD@127.0.0.1:9000/b/k?x=1", "http://alice:REDACTED@127.0.0.1:9000/b/k?x=1"),
        ("https://PASSWORD@example.com/k", "https://REDACTED@example.com/k"),
        ("https://alice:PASS@WORD@example.com", "https://alice:REDACTED@example.com"),
        ("https://alice:PASSWORD@example.com?sig=PASSWORD2", "https://alice:REDACTED@example.com?sig=REDACTED"),
    ])
    func userInfoIsHidden(url: String, expected: String) {
        #expect(URLRedaction.redact(url) == expected)
    }

    @Test(arguments: [
        ("https://uc1f2a.dl.dropboxusercontent.com/apitl/1/PATHTOKEN-abc_123/cat.jpg", "https://uc1f2a.dl.dropboxusercontent.com/apitl/1/REDACTED"),
        ("https://content.dropboxapi.com/apitul/1/PATHTOKEN", "https://content.dropboxapi.com/apitul/1/REDACTED"),
        ("https://uc9.dl.dropboxusercontent.com/apitul/1/PATHTOKEN", "https://uc9.dl.dropboxusercontent.com/apitul/1/REDACTED"),
        ("https://CONTENT.DropboxAPI.com./apitul/1/PATHTOKEN", "https://CONTENT.DropboxAPI.com./apitul/1/REDACTED"),
        ("https://content.dropboxapi.com//apitul//1/PATHTOKEN", "https://content.dropboxapi.com/apitul/1/REDACTED"),
        ("https://content.dropboxapi.com/%61pitul/1/PATHTOKEN", "https://content.dropboxapi.com/apitul/1/REDACTED"),
        ("http://127.0.0.1:8080/content/apitul/1/PATHTOKEN", "http://127.0.0.1:8080/content/apitul/1/REDACTED"),
        ("https://uc1.dl.dropboxusercontent.com/cd/0/get/PATHTOKEN/file", "https://uc1.dl.dropboxusercontent.com/REDACTED"),
    ])
    func pathTokensAreHidden(url: String, expected: String) {
        let redacted = URLRedaction.redact(url)
        #expect(redacted == expected)
        #expect(!redacted.contains("PATHTOKEN"))
    }

    @Test func driveSessionAndOtherSecretsInTheQuery() {
        let session = "https://www.googleapis.com/upload/drive/v3/files/1abc?uploadType=resumable&upload_id=SESSIONSECRET"
        #expect(URLRedaction.redact(session) == "https://www.googleapis.com/upload/drive/v3/files/1abc?uploadType=resumable&upload_id=REDACTED")
        #expect(URLRedaction.redact("https://h/x?%73ig=ESCAPEDSIG&sv=1") == "https://h/x?%73ig=REDACTED&sv=1", "a name is matched as the server decodes it")
        #expect(URLRedaction.redact("https://h/x?refresh_token=R1&key=K1&client_secret=C1") == "https://h/x?refresh_token=REDACTED&key=REDACTED&client_secret=REDACTED")
    }

    @Test func plainURLsAreLeftAlone() {
        for url in ["https://example.com/in/cat.jpg?versionId=3", "https://b.s3.amazonaws.com/a@b/k", "not a url", "", "https://"] {
            #expect(URLRedaction.redact(url) == url)
        }
    }

    @Test func originHasNoUserInfo() {
        #expect(URLRedaction.origin(of: "https://alice:PASSWORD@host:8443/path?q=1") == "https://host:8443")
        #expect(URLRedaction.origin(of: "https://host:8443/path?q=1") == "https://host:8443")
    }

    @Test(arguments: ["EXAMPLE.com.", "example.com", "Example.COM..", "example.com"])
    func hostsAreNormalised(host: String) {
        #expect(URLNormalization.host(host) == "example.com")
    }

    @Test(arguments: [
        ("//apitul//1/x", "/apitul/1/x"), ("/%61pitul/1/x", "/apitul/1/x"), ("/a%2Fb/%7e/%41", "/a%2Fb/~/A"),
        ("/a%2fb", "/a%2Fb"), ("", ""), ("/", "/"), ("/%zz", "/%zz"), ("/%", "/%"),
    ])
    func pathsAreNormalised(path: String, expected: String) {
        #expect(URLNormalization.path(path) == expected)
    }
}
