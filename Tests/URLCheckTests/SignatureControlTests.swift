import Testing
import URLCheck

/// The broken-signature control replaces the signature and nothing else, and stays wrong when
/// applied to its own output (a URL one edit from valid must not get a valid control).
struct SignatureControlTests {
    @Test(arguments: [
        ("https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc123&x=1", "X-Amz-Signature=000000&x=1"),
        ("https://storage.googleapis.com/b/o?X-Goog-Signature=0f9e&X-Goog-Date=20260101T000000Z", "X-Goog-Signature=0000&X-Goog-Date"),
        ("https://a.blob.core.windows.net/c/b?sp=r&sig=A%2Bz%3D", "sp=r&sig=00000000"),
        ("https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKID&Expires=1&Signature=xyz", "Expires=1&Signature=000"),
    ])
    func changesOnlyTheSignature(url: String, expected: String) throws {
        let tampered = try #require(SignatureControl.tampered(url))
        #expect(tampered.contains(expected), "\(tampered)")
        #expect(tampered.count == url.count && tampered.lowercased() != url.lowercased())
        let twice = try #require(SignatureControl.tampered(tampered))
        #expect(twice != tampered && twice.lowercased() != url.lowercased(), "the control of a control is still wrong")
    }

    @Test(arguments: ["https://example.com/file.jpg", "https://example.com/file.jpg?sig=", "https://example.com/?signed=1&x-amz-signaturex=1", "not a url"])
    func anUnsignedURLHasNoControl(url: String) {
        #expect(SignatureControl.tampered(url) == nil)
    }
}
