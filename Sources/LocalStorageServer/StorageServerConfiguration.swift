import AzureSAS
import Foundation
import SigningCore

/// What `presign serve` accepts: credentials per provider, where it keeps objects, and where it listens.
public struct StorageServerConfiguration: Sendable {
    public var root: URL
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 0
    /// S3 secret keys by access key id, and the server's region.
    public var s3Secrets: [String: String] = [:]
    public var s3Region = "us-east-1"
    /// `BUCKET.<domain>` hosts are S3 virtual-hosted requests.
    public var virtualHostDomain = "localhost"
    /// Azure account keys by account name, and user delegation keys.
    public var azureKeys: [String: [UInt8]] = [:]
    public var azureDelegationKeys: [AzureUserDelegationKey] = []
    /// GCS service-account public keys by email, and HMAC secrets by access id.
    public var gcsPublicKeys: [String: RSAPublicKey] = [:]
    public var gcsHMACSecrets: [String: String] = [:]
    /// Timeouts, the connection cap and the request-head bound.
    public var limits = ServeLimits()
    /// A fixed clock for tests (URLs signed at a known time); `nil` uses the system clock.
    public var fixedNow: Timestamp?

    public init(root: URL) { self.root = root }

    /// Whether `host` is a loopback address or name (`127.0.0.0/8`, `::1`, `localhost`).
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" || bare == "0:0:0:0:0:0:0:1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
        return octets.count == 4 && octets.allSatisfy { $0 != nil } && octets[0] == 127
    }

    /// The time checks use.
    public var now: Timestamp { fixedNow ?? Timestamp(Date()) }
}
