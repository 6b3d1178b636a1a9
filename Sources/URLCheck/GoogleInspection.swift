import SigningCore

/// GCS V4/V2 signed URLs and Google Drive URLs.
enum GoogleInspection {
    static func gcsV4(_ url: ParsedURL, sent: Set<String> = [], into report: inout InspectionReport) {
        report.provider = "gcs"
        report.kind = "V4 signed URL"
        let algorithm = url.valueIgnoringCase("X-Goog-Algorithm") ?? ""
        if algorithm != "GOOG4-RSA-SHA256" && algorithm != "GOOG4-HMAC-SHA256" {
            report.problems.append("X-Goog-Algorithm is '\(algorithm.prefix(40))'; GCS V4 URLs use GOOG4-RSA-SHA256 or GOOG4-HMAC-SHA256.")
        }
        for name in ["X-Goog-Credential", "X-Goog-Date", "X-Goog-Expires", "X-Goog-SignedHeaders", "X-Goog-Signature"] where url.valueIgnoringCase(name) == nil {
            report.problems.append("The URL has no \(name); Cloud Storage will refuse it. Sign it again.")
        }
        V4Window.read(date: url.valueIgnoringCase("X-Goog-Date"), expires: url.valueIgnoringCase("X-Goog-Expires"), prefix: "X-Goog", service: "Cloud Storage", into: &report)
        report.signedHeaders = (url.valueIgnoringCase("X-Goog-SignedHeaders") ?? "").split(separator: ";").map(String.init)
        if report.signedHeaders.contains("x-goog-resumable") {
            report.method = "POST"
            report.kind = "V4 signed URL that starts a resumable upload (POST)"
            report.impliedRole = .output
            report.problems.append("This URL starts a resumable upload session (POST with x-goog-resumable: start); the service PUTs its output in one request. Sign it with --method PUT.")
        }
        let extra = report.signedHeaders.filter { $0 != "host" && $0 != "x-goog-resumable" }
        report.requiredHeaders = extra.map { (name: $0, value: "") }
        let unsent = extra.filter { !sent.contains($0) }
        if !unsent.isEmpty {
            report.problems.append("The URL signs the header(s) \(unsent.joined(separator: ", ")), which the Lightroom service will not send. Sign it without --header/--content-type (or, for a consumer that sends them, give them to verify with --header).")
        }
        report.resource = String(url.decodedPath.dropFirst())
    }

    static func gcsV2(_ url: ParsedURL, into report: inout InspectionReport) {
        report.provider = "gcs"
        report.kind = "V2 signed URL"
        report.warnings.append("This is a legacy GCS V2 signed URL (GoogleAccessId/Signature/Expires); it still works, but V4 is what Google recommends (presign gcs).")
        if let expires = url.value("Expires").flatMap(Int64.init) { report.expiresAt = Timestamp(secondsSince1970: expires) }
        report.resource = String(url.decodedPath.dropFirst())
    }

    static func isDrive(_ url: ParsedURL) -> Bool {
        url.host == "drive.google.com" || url.host == "docs.google.com" || (url.host == "www.googleapis.com" && url.path.contains("/drive/"))
    }

    static func drive(_ url: ParsedURL, into report: inout InspectionReport) {
        report.provider = "gdrive"
        let path = url.path
        if url.host == "drive.google.com" || url.host == "docs.google.com" {
            if path.contains("/view") || path.contains("/edit") || path.hasPrefix("/open") {
                report.kind = "Drive share page"
                report.problems.append("This is a Drive share page (HTML), not the file. Use presign gdrive FILE_ID for a download URL.")
            } else {
                report.kind = "Drive export link"
                report.warnings.append("drive.google.com/uc links redirect, and large files get a virus-scan page instead of the bytes; the service does not follow redirects. Use presign gdrive FILE_ID.")
            }
            report.impliedRole = .input
            return
        }
        if url.value("upload_id") != nil {
            report.kind = "Drive resumable upload session"
            report.method = "PUT"
            report.impliedRole = .output
            report.expiryNote = "a week after the session was opened"
            return
        }
        report.kind = "Drive API download URL"
        report.method = "GET"
        report.impliedRole = .input
        if url.value("access_token") != nil {
            report.kind = "Drive download URL carrying an access token"
            report.expiryNote = "when its access token expires (at most an hour after it was issued)"
            report.warnings.append("The URL carries an OAuth access token: anyone with it can use the token's scopes until it expires (at most 1 hour).")
        } else if url.value("key") == nil {
            report.problems.append("This Drive API URL needs an Authorization header, which the service does not send. Use presign gdrive FILE_ID (the URL then carries a token).")
        }
        if url.value("alt") != "media" {
            report.problems.append("Without alt=media the Drive API returns the file's metadata (JSON), not its bytes. Add alt=media.")
        }
    }
}
