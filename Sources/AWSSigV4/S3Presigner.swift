import SigningCore

/// The methods an S3 object URL can be presigned for.
public enum S3Method: String, Sendable, CaseIterable {
    case GET, PUT, HEAD, DELETE
}

/// What a presigned S3 object URL allows besides its method and key.
public struct S3PresignOptions: Sendable {
    /// The HTTP method.
    public var method: S3Method
    /// Lifetime in seconds, 1 to 604800.
    public var expiresIn: Int64
    /// Headers to sign (the client must send them with these values), e.g. `content-type`.
    public var headers: [SigV4.Header]
    /// Extra query parameters to sign, raw, e.g. `versionId` or `response-content-disposition`.
    public var query: [SigV4.QueryParameter]

    /// Creates options.
    public init(method: S3Method = .GET, expiresIn: Int64 = 3600, headers: [SigV4.Header] = [], query: [SigV4.QueryParameter] = []) {
        self.method = method
        self.expiresIn = expiresIn
        self.headers = headers
        self.query = query
    }
}

/// Presigns S3 object URLs: addressing (virtual-hosted or path style, AWS or a custom endpoint)
/// on top of ``SigV4QueryPresigner``.
public struct S3Presigner: Sendable {
    /// The underlying SigV4 presigner (service `s3`).
    public let signer: SigV4QueryPresigner
    /// A custom endpoint, or `nil` for AWS.
    public let endpoint: S3Endpoint?
    /// The addressing style asked for.
    public let addressing: S3AddressingStyle

    /// Creates a presigner; throws `invalid-region` for a region that is not `[a-z0-9-]`.
    public init(credentials: AWSCredentials, region: String, endpoint: S3Endpoint? = nil, addressing: S3AddressingStyle = .automatic) throws {
        guard (1...64).contains(region.utf8.count),
              region.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D })
        else {
            throw AWSSigV4Error(code: AWSSigV4Error.invalidRegion, message: "'\(region)' is not an AWS region name. Use a name such as us-east-1 or eu-west-3 (lower case letters, digits and '-').")
        }
        signer = SigV4QueryPresigner(credentials: credentials, region: region, service: "s3")
        self.endpoint = endpoint
        self.addressing = addressing
    }

    /// Where a bucket's objects live: scheme, authority and the path prefix before the key.
    public struct BucketLocation: Sendable, Equatable {
        /// `https` or `http`.
        public let scheme: String
        /// The signed and emitted host (with a non-default port).
        public let authority: String
        /// `/BUCKET/` in path style, `/` in virtual-hosted style (already encoded).
        public let pathPrefix: String
    }

    /// The location of `bucket` under the host rules: AWS virtual-hosted regional
    /// (`BUCKET.s3.REGION.amazonaws.com`, `.amazonaws.com.cn` for `cn-` regions) unless the name
    /// is not a DNS label, then path style; custom endpoints path style unless virtual is asked.
    public func location(bucket: String) throws -> BucketLocation {
        try S3BucketName.validate(bucket)
        let region = signer.region
        let base = endpoint ?? S3Endpoint(
            scheme: "https", host: "s3.\(region).amazonaws.com\(region.hasPrefix("cn-") ? ".cn" : "")")
        let compatible = S3BucketName.isVirtualHostCompatible(bucket)
        let virtual: Bool
        switch addressing {
        case .path: virtual = false
        case .virtualHosted:
            guard compatible else {
                throw AWSSigV4Error(code: AWSSigV4Error.invalidBucket, message: "The bucket '\(bucket)' cannot be used as a host name (it has dots, upper case or '_', or is not 3-63 characters), so virtual-hosted addressing cannot work. Drop --virtual-host to use path style.")
            }
            guard !base.isIPAddress else {
                throw AWSSigV4Error(code: AWSSigV4Error.invalidBucket, message: "The endpoint \(base.host) is an IP address, so virtual-hosted addressing (\(bucket).\(base.host)) cannot work. Drop --virtual-host to use path style, or give the endpoint by a host name (e.g. localhost).")
            }
            virtual = true
        case .automatic: virtual = endpoint == nil && compatible
        }
        if virtual {
            let host = S3Endpoint(scheme: base.scheme, host: "\(bucket).\(base.host)", port: base.port)
            return BucketLocation(scheme: base.scheme, authority: host.authority, pathPrefix: "/")
        }
        return BucketLocation(scheme: base.scheme, authority: base.authority, pathPrefix: "/\(PercentEncoding.path.encode(bucket))/")
    }

    /// Presigns one object URL at `timestamp`.
    public func presign(bucket: String, key: String, options: S3PresignOptions, at timestamp: Timestamp) throws -> SigV4PresignedURL {
        try S3ObjectKey.validate(Array(key.utf8))
        let location = try location(bucket: bucket)
        let request = SigV4Request(
            method: options.method.rawValue, scheme: location.scheme, authority: location.authority,
            path: location.pathPrefix + PercentEncoding.path.encode(key),
            query: try S3PresignRequestParts.validatedQuery(options.query),
            headers: try S3PresignRequestParts.validatedHeaders(options.headers))
        return try signer.presign(request, expiresIn: options.expiresIn, at: timestamp)
    }

    /// Prepares a batch presigner for many keys of one bucket that share `options`.
    public func batch(bucket: String, options: S3PresignOptions, at timestamp: Timestamp) throws -> S3BatchPresigner {
        let location = try location(bucket: bucket)
        let template = try signer.template(
            method: options.method.rawValue, scheme: location.scheme, authority: location.authority,
            query: try S3PresignRequestParts.validatedQuery(options.query),
            headers: try S3PresignRequestParts.validatedHeaders(options.headers),
            expiresIn: options.expiresIn, at: timestamp)
        return S3BatchPresigner(template: template, pathPrefix: Array(location.pathPrefix.utf8))
    }
}

