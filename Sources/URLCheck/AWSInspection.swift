import SigningCore

/// S3 SigV4 and SigV2 URLs.
enum AWSInspection {
    static func sigV4(_ url: ParsedURL, sent: Set<String> = [], into report: inout InspectionReport) {
        report.provider = "s3"
        report.kind = "SigV4 presigned URL"
        if let algorithm = url.value("X-Amz-Algorithm"), algorithm != "AWS4-HMAC-SHA256" {
            report.problems.append("X-Amz-Algorithm is '\(algorithm)'; S3 presigned URLs use AWS4-HMAC-SHA256.")
        }
        for name in ["X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"] where url.value(name) == nil {
            report.problems.append("The URL has no \(name); S3 will refuse it (AuthorizationQueryParametersError). Sign it again.")
        }
        let credential = (url.value("X-Amz-Credential") ?? "").split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if credential.count == 5 {
            report.region = credential[2]
        } else if url.value("X-Amz-Credential") != nil {
            report.problems.append("X-Amz-Credential is not AKID/DATE/REGION/s3/aws4_request; S3 will refuse it.")
        }
        V4Window.read(date: url.value("X-Amz-Date"), expires: url.value("X-Amz-Expires"), prefix: "X-Amz", service: "S3", into: &report)
        report.signedHeaders = (url.value("X-Amz-SignedHeaders") ?? "").split(separator: ";").map(String.init)
        let extra = report.signedHeaders.filter { $0 != "host" }
        report.requiredHeaders = extra.map { (name: $0, value: "") }
        let unsent = extra.filter { !sent.contains($0) }
        if !unsent.isEmpty {
            report.problems.append("The URL signs the header(s) \(unsent.joined(separator: ", ")), which the client must send with the signed values; the Lightroom service sends no such headers. Sign it without --header/--content-type (or, for a consumer that sends them, give them to verify with --header).")
        }
        report.securityToken = url.value("X-Amz-Security-Token") != nil
        if report.securityToken {
            report.warnings.append("The URL was signed with temporary credentials: it stops working when their session ends, whatever X-Amz-Expires says.")
        }
        if url.value("partNumber") != nil || url.value("uploadId") != nil || url.query.contains(where: { $0.name == "uploads" }) {
            report.problems.append("This is a multipart-upload URL (partNumber/uploadId/uploads); the Lightroom API uploads each output in one PUT. Sign a plain object URL.")
        }
        resource(url, into: &report)
    }

    /// Bucket and key from the host or path, and the host's region against the scope's.
    static func resource(_ url: ParsedURL, into report: inout InspectionReport) {
        let labels = url.host.split(separator: ".").map(String.init)
        guard let s3Index = labels.firstIndex(where: { $0 == "s3" || $0.hasPrefix("s3-") }), url.host.hasSuffix("amazonaws.com") || url.host.hasSuffix("amazonaws.com.cn") else {
            report.resource = url.decodedPath
            return
        }
        let bucketFromHost = s3Index > 0 ? labels[..<s3Index].joined(separator: ".") : nil
        let path = url.decodedPath.dropFirst()
        report.resource = bucketFromHost.map { "\($0)/\(path)" } ?? String(path)
        let hostRegion: String? = {
            if labels[s3Index].hasPrefix("s3-") { return String(labels[s3Index].dropFirst(3)) }
            let next = s3Index + 1 < labels.count ? labels[s3Index + 1] : ""
            if next == "dualstack" { return s3Index + 2 < labels.count ? labels[s3Index + 2] : nil }
            return next == "amazonaws" ? nil : next
        }()
        if let scope = report.region {
            if let hostRegion, hostRegion != scope {
                report.problems.append("The host is in \(hostRegion) but the signature's scope says \(scope); S3 refuses it (AuthorizationQueryParametersError). Sign it with --region \(hostRegion).")
            } else if hostRegion == nil && scope != "us-east-1" {
                report.problems.append("The global host s3.amazonaws.com with a \(scope) signature makes S3 answer a redirect, which the service does not follow. Use the regional host (presign s3 does).")
            }
        }
    }

    static func sigV2(_ url: ParsedURL, into report: inout InspectionReport) {
        report.provider = "s3"
        report.kind = "SigV2 presigned URL"
        report.problems.append("This is an S3 SigV2 URL (AWSAccessKeyId/Signature/Expires); the Lightroom API needs SigV4, and newer S3 regions refuse SigV2. Sign it with presign s3.")
        if let expires = url.value("Expires").flatMap(Int64.init) { report.expiresAt = Timestamp(secondsSince1970: expires) }
        resource(url, into: &report)
    }
}
