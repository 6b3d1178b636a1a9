import SigningCore

/// The issue time and lifetime of a SigV4-family URL (S3's `X-Amz-Date`/`X-Amz-Expires`, GCS's
/// `X-Goog-Date`/`X-Goog-Expires`), and the 7-day limit both services enforce.
enum V4Window {
    static func read(date dateText: String?, expires expiresText: String?, prefix: String, service: String, into report: inout InspectionReport) {
        guard let dateText else { return }
        guard let date = Timestamp.parseBasicISO8601(dateText) else {
            report.problems.append("\(prefix)-Date '\(dateText.prefix(40))' is not YYYYMMDDTHHMMSSZ; \(service) will refuse the URL.")
            return
        }
        report.issuedAt = date
        guard let expiresText else { return }
        guard let expires = Int64(expiresText), expires >= 0 else {
            report.problems.append("\(prefix)-Expires '\(expiresText.prefix(40))' is not a number of seconds; \(service) will refuse the URL.")
            return
        }
        report.expiresAt = date.adding(seconds: min(expires, 10 * 365 * 86_400))
        if expires > 604_800 {
            report.problems.append("\(prefix)-Expires is \(expiresText) s; \(service) allows at most 604800 (7 days). Sign it for 7 days or less.")
        }
    }
}
