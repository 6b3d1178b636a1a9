import AzureSAS
import Foundation
import HTTP
import LocalStorageServer
import SigningCore
import Testing

/// Snapshot and version SAS never write or delete the base blob, and reads through them find
/// nothing (this server keeps no snapshots or versions); stored-policy SAS are refused.
struct ServeAzureRulesTests {
    static let blobType = [(name: "x-ms-blob-type", value: "BlockBlob")]
    static let snapshot = "2025-01-01T00:00:00.0000000Z"

    @Test func snapshotAndVersionSASLeaveTheBaseBlobAlone() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let original = [UInt8](repeating: 3, count: 50)
        #expect(try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.azure("base.bin", permissions: "cw"), headers: Self.blobType, body: .bytes(original))).status == 201)
        for (resource, parameter) in [(AzureServiceSAS.Resource.snapshot, "snapshot"), (.version, "versionid")] {
            func url(_ permissions: String) throws -> String {
                try serve.signer.azure("base.bin", permissions: permissions, leadingQuery: [(parameter, Self.snapshot)]) {
                    $0.resource = resource
                    $0.snapshotTime = Self.snapshot
                }
            }
            let write = try await serve.http.send(HTTPRequest(method: "PUT", url: try url("rcwd"), headers: Self.blobType, body: .bytes([1])))
            #expect(write.status == 403 && ServeHarness.code(write) == "AuthorizationPermissionMismatch", "\(parameter): \(write.status) \(write.text)")
            let read = try await serve.http.send(HTTPRequest(url: try url("r")))
            #expect(read.status == 404 && ServeHarness.code(read) == "BlobNotFound", "\(parameter): the base blob is not its \(parameter)")
            let delete = try await serve.http.send(HTTPRequest(method: "DELETE", url: try url("d")))
            #expect(delete.status == 404, "\(parameter): \(delete.status)")
            #expect(try await serve.http.send(HTTPRequest(url: try serve.azure("base.bin", permissions: "r"))).body == original, "\(parameter)")
        }
    }

    @Test func storedPolicySASIsRefused() async throws {
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let url = try serve.signer.azure("p.bin", permissions: "rcw") {
            $0.identifier = "policy-1"
            $0.expiry = nil
        }
        let response = try await serve.http.send(HTTPRequest(method: "PUT", url: url, headers: Self.blobType, body: .bytes([1])))
        #expect(response.status == 403 && ServeHarness.code(response) == "AuthenticationFailed" && response.text.contains("stored access polic"), "\(response.text)")
    }
}
