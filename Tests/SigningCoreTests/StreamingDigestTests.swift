import SigningCore
import Testing

/// The streaming digests give RFC 1321 (MD5) and FIPS 180-2 (SHA-256) values however the input is split.
struct StreamingDigestTests {
    static func digest(_ algorithm: StreamingDigest.Algorithm, _ chunks: [String]) -> String {
        let digest = StreamingDigest(algorithm)
        for chunk in chunks { Array(chunk.utf8).withUnsafeBytes { digest.update($0) } }
        return Hex.encode(digest.finish())
    }

    @Test func md5Vectors() {
        #expect(Self.digest(.md5, []) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(Self.digest(.md5, ["a", "bc"]) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(Self.digest(.md5, ["message ", "digest"]) == "f96b697d7cb7938d525a2f31aaf161d0")
    }

    @Test func sha256Vectors() {
        #expect(Self.digest(.sha256, ["ab", "c"]) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Self.digest(.sha256, ["abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"]) == SHA256.hexDigest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))
    }
}
