import Foundation
@testable import LightroomAPI
import Testing

/// Inference, settings parsing and status documents.
struct LightroomRequestTests {
    @Test(arguments: [
        ("https://acct.blob.core.windows.net/c/in.jpg?sv=2026-10-06&sr=b&sp=r&sig=abc", LightroomStorage.azure),
        ("https://uc123.dl.dropboxusercontent.com/cd/0/get/abc/file", .dropbox),
        ("https://content.dropboxapi.com/apitul/1/bNi2uIYF51cVBND", .dropbox),
        ("https://b.s3.amazonaws.com/in.jpg?X-Amz-Signature=abc", .external),
        ("https://storage.googleapis.com/b/o.jpg?X-Goog-Signature=abc", .external),
        ("https://example.com/photo.jpg", .external),
    ])
    func storageIsInferred(url: String, storage: LightroomStorage) {
        #expect(LightroomStorage.inferred(from: url) == storage)
    }

    @Test func outputTypeComesFromTheFileName() {
        #expect(LightroomOutputType.inferred(from: "https://b/x/photo.JPG?sig=1.png") == .jpeg)
        #expect(LightroomOutputType.inferred(from: "https://b/x/raw.dng") == .dng)
        #expect(LightroomOutputType.inferred(from: "https://b/x/p%2Epng") == .png)
        #expect(LightroomOutputType.inferred(from: "https://b/x/settings.xmp") == .xmp)
        #expect(LightroomOutputType.inferred(from: "https://b/x/noextension") == nil)
    }

    @Test func onlyHTTPSOrThisMachineIsAccepted() throws {
        func job(_ href: String) -> LightroomJobRequest {
            LightroomJobRequest(endpoint: .autoTone, input: .init(href: href), outputs: [.init(file: .init(href: "https://b/out.jpg"), type: .jpeg)])
        }
        for good in ["https://b/in.jpg", "http://127.0.0.1:9000/in.jpg", "http://localhost/in.jpg", "HTTPS://B/in.jpg"] {
            #expect(throws: Never.self, "\(good)") { try job(good).validate() }
        }
        for bad in ["http://example.com/in.jpg", "http://127.0.0.1.example.com/in.jpg", "ftp://b/in.jpg", "https//b"] {
            #expect(throws: LightroomError.self, "\(bad)") { try job(bad).validate() }
        }
        let error = try #require(throws: LightroomError.self) { try job("http://example.com/in.jpg?X-Amz-Signature=s3cr3t").validate() }
        #expect(!error.message.contains("s3cr3t"), "the signature is redacted")
    }

    @Test func settingsAreCheckedAndNamedAsAdobeSpellsThem() throws {
        var settings = EditSettings()
        try settings.add("exposure=1.25")
        try settings.add("WhiteBalance=as shot")
        try settings.add("Sharpness=149.5")
        #expect(settings.values.map(\.name) == ["Exposure", "WhiteBalance", "Sharpness"])
        #expect(settings.values[1].value == .text("As Shot"))
        for bad in ["Exposure=5.01", "Exposure=0.005", "Temperature=5500", "Contrast=lots", "WhiteBalance=Sunny", "Exposure", "Contrast=nan", "exposure=1"] {
            #expect(throws: LightroomError.self, "\(bad)") { try settings.add(bad) }
        }
    }

    @Test func aFinishedStatusIsRead() throws {
        let body = #"{"jobId":"j1","outputs":[{"input":"https://i","status":"succeeded","_links":{"self":{"href":"https://o1","storage":"external"}}},{"input":"https://i","status":"failed","errors":{"type":"AuthForbidden","title":"Unable to upload the outputs","code":"403","details":[{"name":"href","reason":"403"}]}}],"_links":{"self":{"href":"https://s"}}}"#
        let status = try LightroomJobStatus(parsing: Array(body.utf8))
        #expect(status.isFinished && !status.succeeded && status.summary == "1 succeeded, 1 failed")
        #expect(status.outputs[1].error == "AuthForbidden: Unable to upload the outputs: code 403 (403)")
        #expect(throws: LightroomError.self) { try LightroomJobStatus(parsing: Array("<html>".utf8)) }
    }
}
