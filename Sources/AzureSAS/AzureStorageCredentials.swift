import Foundation
import SigningCore

/// An account name, its key and its blob endpoint, from a connection string or the environment.
///
/// `description` never shows the key.
public struct AzureStorageCredentials: Sendable, Equatable, CustomStringConvertible {
    /// The emulator's documented account and key (Azurite / Storage Emulator; not a secret).
    public static let developmentAccount = "devstoreaccount1"
    static let developmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

    public let account: String
    /// The decoded account key. Secret.
    public let key: [UInt8]
    /// The blob endpoint, e.g. `https://ACCOUNT.blob.core.windows.net` (no trailing slash).
    public let blobEndpoint: String

    public var description: String { "AzureStorageCredentials(account: \(account), key: <redacted>, blobEndpoint: \(blobEndpoint))" }

    /// Creates credentials; `keyBase64` must be base64 (account keys are).
    public init(account: String, keyBase64: String, blobEndpoint: String? = nil, source: String) throws {
        guard let key = Base64.decode(keyBase64.trimmingCharacters(in: .whitespacesAndNewlines)), !key.isEmpty else {
            throw AzureSASError(code: "invalid-account-key", message: "The account key in \(source) is not base64. Copy it again from the portal (Access keys) or with 'az storage account keys list'.")
        }
        self.account = account
        self.key = key
        self.blobEndpoint = (blobEndpoint ?? "https://\(account).blob.core.windows.net").trimmingSuffix("/")
    }

    /// Reads `AZURE_STORAGE_CONNECTION_STRING`, else `AZURE_STORAGE_ACCOUNT` + `AZURE_STORAGE_KEY`,
    /// and registers the key with `SecretRegistry`, so no message shows it.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AzureStorageCredentials {
        let credentials = try read(environment)
        SecretRegistry.register(Base64.encode(credentials.key))
        return credentials
    }

    private static func read(_ environment: [String: String]) throws -> AzureStorageCredentials {
        if let text = environment["AZURE_STORAGE_CONNECTION_STRING"], !text.isEmpty {
            return try parse(connectionString: text)
        }
        let account = environment["AZURE_STORAGE_ACCOUNT"].flatMap { $0.isEmpty ? nil : $0 }
        let key = environment["AZURE_STORAGE_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        switch (account, key) {
        case let (account?, key?): return try AzureStorageCredentials(account: account, keyBase64: key, source: "AZURE_STORAGE_KEY")
        case (nil, .some): throw AzureSASError(code: "missing-credentials", message: "AZURE_STORAGE_KEY is set but AZURE_STORAGE_ACCOUNT is not. Set the account name too.")
        case (.some, nil): throw AzureSASError(code: "missing-credentials", message: "AZURE_STORAGE_ACCOUNT is set but AZURE_STORAGE_KEY is not. Set the key, use AZURE_STORAGE_CONNECTION_STRING, or sign with --user-delegation-key.")
        default: throw AzureSASError(code: "missing-credentials", message: "No Azure Storage credentials found. Set AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY, or sign with --user-delegation-key FILE.")
        }
    }

    /// Parses every documented connection-string form: `AccountName`/`AccountKey` with
    /// `DefaultEndpointsProtocol` and `EndpointSuffix`, an explicit `BlobEndpoint`, and
    /// `UseDevelopmentStorage=true` (with an optional `DevelopmentStorageProxyUri`).
    public static func parse(connectionString: String) throws -> AzureStorageCredentials {
        var settings: [String: String] = [:]
        for part in connectionString.split(separator: ";", omittingEmptySubsequences: true) {
            let trimmed = part.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw AzureSASError(code: "invalid-connection-string", message: "AZURE_STORAGE_CONNECTION_STRING has a part without '=' ('\(trimmed.prefix(20))'). It is Name=value pairs separated by ';', as the portal shows it.")
            }
            settings[trimmed[..<equals].lowercased()] = String(trimmed[trimmed.index(after: equals)...])
        }
        if settings["usedevelopmentstorage"]?.lowercased() == "true" {
            let proxy = settings["developmentstorageproxyuri"].map { $0.trimmingSuffix("/") } ?? "http://127.0.0.1"
            return try AzureStorageCredentials(account: developmentAccount, keyBase64: developmentKey,
                                               blobEndpoint: "\(proxy):10000/\(developmentAccount)", source: "the development storage settings")
        }
        guard let account = settings["accountname"], !account.isEmpty else {
            throw AzureSASError(code: "invalid-connection-string", message: "AZURE_STORAGE_CONNECTION_STRING has no AccountName. Copy the whole connection string from the portal (Access keys).")
        }
        guard let key = settings["accountkey"], !key.isEmpty else {
            let hint = settings["sharedaccesssignature"] != nil ? " It carries a SharedAccessSignature, which cannot sign new SAS." : ""
            throw AzureSASError(code: "invalid-connection-string", message: "AZURE_STORAGE_CONNECTION_STRING has no AccountKey.\(hint) Use a connection string with the account key, or sign with --user-delegation-key.")
        }
        let scheme = settings["defaultendpointsprotocol"]?.lowercased() ?? "https"
        guard scheme == "https" || scheme == "http" else {
            throw AzureSASError(code: "invalid-connection-string", message: "DefaultEndpointsProtocol must be https or http, not '\(scheme)'.")
        }
        let suffix = settings["endpointsuffix"] ?? "core.windows.net"
        let endpoint = settings["blobendpoint"] ?? "\(scheme)://\(account).blob.\(suffix)"
        return try AzureStorageCredentials(account: account, keyBase64: key, blobEndpoint: endpoint, source: "AZURE_STORAGE_CONNECTION_STRING")
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}
