import Foundation
import GoogleAuth
import SigningCore

/// The validated arguments of `presign gcs`.
enum GCSInvocation {
    static func request(_ command: GCSCommand) throws -> (GCSURLRequest, String) {
        let address = try GCSObjectAddress.parse(command.target)
        let bucket = address.bucket, object = address.object
        let method = command.method.uppercased()
        guard ["GET", "PUT", "HEAD", "DELETE", "POST", "RESUMABLE"].contains(method) else {
            throw CLIFailure.usage("--method must be GET, PUT, HEAD, DELETE, POST or RESUMABLE, not '\(command.method)'.")
        }
        let seconds = try LifetimeArgument.seconds(command.expires, allowed: 1...GCSV4Signer.maximumExpirySeconds,
                                                   limit: "GCS allows: a V4 signed URL lives at most 7 days (604800 s)", suggestion: "--expires 7d or less")
        var request = GCSURLRequest(bucket: bucket, object: object, method: method == "RESUMABLE" ? "POST" : method, expiresIn: seconds)
        if method == "RESUMABLE" { request.headers.append((name: "x-goog-resumable", value: "start")) }
        if let type = command.contentType { request.headers.append((name: "content-type", value: type)) }
        request.headers += try command.headers.map(HeaderText.parse)
        request.query = try command.queries.map(QueryText.parse)
        guard command.scheme == "https" || command.scheme == "http" else {
            throw CLIFailure.usage("--scheme must be https or http, not '\(command.scheme)'.")
        }
        request.scheme = command.scheme
        switch command.urlStyle {
        case "path": request.style = .path
        case "virtual-hosted": request.style = .virtualHosted
        case "bucket-bound-hostname":
            guard let host = command.bucketBoundHostname else {
                throw CLIFailure.usage("--url-style bucket-bound-hostname needs --bucket-bound-hostname HOST.")
            }
            request.style = .bucketBoundHostname(host)
        default:
            throw CLIFailure.usage("--url-style must be path, virtual-hosted or bucket-bound-hostname, not '\(command.urlStyle)'.")
        }
        if command.bucketBoundHostname != nil && command.urlStyle != "bucket-bound-hostname" {
            throw CLIFailure.usage("--bucket-bound-hostname needs --url-style bucket-bound-hostname.")
        }
        request.endpoint = try command.endpoint.map { try ServiceEndpoint(parsing: $0) }
        if let domain = command.universeDomain { request.universeDomain = domain }
        if request.style == .virtualHosted && bucket.contains(".") && request.scheme == "https" && request.endpoint == nil {
            StandardError.write("warning: the bucket name has dots, so https://\(bucket).storage.googleapis.com will not match Google's TLS certificate; --url-style path avoids that.\n")
        }
        return (request, method)
    }

    static func credential(_ command: GCSCommand) throws -> GCSCredential {
        if let accessID = command.hmacAccessId {
            guard command.keyFile == nil else { throw CLIFailure.usage("Give --key-file or --hmac-access-id, not both.") }
            guard let secret = ProcessInfo.processInfo.environment["GOOGLE_HMAC_SECRET"], !secret.isEmpty else {
                throw CLIFailure.usage("--hmac-access-id needs the HMAC secret in GOOGLE_HMAC_SECRET (it is never taken from the command line).")
            }
            SecretRegistry.register(secret)
            return .hmac(accessID: accessID, secret: secret)
        }
        let key = try GoogleServiceAccountKey.load(path: command.keyFile)
        return .serviceAccount(email: key.clientEmail, key: key.privateKey)
    }
}
