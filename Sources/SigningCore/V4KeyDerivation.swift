/// The key derivation AWS SigV4 and Google's GOOG4-HMAC-SHA256 share:
/// `kDate = HMAC(prefix + secret, date)`, then region, service and the terminator.
public enum V4KeyDerivation {
    /// Derives the signing key, e.g. prefix `AWS4` / terminator `aws4_request`, or `GOOG4` / `goog4_request`.
    public static func signingKey(prefix: String, secret: String, date: String, region: String, service: String, terminator: String) -> [UInt8] {
        let kDate = HMACSHA256(key: prefix + secret).authenticate(date)
        let kRegion = HMACSHA256(key: kDate).authenticate(region)
        let kService = HMACSHA256(key: kRegion).authenticate(service)
        return HMACSHA256(key: kService).authenticate(terminator)
    }
}
