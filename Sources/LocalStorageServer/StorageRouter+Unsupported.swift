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
        "acl", "billing", "compose", "cors", "encryptionConfig", "generation", "lifecycle", "location", "logging", "partNumber",
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
}
