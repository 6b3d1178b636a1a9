import Foundation

extension StorageServerConfiguration {
    /// A complete `--config` file (made-up credentials), as `presign serve --help` and the
    /// README show it. `gcs.serviceAccountKeyFiles` and `gcs.publicKeys` (`{"email", "pemFile"}`)
    /// and `azure.userDelegationKeyFiles` name files, relative to the config file.
    public static let configFileExample = """
    {
      "s3": {
        "region": "us-east-1",
        "credentials": [
          {"accessKeyId": "MYKEYID", "secretAccessKey": "my-secret-key"}
        ]
      },
      "azure": {
        "accounts": [{"name": "myaccount", "key": "bXktYWNjb3VudC1rZXk="}]
      },
      "gcs": {
        "hmacKeys": [{"accessId": "GOOG1MYKEYID", "secret": "my-hmac-secret"}]
      }
    }
    """
}

/// The shape a `presign serve --config` file must have, so that a misspelled or misplaced key is
/// refused when the server starts (instead of every request failing as `InvalidAccessKeyId`).
indirect enum ConfigShape: Sendable {
    case string
    case array(ConfigShape)
    case object([(key: String, shape: ConfigShape)])

    /// The whole file.
    static let file = ConfigShape.object([
        ("s3", .object([
            ("region", .string),
            ("credentials", .array(.object([("accessKeyId", .string), ("secretAccessKey", .string)]))),
        ])),
        ("azure", .object([
            ("accounts", .array(.object([("name", .string), ("key", .string)]))),
            ("userDelegationKeyFiles", .array(.string)),
        ])),
        ("gcs", .object([
            ("serviceAccountKeyFiles", .array(.string)),
            ("publicKeys", .array(.object([("email", .string), ("pemFile", .string)]))),
            ("hmacKeys", .array(.object([("accessId", .string), ("secret", .string)]))),
        ])),
    ])

    /// The shape as a JSON-like example: `{"accessKeyId": STRING, "secretAccessKey": STRING}`.
    var example: String {
        switch self {
        case .string: "STRING"
        case .array(let element): "[\(element.example), ...]"
        case .object(let fields): "{" + fields.map { "\"\($0.key)\": \($0.shape.example)" }.joined(separator: ", ") + "}"
        }
    }

    /// Why `value` (found at `path`, e.g. `s3.credentials[0]`) does not have this shape, naming
    /// the first offending key and what was expected there; `nil` when it fits.
    func mismatch(_ value: Any, at path: String) -> String? {
        let place = path.isEmpty ? "the top level" : path
        switch self {
        case .string:
            return value is String ? nil : "\(place) must be a string"
        case .array(let element):
            guard let items = value as? [Any] else { return "\(place) must be a list: \(example)" }
            for (index, item) in items.enumerated() {
                if let why = element.mismatch(item, at: "\(path)[\(index)]") { return why }
            }
            return nil
        case .object(let fields):
            guard let object = value as? [String: Any] else { return "\(place) must be an object: \(example)" }
            for key in object.keys.sorted() {
                let keyPath = path.isEmpty ? key : "\(path).\(key)"
                guard let field = fields.first(where: { $0.key == key }) else {
                    return "has the unknown key \(keyPath); \(place) takes \(example)"
                }
                if let why = field.shape.mismatch(object[key] as Any, at: keyPath) { return why }
            }
            return nil
        }
    }
}
