import ArgumentParser
import Foundation
import GoogleAuth
import SigningCore

/// `presign gcs gs://BUCKET/OBJECT`: a GCS V4 signed URL.
struct GCSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gcs",
        abstract: "Make a Google Cloud Storage V4 signed URL (service-account key or HMAC key).",
        discussion: """
        Key: --key-file or GOOGLE_APPLICATION_CREDENTIALS (GOOG4-RSA-SHA256); or --hmac-access-id with the secret in GOOGLE_HMAC_SECRET (GOOG4-HMAC-SHA256). The object name in gs://BUCKET/OBJECT is taken literally; https://storage.googleapis.com/BUCKET/OBJECT and https://BUCKET.storage.googleapis.com/OBJECT are accepted too (the path percent-decoded once). RESUMABLE signs a POST with x-goog-resumable: start, which opens a resumable upload session.

        Examples:
          presign gcs gs://photos/in/cat.jpg --expires 2h
          presign gcs gs://photos/out/cat.jpg --method PUT --content-type image/jpeg --json
          presign gcs gs://photos/in/cat.jpg --endpoint http://127.0.0.1:4443
        """
    )

    @Argument(help: ArgumentHelp("The object: gs://BUCKET/OBJECT or https://storage.googleapis.com/BUCKET/OBJECT (gs://BUCKET for a bucket-level URL).", valueName: "gs://BUCKET/OBJECT"))
    var target: String

    @Option(help: "GET, PUT, HEAD, DELETE, POST or RESUMABLE (POST with signed x-goog-resumable: start).")
    var method: String = "GET"

    @Option(help: ArgumentHelp("Lifetime, at most 7d.", valueName: "DURATION"))
    var expires: String = "1h"

    @Option(help: ArgumentHelp("Service-account key JSON (default GOOGLE_APPLICATION_CREDENTIALS).", valueName: "FILE"))
    var keyFile: String?

    @Option(help: ArgumentHelp("Sign with this HMAC access id; the secret is read from GOOGLE_HMAC_SECRET.", valueName: "ID"))
    var hmacAccessId: String?

    @Option(help: ArgumentHelp("Signed Content-Type the client must send.", valueName: "TYPE"))
    var contentType: String?

    @Option(name: .customLong("header"), help: ArgumentHelp("Extra signed header 'Name: value' (repeatable).", valueName: "NAME: VALUE"))
    var headers: [String] = []

    @Option(name: .customLong("query"), help: ArgumentHelp("Extra signed query parameter name=value, raw (repeatable).", valueName: "NAME=VALUE"))
    var queries: [String] = []

    @Option(help: "path, virtual-hosted or bucket-bound-hostname.")
    var urlStyle: String = "path"

    @Option(help: ArgumentHelp("Host for --url-style bucket-bound-hostname (a CNAME or load balancer).", valueName: "HOST"))
    var bucketBoundHostname: String?

    @Option(help: "URL scheme: https or http.")
    var scheme: String = "https"

    @Option(help: ArgumentHelp("Custom endpoint (scheme, host and port), e.g. an emulator.", valueName: "URL"))
    var endpoint: String?

    @Option(help: ArgumentHelp("Universe domain: storage.D instead of storage.googleapis.com.", valueName: "D"))
    var universeDomain: String?

    @OptionGroup var output: SigningOutputOptions

    func run() throws {
        let (request, displayMethod) = try GCSInvocation.request(self)
        let credential = try GCSInvocation.credential(self)
        let signed = try GCSV4Signer(credential: credential).sign(request, at: try output.signingTime())
        let result = SignedURLOutput(provider: "gcs", method: displayMethod == "RESUMABLE" ? "POST" : signed.method, url: signed.url,
                                     headers: signed.requiredHeaders, expiresAt: signed.expiresAt.rfc3339,
                                     extra: [("bucket", JSONText.string(request.bucket)), ("object", request.object.map(JSONText.string) ?? "null")])
        result.emit(json: output.json, curl: output.curl, name: request.object, fallback: "object")
    }
}
