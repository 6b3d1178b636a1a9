import RequestVerification

extension StorageRouter {
    /// S3 sub-resources (https://docs.aws.amazon.com/AmazonS3/latest/API/): none is served here.
    static let s3Subresources: Set<String> = [
        "accelerate", "acl", "analytics", "attributes", "cors", "delete", "encryption", "intelligent-tiering", "inventory", "legal-hold",
        "lifecycle", "location", "logging", "metrics", "notification", "object-lock", "ownershipControls", "partNumber", "policy",
        "policyStatus", "publicAccessBlock", "renameObject", "replication", "requestPayment", "restore", "retention", "select",
        "select-type", "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning", "versions", "website",
    ]
    /// GCS XML API sub-resources and version selectors.
    static let gcsSubresources: Set<String> = [
        "acl", "billing", "compose", "cors", "encryptionConfig", "lifecycle", "location", "logging", "partNumber",
        "storageClass", "tagging", "uploadId", "uploads", "versioning", "versions", "website",
    ]
    /// Azure operations selected by the query (`comp=block`, `comp=blocklist`, ...) or by headers.
    static let azureParameters: Set<String> = ["comp", "restype", "blockid"]
    static let copyHeaders: [StorageRouter.Provider: [String]] = [
        .s3: ["x-amz-copy-source", "x-amz-copy-source-range", "x-amz-write-offset-bytes"],
        .azure: ["x-ms-copy-source", "x-ms-source-url"],
        .gcs: ["x-goog-copy-source", "x-goog-resumable"],
    ]

    /// 501 `NotImplemented` for an operation other than a whole-object GET, HEAD, PUT or DELETE.
    func unsupported(_ request: IncomingRequest, provider: Provider) -> ProviderRefusal? {
        let names = request.queryParameters.map(\.name)
        let subresources: Set<String> = switch provider {
        case .s3: Self.s3Subresources
        case .gcs: Self.gcsSubresources
        case .azure: Self.azureParameters
        }
        if let name = names.first(where: subresources.contains) {
            return StorageErrors.notImplemented(provider, provider == .azure ? "the '\(name)' operations" : "the '\(name)' sub-resource")
        }
        if let header = Self.copyHeaders[provider]?.first(where: { request.header($0) != nil }) {
            return StorageErrors.notImplemented(provider, "the \(header) header")
        }
        if provider == .s3, let payload = request.header("x-amz-content-sha256"), payload.hasPrefix("STREAMING-") {
            return StorageErrors.notImplemented(provider, "aws-chunked uploads (\(payload))")
        }
        if provider == .azure, request.method == "PUT", let type = request.header("x-ms-blob-type"), type != "BlockBlob" {
            return StorageErrors.notImplemented(provider, "\(type) blobs")
        }
        return nil
    }

    /// Reads and deletes of an Azure snapshot or version, or of a GCS generation, find nothing
    /// (none are kept, and the live object is not that one); a write cannot name one.
    func versionSelector(_ request: IncomingRequest, provider: Provider) -> ProviderRefusal? {
        let names: Set<String> = provider == .azure ? ["snapshot", "versionid"] : provider == .gcs ? ["generation"] : []
        guard let selector = request.queryParameters.first(where: { names.contains($0.name) }) else { return nil }
        guard request.method == "PUT" else { return StorageErrors.notFound(provider) }
        if provider == .gcs {
            return .xml(400, "InvalidArgument", "Invalid argument.", [("Details", "A PUT cannot name a generation; drop the generation parameter.")])
        }
        return StorageErrors.refusal(.azure, 400, "InvalidQueryParameterValue", "Value for one of the query parameters specified in the request URI is invalid.",
                                     [("QueryParameterName", selector.name), ("QueryParameterValue", selector.value)])
    }
}
