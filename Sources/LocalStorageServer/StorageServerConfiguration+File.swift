import AzureSAS
import Foundation
import GoogleAuth
import SigningCore

extension StorageServerConfiguration {
    /// Credentials anyone may use against a local `presign serve` (printed by `presign serve`;
    /// never valid anywhere else): the emulator's documented Azure account, and made-up S3 and
    /// GCS HMAC keys.
    public enum Demo {
        public static let s3AccessKeyID = "PRESIGNDEMOKEY"
        public static let s3SecretAccessKey = "presign-demo-secret-key-0123456789"
        public static let azureAccount = AzureStorageCredentials.developmentAccount
        public static let azureConnectionString = "UseDevelopmentStorage=true"
        public static let gcsHMACAccessID = "GOOG1PRESIGNDEMO"
        public static let gcsHMACSecret = "presign-demo-hmac-secret"
    }

    /// The demo credentials.
    public mutating func addDemoCredentials() throws {
        s3Secrets[Demo.s3AccessKeyID] = Demo.s3SecretAccessKey
        let azure = try AzureStorageCredentials.parse(connectionString: Demo.azureConnectionString)
        azureKeys[azure.account] = azure.key
        gcsHMACSecrets[Demo.gcsHMACAccessID] = Demo.gcsHMACSecret
    }

    /// Reads a JSON config:
    /// `{"s3": {"region": "us-east-1", "credentials": [{"accessKeyId", "secretAccessKey"}]},
    ///   "azure": {"accounts": [{"name", "key"}], "userDelegationKeyFiles": ["udk.json"]},
    ///   "gcs": {"serviceAccountKeyFiles": ["sa.json"], "publicKeys": [{"email", "pemFile"}], "hmacKeys": [{"accessId", "secret"}]}}`.
    /// Relative file names are relative to the config file. An unknown or misplaced key, or a
    /// value of the wrong kind, is refused with its path and the shape expected there.
    public mutating func load(configFile path: String) throws {
        func fail(_ why: String) -> SigningError { SigningError(code: "invalid-config", message: "The serve config \(path) \(why).") }
        guard let data = FileManager.default.contents(atPath: path), let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw fail("cannot be read as a JSON object")
        }
        // Every key is checked first: a misspelled or misplaced one would otherwise be ignored.
        if let why = ConfigShape.file.mismatch(root, at: "") {
            throw fail(why.hasPrefix("has ") ? why : "is not as expected: \(why)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        func file(_ name: String) -> String { name.hasPrefix("/") ? name : folder.appendingPathComponent(name).path }
        if let s3 = root["s3"] as? [String: Any] {
            if let region = s3["region"] as? String { s3Region = region }
            for entry in s3["credentials"] as? [[String: String]] ?? [] {
                guard let id = entry["accessKeyId"], let secret = entry["secretAccessKey"] else { throw fail("has an s3 credential without accessKeyId and secretAccessKey") }
                s3Secrets[id] = secret
            }
        }
        if let azure = root["azure"] as? [String: Any] {
            for entry in azure["accounts"] as? [[String: String]] ?? [] {
                guard let name = entry["name"], let key = entry["key"].flatMap({ Base64.decode($0) }) else { throw fail("has an azure account without a name and a base64 key") }
                azureKeys[name] = key
            }
            for name in azure["userDelegationKeyFiles"] as? [String] ?? [] {
                guard let data = FileManager.default.contents(atPath: file(name)) else { throw fail("names \(name), which cannot be read") }
                azureDelegationKeys.append(try AzureUserDelegationKey(json: data, source: name))
            }
        }
        if let gcs = root["gcs"] as? [String: Any] {
            for name in gcs["serviceAccountKeyFiles"] as? [String] ?? [] {
                let key = try GoogleServiceAccountKey.load(path: file(name))
                gcsPublicKeys[key.clientEmail] = try RSAPublicKey(privateKey: key.privateKey)
            }
            for entry in gcs["publicKeys"] as? [[String: String]] ?? [] {
                guard let email = entry["email"], let pemFile = entry["pemFile"], let pem = try? String(contentsOfFile: file(pemFile), encoding: .utf8) else {
                    throw fail("has a gcs public key without email and a readable pemFile")
                }
                gcsPublicKeys[email] = try RSAPublicKey(pem: pem)
            }
            for entry in gcs["hmacKeys"] as? [[String: String]] ?? [] {
                guard let id = entry["accessId"], let secret = entry["secret"] else { throw fail("has a gcs HMAC key without accessId and secret") }
                gcsHMACSecrets[id] = secret
            }
        }
    }
}
