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

    func s3(_ key: String, method: S3Method = .GET, headers: [SigV4.Header] = [], at: Timestamp = Timestamp(Date()), expires: Int64 = 600,
            bucket: String = "photos", addressing: S3AddressingStyle = .path) throws -> String {
        let credentials = try AWSCredentials(accessKeyID: Self.demo.s3AccessKeyID, secretAccessKey: Self.demo.s3SecretAccessKey)
        let presigner = try S3Presigner(credentials: credentials, region: "us-east-1", endpoint: try ServiceEndpoint(parsing: server.baseURL), addressing: addressing)
        return try presigner.presign(bucket: bucket, key: key, options: S3PresignOptions(method: method, expiresIn: expires, headers: headers), at: at).url
    }

    func azure(_ blob: String, permissions: String, at: Timestamp = Timestamp(Date()), expires: Int64 = 600) throws -> String {
        let credentials = try AzureStorageCredentials.parse(connectionString: Self.demo.azureConnectionString)
        var sas = AzureServiceSAS(account: credentials.account, container: "photos", blob: blob)
        sas.permissions = permissions
        sas.expiry = at.adding(seconds: expires).rfc3339
        let address = AzureBlobAddress(endpoint: "\(server.baseURL)/\(credentials.account)", account: credentials.account, container: "photos", blob: blob)
        return address.url(token: try sas.token(accountKey: credentials.key).token)
    }

    func gcs(_ object: String, method: String = "GET", at: Timestamp = Timestamp(Date()), expires: Int64 = 600) throws -> String {
        var request = GCSURLRequest(bucket: "photos", object: object, method: method, expiresIn: expires)
        request.endpoint = try ServiceEndpoint(parsing: server.baseURL)
        return try GCSV4Signer(credential: .hmac(accessID: Self.demo.gcsHMACAccessID, secret: Self.demo.gcsHMACSecret)).sign(request, at: at).url
    }

    /// The `<Code>` of an error body.
    static func code(_ response: HTTPResponse) -> String { response.xmlElement("Code") ?? "" }
}
