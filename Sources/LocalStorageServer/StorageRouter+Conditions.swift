import Foundation
import RequestVerification
import SigningCore

/// What an upload must satisfy when it is committed: the digests its headers name, and
/// create-only (the condition that asked for it, for the answer when an object exists).
public struct WriteConditions: Sendable, Equatable {
    /// A digest the body must have.
    public struct Digest: Sendable, Equatable {
        /// MD5 or SHA-256.
        public let algorithm: StreamingDigest.Algorithm
        /// The header that named it, as the client spelled it.
        public let header: String
        /// The digest the header gave.
        public let expected: [UInt8]
    }

    /// Every digest the body must match.
    public var digests: [Digest] = []
    /// The condition that made the upload create-only (`If-None-Match`, `sp` without `w`, ...).
    public var createOnly: String?
}

extension StorageRouter {
    /// The conditions of a PUT, or the refusal of a malformed digest or of an object that exists.
    func writeConditions(_ request: IncomingRequest, provider: Provider, file: URL) -> Result<WriteConditions, ProviderRefusal> {
        var conditions = WriteConditions()
        let md5Headers = provider == .azure ? ["content-md5", "x-ms-blob-content-md5"] : ["content-md5"]
        for name in md5Headers {
            guard let text = request.header(name) else { continue }
            guard let bytes = Base64.decode(text), bytes.count == 16 else { return .failure(Self.invalidDigest(provider, header: name)) }
            conditions.digests.append(.init(algorithm: .md5, header: name, expected: bytes))
        }
        if provider == .gcs, let hashes = request.header("x-goog-hash"),
           let md5 = hashes.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }).first(where: { $0.hasPrefix("md5=") }) {
            guard let bytes = Base64.decode(String(md5.dropFirst(4))), bytes.count == 16 else { return .failure(Self.invalidDigest(provider, header: "x-goog-hash")) }
            conditions.digests.append(.init(algorithm: .md5, header: "x-goog-hash", expected: bytes))
        }
        let shaHeader = provider == .s3 ? "x-amz-content-sha256" : provider == .gcs ? "x-goog-content-sha256" : nil
        if let shaHeader, let text = request.header(shaHeader), text != "UNSIGNED-PAYLOAD" {
            guard text.count == 64, let bytes = Hex.decode(text) else { return .failure(Self.invalidDigest(provider, header: shaHeader)) }
            conditions.digests.append(.init(algorithm: .sha256, header: shaHeader, expected: bytes))
        }
        if request.header("if-none-match") == "*" {
            conditions.createOnly = "If-None-Match"
        } else if provider == .gcs, request.header("x-goog-if-generation-match") == "0" {
            conditions.createOnly = "x-goog-if-generation-match"
        } else if provider == .azure, let permissions = request.queryParameters.first(where: { $0.name == "sp" })?.value, !permissions.contains("w") {
            conditions.createOnly = "sp"
        }
        if let condition = conditions.createOnly, store.exists(file) {
            return .failure(StorageErrors.alreadyExists(provider, condition: condition))
        }
        return .success(conditions)
    }

    static func invalidDigest(_ provider: Provider, header: String) -> ProviderRefusal {
        switch provider {
        case .azure:
            StorageErrors.refusal(.azure, 400, "InvalidMd5", "The MD5 value specified in the request is invalid. The MD5 value must be 128 bits and Base64-encoded.")
        case .s3 where header.hasSuffix("sha256"):
            StorageErrors.refusal(.s3, 400, "InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or the hex SHA-256 of the body.")
        case .s3, .gcs:
            StorageErrors.refusal(provider, 400, "InvalidDigest", "The \(header) you specified was invalid.")
        }
    }

    /// The refusal for the first digest the body does not have, or `nil`.
    static func mismatch(_ conditions: WriteConditions, computed: [StreamingDigest.Algorithm: [UInt8]], provider: Provider) -> ProviderRefusal? {
        guard let failed = conditions.digests.first(where: { computed[$0.algorithm] != $0.expected }) else { return nil }
        let actual = computed[failed.algorithm] ?? []
        switch (provider, failed.algorithm) {
        case (.azure, _):
            return StorageErrors.refusal(.azure, 400, "Md5Mismatch", "The MD5 value specified in the request did not match with the MD5 value calculated by the server.",
                                         [("UserSpecifiedMd5", Base64.encode(failed.expected)), ("ServerCalculatedMd5", Base64.encode(actual))])
        case (.s3, .sha256):
            return StorageErrors.refusal(.s3, 400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.",
                                         [("ClientComputedContentSHA256", Hex.encode(failed.expected)), ("S3ComputedContentSHA256", Hex.encode(actual))])
        default:
            return StorageErrors.refusal(provider, 400, "BadDigest", "The \(failed.header) you specified did not match what we received.")
        }
    }
}