/// Signs many keys of one bucket with one prepared template: one SHA-256 and one HMAC per key.
///
/// Not thread-safe; make one per task.
public final class S3BatchPresigner {
    /// The prepared SigV4 template.
    public let template: SigV4PresignTemplate
    private let pathPrefix: [UInt8]
    private var path: [UInt8] = []

    init(template: SigV4PresignTemplate, pathPrefix: [UInt8]) {
        self.template = template
        self.pathPrefix = pathPrefix
        path.reserveCapacity(1100)
    }

    /// Validates the UTF-8 `key`, signs it and appends the URL to `output`. Throws `invalid-key`.
    public func sign(key: UnsafeRawBufferPointer, appendingURLTo output: inout [UInt8]) throws {
        try S3ObjectKey.validate(key)
        path.removeAll(keepingCapacity: true)
        path.append(contentsOf: pathPrefix)
        PercentEncoding.path.append(key, to: &path)
        template.sign(canonicalURI: path, urlPath: path, appendingURLTo: &output)
    }

    /// Signs the UTF-8 bytes of `key`.
    public func sign(key: [UInt8], appendingURLTo output: inout [UInt8]) throws {
        try key.withUnsafeBytes { try sign(key: $0, appendingURLTo: &output) }
    }
}

/// S3 object-key rules.
public enum S3ObjectKey {
    /// The longest key S3 stores, in UTF-8 bytes.
    public static let maximumBytes = 1024

    /// Throws `invalid-key` for an empty key, one over 1024 bytes, or bytes that are not UTF-8.
    public static func validate(_ key: UnsafeRawBufferPointer) throws {
        guard !key.isEmpty else {
            throw AWSSigV4Error(code: AWSSigV4Error.invalidKey, message: "The object key is empty. Give the object as s3://BUCKET/KEY with a key after the bucket.")
        }
        guard key.count <= maximumBytes else {
            throw AWSSigV4Error(code: AWSSigV4Error.invalidKey, message: "The object key is \(key.count) bytes long; S3 keys are at most \(maximumBytes) bytes of UTF-8. Shorten it.")
        }
        // ASCII is valid UTF-8; only keys with other bytes need the full check.
        guard key.allSatisfy({ $0 < 0x80 }) || String(validating: key, as: UTF8.self) != nil else {
            throw AWSSigV4Error(code: AWSSigV4Error.invalidKey, message: "The object key is not valid UTF-8 text. S3 keys are UTF-8: convert the key list to UTF-8 (e.g. with iconv).")
        }
    }

    /// Validates the bytes of `key`.
    public static func validate(_ key: [UInt8]) throws {
        try key.withUnsafeBytes { try validate($0) }
    }
}
