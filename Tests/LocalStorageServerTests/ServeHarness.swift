import AWSSigV4
import AzureSAS
import Foundation
import GoogleAuth
import HTTP
import LocalStorageServer
import SigningCore
import Testing

/// A `presign serve` endpoint started in-process for one test, with the demo credentials, and
/// signers for each provider pointed at it.
final class ServeHarness: @unchecked Sendable {
    let server: StorageServer
    let root: URL
    let http = HTTPClient(maxConcurrentTransfers: 64)

    init(configure: (inout StorageServerConfiguration) throws -> Void = { _ in }) async throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("serve-test-\(UUID().uuidString)")
        var configuration = StorageServerConfiguration(root: root)
        try configuration.addDemoCredentials()
        try configure(&configuration)
        server = try await StorageServer.start(configuration)
    }

    func close() async {
        await server.stop()
        try? FileManager.default.removeItem(at: root)
    }

    static let demo = StorageServerConfiguration.Demo.self

    /// Signers with the demo credentials for this server.
    var signer: DemoSigner { DemoSigner(baseURL: server.baseURL) }

    func s3(_ key: String, method: S3Method = .GET, headers: [SigV4.Header] = [], query: [SigV4.QueryParameter] = [], at: Timestamp = Timestamp(Date()),
            expires: Int64 = 600, bucket: String = "photos", addressing: S3AddressingStyle = .path) throws -> String {
        try signer.s3(key, method: method, headers: headers, query: query, at: at, expires: expires, bucket: bucket, addressing: addressing)
    }

    func azure(_ blob: String, permissions: String, at: Timestamp = Timestamp(Date()), expires: Int64 = 600) throws -> String {
        try signer.azure(blob, permissions: permissions, at: at, expires: expires)
    }

    func gcs(_ object: String, method: String = "GET", headers: [CanonicalHTTP.Header] = [], query: [CanonicalHTTP.QueryParameter] = [],
             at: Timestamp = Timestamp(Date()), expires: Int64 = 600) throws -> String {
        try signer.gcs(object, method: method, headers: headers, query: query, at: at, expires: expires)
    }

    /// The `<Code>` of an error body.
    static func code(_ response: HTTPResponse) -> String { response.xmlElement("Code") ?? "" }
}

/// URLs signed with the demo credentials for a server at `baseURL` (in-process or a child).
struct DemoSigner {
    let baseURL: String

    func s3(_ key: String, method: S3Method = .GET, headers: [SigV4.Header] = [], query: [SigV4.QueryParameter] = [], at: Timestamp = Timestamp(Date()),
            expires: Int64 = 600, bucket: String = "photos", addressing: S3AddressingStyle = .path) throws -> String {
        let credentials = try AWSCredentials(accessKeyID: ServeHarness.demo.s3AccessKeyID, secretAccessKey: ServeHarness.demo.s3SecretAccessKey)
        let presigner = try S3Presigner(credentials: credentials, region: "us-east-1", endpoint: try ServiceEndpoint(parsing: baseURL), addressing: addressing)
        return try presigner.presign(bucket: bucket, key: key, options: S3PresignOptions(method: method, expiresIn: expires, headers: headers, query: query), at: at).url
    }

    /// A service SAS URL for `photos/blob`; `configure` adjusts the SAS before it is signed.
    func azure(_ blob: String, permissions: String?, at: Timestamp = Timestamp(Date()), expires: Int64 = 600,
               leadingQuery: [(String, String)] = [], configure: (inout AzureServiceSAS) -> Void = { _ in }) throws -> String {
        let credentials = try AzureStorageCredentials.parse(connectionString: ServeHarness.demo.azureConnectionString)
        var sas = AzureServiceSAS(account: credentials.account, container: "photos", blob: blob)
        sas.permissions = permissions
        sas.expiry = at.adding(seconds: expires).rfc3339
        configure(&sas)
        let address = AzureBlobAddress(endpoint: "\(baseURL)/\(credentials.account)", account: credentials.account, container: "photos", blob: blob)
        return address.url(token: try sas.token(accountKey: credentials.key).token, leadingQuery: leadingQuery)
    }

    func gcs(_ object: String, method: String = "GET", headers: [CanonicalHTTP.Header] = [], query: [CanonicalHTTP.QueryParameter] = [],
             at: Timestamp = Timestamp(Date()), expires: Int64 = 600) throws -> String {
        var request = GCSURLRequest(bucket: "photos", object: object, method: method, expiresIn: expires)
        request.endpoint = try ServiceEndpoint(parsing: baseURL)
        request.headers = headers
        request.query = query
        return try GCSV4Signer(credential: .hmac(accessID: ServeHarness.demo.gcsHMACAccessID, secret: ServeHarness.demo.gcsHMACSecret)).sign(request, at: at).url
    }
}
