import Foundation
import RequestVerification
import SigningCore

/// Which provider a request speaks (from its signature parameters), whether it may proceed,
/// and what it does to which object. No I/O besides looking at the store.
public struct StorageRouter: Sendable {
    public enum Provider: String, Sendable { case s3, azure, gcs }

    /// What to do with an allowed request.
    public enum Action: Sendable, Equatable {
        case read(file: URL, headOnly: Bool)
        case write(file: URL, key: String, successStatus: Int, conditions: WriteConditions)
        case delete(file: URL)
    }

    public enum Decision: Sendable {
        case allow(Provider, Action)
        case refuse(ProviderRefusal)
    }

    let configuration: StorageServerConfiguration
    let store: ObjectStore
    let s3: S3RequestVerifier
    let azure: AzureRequestVerifier
    let gcs: GCSRequestVerifier

    public init(configuration: StorageServerConfiguration) {
        self.configuration = configuration
        store = ObjectStore(root: configuration.root)
        s3 = S3RequestVerifier(secrets: configuration.s3Secrets, region: configuration.s3Region)
        azure = AzureRequestVerifier(accountKeys: configuration.azureKeys, delegationKeys: configuration.azureDelegationKeys)
        gcs = GCSRequestVerifier(publicKeys: configuration.gcsPublicKeys, hmacSecrets: configuration.gcsHMACSecrets)
    }

    /// Names are checked first (before any path is made), then the signature, then whether the
    /// operation is one this server implements.
    public func decide(_ request: IncomingRequest) -> Decision {
        let names = Set(request.queryParameters.map { $0.name.lowercased() })
        let now = configuration.now
        if names.contains("x-amz-signature") || names.contains("x-amz-algorithm") {
            guard let (bucket, key) = S3RequestVerifier.target(of: request, virtualHostDomain: configuration.virtualHostDomain), !key.isEmpty else {
                return .refuse(StorageErrors.invalid("This server stores objects: give /BUCKET/KEY."))
            }
            guard StorageNames.isS3Bucket(bucket) else {
                return .refuse(.xml(400, "InvalidBucketName", "The specified bucket is not valid.", [("BucketName", bucket)]))
            }
            if case .denied(let refusal) = s3.verify(request, now: now) { return .refuse(refusal) }
            if let refusal = unsupported(request, provider: .s3) { return .refuse(refusal) }
            return action(request, provider: .s3, file: store.file(provider: "s3", namespace: bucket, key: key), key: key, created: 200)
        }
        if names.contains("x-goog-signature") || names.contains("x-goog-algorithm") {
            guard let path = request.decodedPath, case let parts = path.dropFirst().split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false),
                  parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                return .refuse(StorageErrors.invalid("This server stores objects: give /BUCKET/OBJECT."))
            }
            let (bucket, key) = (String(parts[0]), String(parts[1]))
            guard StorageNames.isGCSBucket(bucket) else {
                return .refuse(.xml(400, "InvalidBucketName", "The specified bucket is not valid.", [("BucketName", bucket)]))
            }
            guard StorageNames.isGCSObject(key) else {
                return .refuse(.xml(400, "InvalidArgument", "Invalid argument.", [("Details", "An object name cannot be '.' or '..' or contain line breaks.")]))
            }
            if case .denied(let refusal) = gcs.verify(request, now: now) { return .refuse(refusal) }
            if let refusal = unsupported(request, provider: .gcs) ?? versionSelector(request, provider: .gcs) { return .refuse(refusal) }
            return action(request, provider: .gcs, file: store.file(provider: "gcs", namespace: bucket, key: key), key: key, created: 200)
        }
        if names.contains("sig") && names.contains("sv") {
            guard let path = request.decodedPath, case let parts = path.dropFirst().split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false),
                  parts.count == 3, !parts[2].isEmpty else {
                return .refuse(StorageErrors.invalid("This server stores blobs: give /ACCOUNT/CONTAINER/BLOB."))
            }
            return decideAzure(request, account: String(parts[0]), container: String(parts[1]), blob: String(parts[2]), now: now)
        }
        let message = "Anonymous access is not allowed: sign the URL (SigV4, SAS or GCS V4)."
        return .refuse(.xml(403, "AccessDenied", message))
    }

    private func decideAzure(_ request: IncomingRequest, account: String, container: String, blob: String, now: Timestamp) -> Decision {
        guard StorageNames.isAzureAccount(account), StorageNames.isAzureContainer(container) else {
            return .refuse(StorageErrors.refusal(.azure, 400, "InvalidResourceName", "The specifed resource name contains invalid characters."))
        }
        let file = store.file(provider: "azure", namespace: "\(account)/\(container)", key: blob)
        let operation: AzureRequestVerifierOperation = switch request.method {
        case "PUT": store.exists(file) ? .overwrite : .create
        case "DELETE": .delete
        default: .read
        }
        if case .denied(let refusal) = azure.verify(request, account: account, container: container, blob: blob, operation: operation, now: now) {
            return .refuse(refusal)
        }
        if let refusal = unsupported(request, provider: .azure) ?? versionSelector(request, provider: .azure) { return .refuse(refusal) }
        if request.method == "PUT" && request.header("x-ms-blob-type") == nil {
            return .refuse(StorageErrors.missingHeader("x-ms-blob-type"))
        }
        return action(request, provider: .azure, file: file, key: blob, created: 201)
    }

    private func action(_ request: IncomingRequest, provider: Provider, file: URL, key: String, created: Int) -> Decision {
        switch request.method {
        case "GET": return .allow(provider, .read(file: file, headOnly: false))
        case "HEAD": return .allow(provider, .read(file: file, headOnly: true))
        case "PUT":
            switch writeConditions(request, provider: provider, file: file) {
            case .success(let conditions): return .allow(provider, .write(file: file, key: key, successStatus: created, conditions: conditions))
            case .failure(let refusal): return .refuse(refusal)
            }
        case "DELETE": return .allow(provider, .delete(file: file))
        default:
            return .refuse(StorageErrors.refusal(provider, 405, "MethodNotAllowed", "The specified method is not allowed against this resource."))
        }
    }
}

typealias AzureRequestVerifierOperation = AzureRequestVerifier.Operation
