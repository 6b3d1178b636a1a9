import Testing
import URLCheck

/// The broken-signature control changes the signature and nothing else, so that even a server
/// comparing signatures without regard to case refuses it.
struct SignatureControlTests {
    @Test(arguments: [
        ("https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc123&x=1", "X-Amz-Signature=Bbc123&x=1"),
        ("https://storage.googleapis.com/b/o?X-Goog-Signature=0f9e&X-Goog-Date=20260101T000000Z", "X-Goog-Signature=Af9e&X-Goog-Date"),
        ("https://a.blob.core.windows.net/c/b?sp=r&sig=A%2Bz%3D", "sig=B%2Bz%3D"),
        ("https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKID&Expires=1&Signature=xyz", "Signature=Ayz"),
    ])
    func changesOnlyTheSignature(url: String, expected: String) throws {
        let tampered = try #require(SignatureControl.tampered(url))
        #expect(tampered.contains(expected), "\(tampered)")
        #expect(tampered.count == url.count && zip(tampered, url).filter { $0 != $1 }.count == 1)
        #expect(tampered.lowercased() != url.lowercased())
    }

    @Test(arguments: ["https://example.com/file.jpg", "https://example.com/file.jpg?sig=", "https://example.com/?signed=1&x-amz-signaturex=1", "not a url"])
    func anUnsignedURLHasNoControl(url: String) {
        #expect(SignatureControl.tampered(url) == nil)
    }
}
