import AWSSigV4
import AzureSAS
import Foundation
import GoogleAuth
import HTTP
import LocalStorageServer
import SigningCore
import URLCheck

/// One provider's demo: sign an output PUT and an input GET, upload, read back, and show the
/// server refusing a tampered write (before its body), a tampered read and an expired URL.
struct DemoFlow {
    enum Provider: String, CaseIterable { case s3 = "S3", azure = "Azure Blob", gcs = "Google Cloud Storage" }

    let server: StorageServer
    let http: HTTPClient
    let image: [UInt8]
    let key = "jobs/42/edited photo.png"

    /// A signed URL with the headers its client must send.
    struct Signed { let url: String; let headers: [(name: String, value: String)] }

    func sign(_ provider: Provider, method: String, at time: Timestamp, expires: Int64) throws -> Signed {
        switch provider {
        case .s3:
            let credentials = try AWSCredentials(accessKeyID: StorageServerConfiguration.Demo.s3AccessKeyID, secretAccessKey: StorageServerConfiguration.Demo.s3SecretAccessKey)
            let s3 = try S3Presigner(credentials: credentials, region: "us-east-1", endpoint: try ServiceEndpoint(parsing: server.baseURL))
            let url = try s3.presign(bucket: "lightroom", key: key, options: S3PresignOptions(method: S3Method(rawValue: method)!, expiresIn: expires), at: time)
            return Signed(url: url.url, headers: url.requiredHeaders)
        case .azure:
            let credentials = try AzureStorageCredentials.parse(connectionString: StorageServerConfiguration.Demo.azureConnectionString)
            var sas = AzureServiceSAS(account: credentials.account, container: "lightroom", blob: key)
            sas.permissions = method == "PUT" ? "cw" : "r"
            sas.expiry = time.adding(seconds: expires).rfc3339
            let address = AzureBlobAddress(endpoint: "\(server.baseURL)/\(credentials.account)", account: credentials.account, container: "lightroom", blob: key)
            return Signed(url: address.url(token: try sas.token(accountKey: credentials.key).token),
                          headers: method == "PUT" ? [(name: "x-ms-blob-type", value: "BlockBlob")] : [])
        case .gcs:
            var request = GCSURLRequest(bucket: "lightroom", object: key, method: method, expiresIn: expires)
            request.endpoint = try ServiceEndpoint(parsing: server.baseURL)
            let signer = GCSV4Signer(credential: .hmac(accessID: StorageServerConfiguration.Demo.gcsHMACAccessID, secret: StorageServerConfiguration.Demo.gcsHMACSecret))
            let url = try signer.sign(request, at: time)
            return Signed(url: url.url, headers: url.requiredHeaders)
        }
    }

    /// Runs the demo for `provider`; returns how many steps went wrong.
    func run(_ provider: Provider) async -> Int {
        say("\n== \(provider.rawValue)\n")
        var failures = 0
        func step(_ what: String, _ ok: Bool, _ detail: String) {
            say("  \(ok ? "ok  " : "FAIL") \(what): \(detail)\n")
            if !ok { failures += 1 }
        }
        do {
            let now = Timestamp(Date())
            let put = try sign(provider, method: "PUT", at: now, expires: 900)
            let get = try sign(provider, method: "GET", at: now, expires: 3600)
            say("  $ \(Self.command(provider, endpoint: server.baseURL, key: key))\n")
            say("  output URL (PUT, 15 min): \(URLRedaction.redact(put.url))\n  input URL  (GET, 1 h):    \(URLRedaction.redact(get.url))\n")

            let tampered = SignatureControl.tampered(put.url) ?? put.url
            let probe = try await http.send(HTTPRequest(method: "PUT", url: tampered, headers: put.headers, announcedLength: Int64(image.count), expectContinue: .probe(timeout: 3)))
            step("tampered output URL", probe.status == 403 && !probe.bodySent, "HTTP \(probe.status) \(Self.code(probe)) before any byte of the image was sent")

            let verifier = URLVerifier(http: http)
            let writable = await verifier.verify(put.url, role: .output)
            step("presign verify --output", writable.ok && writable.status == 100, Self.summary(writable) + ", nothing written")

            let upload = try await http.send(HTTPRequest(method: "PUT", url: put.url, headers: put.headers, body: .bytes(image)))
            step("upload the edited image", [200, 201].contains(upload.status), "HTTP \(upload.status), \(image.count) bytes")

            let download = try await http.send(HTTPRequest(url: get.url, maxResponseBytes: 1 << 20))
            step("read it back", download.status == 200 && download.body == image, "HTTP \(download.status), \(download.body == image ? "byte for byte" : "DIFFERENT bytes")")

            let readable = await verifier.verify(get.url, role: .input)
            step("presign verify --input", readable.ok && readable.content == "PNG", Self.summary(readable))

            let expired = try sign(provider, method: "GET", at: now.adding(seconds: -7200), expires: 60)
            let late = try await http.send(HTTPRequest(url: expired.url))
            step("URL that expired an hour ago", (400...403).contains(late.status), "HTTP \(late.status) \(Self.code(late))")
        } catch {
            step("demo", false, "\(error)")
        }
        return failures
    }

    /// The command a user runs for the same output URL.
    static func command(_ provider: Provider, endpoint: String, key: String) -> String {
        let demo = StorageServerConfiguration.Demo.self
        switch provider {
        case .s3:
            return "AWS_ACCESS_KEY_ID=\(demo.s3AccessKeyID) AWS_SECRET_ACCESS_KEY=\(demo.s3SecretAccessKey) presign s3 's3://lightroom/\(key)' --method PUT --expires 15m --endpoint \(endpoint)"
        case .azure:
            return "AZURE_STORAGE_CONNECTION_STRING=\(demo.azureConnectionString) presign azure 'az://\(demo.azureAccount)/lightroom/\(key)' --method PUT --expires 15m --endpoint \(endpoint)/\(demo.azureAccount)"
        case .gcs:
            return "GOOGLE_HMAC_SECRET=\(demo.gcsHMACSecret) presign gcs 'gs://lightroom/\(key)' --method PUT --expires 15m --hmac-access-id \(demo.gcsHMACAccessID) --endpoint \(endpoint)"
        }
    }

    static func summary(_ outcome: VerificationOutcome) -> String {
        "\(outcome.verdict.rawValue), HTTP \(outcome.status.map(String.init) ?? "-")\(outcome.content.map { ", \($0)" } ?? "")\(outcome.hint.map { ": \($0)" } ?? "")"
    }

    static func code(_ response: HTTPResponse) -> String { response.xmlElement("Code") ?? "" }
}
