import AWSSigV4
import Foundation
import HTTP
import LocalStorageServer
import RequestVerification
import SigningCore
import Testing

/// Bucket and container names follow each provider's rules (so `.`, `..` and `%2e%2e` never
/// reach the file system), DELETE removes a regular object file only, and GET never serves a folder.
struct ServeNamesTests {
    /// The refusal code the router gives a request for `path` that carries `query`, before any signature check.
    static func code(path: String, query: String) -> String? {
        let router = StorageRouter(configuration: StorageServerConfiguration(root: URL(fileURLWithPath: "/nonexistent")))
        if case .refuse(let refusal) = router.decide(IncomingRequest(method: "GET", path: path, query: query, headers: [("Host", "127.0.0.1")])) {
            return refusal.code
        }
        return nil
    }

    static let s3Query = "X-Amz-Signature=00"
    static let gcsQuery = "X-Goog-Signature=00"
    static let azureQuery = "sv=2025-01-05&sig=00"

    @Test(arguments: ["ab", String(repeating: "a", count: 64), "Photos", "photos_1", "-photos", "photos-", ".photos", "photos.", "pho..tos",
                      "192.168.1.1", "xn--photos", "photos-s3alias", "..", ".", "%2e%2e", "%2E", "pho%20tos"])
    func s3RefusesBucket(_ bucket: String) {
        #expect(Self.code(path: "/\(bucket)/k", query: Self.s3Query) == "InvalidBucketName")
    }

    @Test(arguments: ["abc", "photos", "my.bucket-1", String(repeating: "a", count: 63)])
    func s3AcceptsBucket(_ bucket: String) {
        #expect(Self.code(path: "/\(bucket)/k", query: Self.s3Query) != "InvalidBucketName")
    }

    @Test(arguments: ["ab", "Photos", "pho.tos", "-photos", "photos-", "pho--tos", "pho_tos", "..", ".", "%2e%2e", String(repeating: "a", count: 64)])
    func azureRefusesContainer(_ container: String) {
        #expect(Self.code(path: "/devstoreaccount1/\(container)/blob", query: Self.azureQuery) == "InvalidResourceName")
    }

    @Test(arguments: ["..", ".", "ab", "Dev", "dev-store", String(repeating: "a", count: 25)])
    func azureRefusesAccount(_ account: String) {
        #expect(Self.code(path: "/\(account)/photos/blob", query: Self.azureQuery) == "InvalidResourceName")
    }

    @Test(arguments: ["abc", "photos", "a-b-c", "2024-logs"])
    func azureAcceptsContainer(_ container: String) {
        #expect(Self.code(path: "/devstoreaccount1/\(container)/blob", query: Self.azureQuery) != "InvalidResourceName")
    }

    @Test(arguments: ["ab", "Photos", "-photos", "photos_", "goog-photos", "my-google-photos", "192.168.5.4", "..", ".", "%2e%2e",
                      String(repeating: "a", count: 64), String(repeating: "a", count: 64) + ".b", "a..b"])
    func gcsRefusesBucket(_ bucket: String) {
        #expect(Self.code(path: "/\(bucket)/o", query: Self.gcsQuery) == "InvalidBucketName")
    }

    @Test(arguments: ["abc", "my_photos", "a.b.c", "photos-2024", String(repeating: "a", count: 63) + "." + String(repeating: "b", count: 63)])
    func gcsAcceptsBucket(_ bucket: String) {
        #expect(Self.code(path: "/\(bucket)/o", query: Self.gcsQuery) != "InvalidBucketName")
    }

    @Test(arguments: [".", "..", "%2e%2e", "%2E"])
    func gcsRefusesDotObjectName(_ object: String) {
        #expect(Self.code(path: "/photos/\(object)", query: Self.gcsQuery) == "InvalidArgument")
    }

    /// A validly signed PUT to `/%2e%2e/k` is refused and nothing lands outside `ROOT/s3`.
    @Test func aSignedDotDotBucketStoresNothing() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let credentials = try AWSCredentials(accessKeyID: ServeHarness.demo.s3AccessKeyID, secretAccessKey: ServeHarness.demo.s3SecretAccessKey)
        let authority = serve.server.baseURL.replacingOccurrences(of: "http://", with: "")
        let request = SigV4Request(method: "PUT", scheme: "http", authority: authority, path: "/%2e%2e/k", canonicalURI: "/../k", query: [], headers: [])
        let url = try SigV4QueryPresigner(credentials: credentials, region: "us-east-1").presign(request, expiresIn: 600, at: Timestamp(Date())).url
        let response = try await serve.http.send(HTTPRequest(method: "PUT", url: url, body: .bytes([1, 2, 3])))
        #expect(response.status == 400 && ServeHarness.code(response) == "InvalidBucketName", "\(response.status) \(response.text)")
        let top = (try? FileManager.default.contentsOfDirectory(atPath: serve.root.path)) ?? []
        #expect(top.allSatisfy { ["s3", "azure", "gcs"].contains($0) }, "stored outside the provider folders: \(top)")
    }

    /// A folder where an object's file would be is never served, and DELETE leaves it alone.
    @Test func foldersAreNeitherServedNorDeleted() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let store = ObjectStore(root: serve.root)
        let cases: [(String, URL, String, String, String, Set<Int>)] = [
            ("s3", store.file(provider: "s3", namespace: "photos", key: "dir"), try serve.s3("dir"), try serve.s3("dir", method: .HEAD), try serve.s3("dir", method: .DELETE), [204]),
            ("gcs", store.file(provider: "gcs", namespace: "photos", key: "dir"), try serve.gcs("dir"), try serve.gcs("dir", method: "HEAD"), try serve.gcs("dir", method: "DELETE"), [404]),
            ("azure", store.file(provider: "azure", namespace: "devstoreaccount1/photos", key: "dir"),
             try serve.azure("dir", permissions: "r"), try serve.azure("dir", permissions: "r"), try serve.azure("dir", permissions: "d"), [404]),
        ]
        for (name, folder, get, headURL, delete, deleteStatus) in cases {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: folder.appendingPathComponent("inside").path, contents: Data([1]))
            let read = try? await serve.http.send(HTTPRequest(url: get))
            #expect(read?.status == 404, "\(name): a folder is not an object: \(read?.status ?? 0)")
            let head = try? await serve.http.send(HTTPRequest(method: "HEAD", url: headURL))
            #expect(head?.status == 404, "\(name)")
            let removed = try? await serve.http.send(HTTPRequest(method: "DELETE", url: delete))
            #expect(removed.map { deleteStatus.contains($0.status) } == true, "\(name): \(removed?.status ?? 0)")
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("inside").path), "\(name): DELETE removed a folder")
        }
    }

    /// DELETE removes the object and its key record.
    @Test func deleteRemovesTheObjectAndItsKeyRecord() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        #expect(try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.s3("gone.bin", method: .PUT), body: .bytes([1]))).status == 200)
        let file = ObjectStore(root: serve.root).file(provider: "s3", namespace: "photos", key: "gone.bin")
        #expect(FileManager.default.fileExists(atPath: file.appendingPathExtension("key").path))
        #expect(try await serve.http.send(HTTPRequest(method: "DELETE", url: try serve.s3("gone.bin", method: .DELETE))).status == 204)
        #expect(!FileManager.default.fileExists(atPath: file.path) && !FileManager.default.fileExists(atPath: file.appendingPathExtension("key").path))
    }
}
