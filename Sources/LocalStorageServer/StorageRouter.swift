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
        case write(file: URL, key: String, successStatus: Int)
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

    public func decide(_ request: IncomingRequest) -> Decision {
        let names = Set(request.queryParameters.map { $0.name.lowercased() })
        let now = configuration.now
        if names.contains("x-amz-signature") || names.contains("x-amz-algorithm") {
            guard let (bucket, key) = S3RequestVerifier.target(of: request, virtualHostDomain: configuration.virtualHostDomain), !key.isEmpty else {
                return .refuse(S3Refusals.invalid("This server stores objects: give /BUCKET/KEY."))
            }
            if case .denied(let refusal) = s3.verify(request, now: now) { return .refuse(refusal) }
            return action(request.method, provider: .s3, file: store.file(provider: "s3", namespace: bucket, key: key), key: key, created: 200)
        }
        if names.contains("x-goog-signature") || names.contains("x-goog-algorithm") {
            guard let path = request.decodedPath, case let parts = path.dropFirst().split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false),
                  parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                return .refuse(S3Refusals.invalid("This server stores objects: give /BUCKET/OBJECT."))
            }
            if case .denied(let refusal) = gcs.verify(request, now: now) { return .refuse(refusal) }
            let key = String(parts[1])
            return action(request.method, provider: .gcs, file: store.file(provider: "gcs", namespace: String(parts[0]), key: key), key: key, created: 200)
        }
        if names.contains("sig") && names.contains("sv") {
            guard let path = request.decodedPath, case let parts = path.dropFirst().split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false),
                  parts.count == 3, !parts[2].isEmpty else {
                return .refuse(S3Refusals.invalid("This server stores blobs: give /ACCOUNT/CONTAINER/BLOB."))
            }
            let (account, container, blob) = (String(parts[0]), String(parts[1]), String(parts[2]))
            let file = store.file(provider: "azure", namespace: "\(account)/\(container)", key: blob)
            let operation: AzureRequestVerifierOperation = switch request.method {
            case "PUT": store.exists(file) ? .overwrite : .create
            case "DELETE": .delete
            default: .read
            }
            if case .denied(let refusal) = azure.verify(request, account: account, container: container, blob: blob, operation: operation, now: now) {
                return .refuse(refusal)
            }
            if request.method == "PUT" && request.header("x-ms-blob-type") == nil {
                return .refuse(ProviderRefusal(status: 400, code: "MissingRequiredHeader", message: "An HTTP header that's mandatory for this request is not specified.",
                                               body: AzureErrors.missingHeader("x-ms-blob-type"), headers: ["x-ms-error-code": "MissingRequiredHeader"]))
            }
            return action(request.method, provider: .azure, file: file, key: blob, created: 201)
        }
        return .refuse(ProviderRefusal(status: 403, code: "AccessDenied", message: "Anonymous access is not allowed: sign the URL (SigV4, SAS or GCS V4).",
                                       body: XMLText.error(code: "AccessDenied", message: "Anonymous access is not allowed: sign the URL (SigV4, SAS or GCS V4).")))
    }

    private func action(_ method: String, provider: Provider, file: URL, key: String, created: Int) -> Decision {
        switch method {
        case "GET": return .allow(provider, .read(file: file, headOnly: false))
        case "HEAD": return .allow(provider, .read(file: file, headOnly: true))
        case "PUT": return .allow(provider, .write(file: file, key: key, successStatus: created))
        case "DELETE": return .allow(provider, .delete(file: file))
        default: return .refuse(ProviderRefusal(status: 405, code: "MethodNotAllowed", message: "The specified method is not allowed against this resource.",
                                                body: XMLText.error(code: "MethodNotAllowed", message: "The specified method is not allowed against this resource.")))
        }
    }
}

typealias AzureRequestVerifierOperation = AzureRequestVerifier.Operation

/// Error bodies this server writes itself.
enum S3Refusals {
    static func invalid(_ message: String) -> ProviderRefusal {
        ProviderRefusal(status: 400, code: "InvalidRequest", message: message, body: XMLText.error(code: "InvalidRequest", message: message))
    }

    static func notFound(_ provider: StorageRouter.Provider) -> (status: Int, body: String, headers: [String: String]) {
        switch provider {
        case .azure: (404, XMLText.error(code: "BlobNotFound", message: "The specified blob does not exist."), ["x-ms-error-code": "BlobNotFound"])
        case .s3, .gcs: (404, XMLText.error(code: "NoSuchKey", message: "The specified key does not exist."), [:])
        }
    }
}

enum AzureErrors {
    static func missingHeader(_ name: String) -> String {
        XMLText.error(code: "MissingRequiredHeader", message: "An HTTP header that's mandatory for this request is not specified.", extra: [("HeaderName", name)])
    }
}
