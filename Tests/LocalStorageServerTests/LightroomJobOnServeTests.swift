import Foundation
import HTTP
import LightroomAPI
import Testing

/// A Lightroom job end to end on the local default: `presign serve` is the storage, the IMS and
/// Lightroom API stand-in reads the input through its S3 GET URL and writes one output through an S3
/// PUT URL and one through an Azure SAS URL (where `storage: azure` makes it send the
/// `x-ms-blob-type` header serve demands, as Azure does); both outputs are read back.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PRESIGN_TEST_LIGHTROOM"] != nil
                || ProcessInfo.processInfo.environment["PRESIGN_REQUIRE_SERVERS"] == "1",
                Comment(rawValue: "Lightroom stand-in not running: run scripts/test.sh")))
struct LightroomJobOnServeTests {
    @Test func theServiceReadsTheInputAndWritesEveryOutput() async throws {
        let base = ProcessInfo.processInfo.environment["PRESIGN_TEST_LIGHTROOM"] ?? ""
        let serve = try await ServeHarness()
        defer { Task { await serve.close() } }
        let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + (0..<30_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(try await serve.http.send(HTTPRequest(method: "PUT", url: try serve.s3("in/photo.jpg", method: .PUT), body: .bytes(photo))).status == 200)

        let tokens = IMSTokenProvider(source: .clientCredentials(clientID: "presign-test-client", clientSecret: "presign-test-secret+&=/",
                                                                 scopes: IMSTokenProvider.defaultScopes), url: base + "/ims/token/v3")
        let client = LightroomClient(base: base, apiKey: "presign-test-client", tokens: tokens)
        let job = LightroomJobRequest(endpoint: .autoTone, input: .init(href: try serve.s3("in/photo.jpg")), outputs: [
            .init(file: .init(href: try serve.s3("out/photo.jpg", method: .PUT)), type: .jpeg),
            .init(file: .init(href: try serve.azure("out/photo.jpg", permissions: "cw")), type: .jpeg),
        ])
        #expect(job.outputs.map(\.file.storage) == [.external, .azure], "storage is inferred from each URL")
        let final = try await client.wait(for: try await client.submit(job), interval: 0.1, timeout: 30)
        #expect(final.succeeded, "\(final.outputs.map { $0.error ?? $0.status })")
        for url in [try serve.s3("out/photo.jpg"), try serve.azure("out/photo.jpg", permissions: "r")] {
            let read = try await serve.http.send(HTTPRequest(url: url, maxResponseBytes: 1 << 20))
            #expect(read.status == 200 && read.body == photo, "\(url.prefix(60))")
        }
    }
}
