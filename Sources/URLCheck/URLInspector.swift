import HTTP
import SigningCore

/// Reads a URL without any network and says what it grants and what is wrong with it.
public struct URLInspector: Sendable {
    /// The time to judge expiry against.
    public var now: Timestamp
    /// A URL that expires sooner than this (seconds) gets a warning: a job may outlive it.
    public var minimumLifetime: Int64
    /// The role the URL will play, when known (`--input`/`--output`).
    public var role: URLRole?
    /// Headers (lower-case names) the consumer will send (`verify --header`): a signed header
    /// among them is not a problem.
    public var sentHeaders: Set<String>

    public init(now: Timestamp, minimumLifetime: Int64 = 900, role: URLRole? = nil, sentHeaders: Set<String> = []) {
        self.now = now
        self.minimumLifetime = minimumLifetime
        self.role = role
        self.sentHeaders = sentHeaders
    }

    /// Inspects `text`; never throws and never crashes, whatever the text.
    public func inspect(_ text: String) -> InspectionReport {
        let url = ParsedURL(text)
        var report = InspectionReport()
        for defect in url.defects { report.problems.append("The URL is malformed: \(defect).") }
        if url.scheme != "https" && url.scheme != "http" && !url.scheme.isEmpty {
            report.problems.append("The URL's scheme is \(url.scheme); the service fetches and stores only http(s) URLs.")
        }
        report.malformed = !url.defects.isEmpty || (url.scheme != "https" && url.scheme != "http")
        let names = Set(url.query.map { $0.name.lowercased() })
        if names.contains("x-amz-algorithm") || names.contains("x-amz-signature") {
            AWSInspection.sigV4(url, sent: sentHeaders, into: &report)
        } else if names.contains("awsaccesskeyid") && names.contains("signature") {
            AWSInspection.sigV2(url, into: &report)
        } else if names.contains("x-goog-algorithm") || names.contains("x-goog-signature") {
            GoogleInspection.gcsV4(url, sent: sentHeaders, into: &report)
        } else if names.contains("googleaccessid") && names.contains("signature") {
            GoogleInspection.gcsV2(url, into: &report)
        } else if names.contains("sig") && names.contains("sv") {
            AzureInspection.sas(url, into: &report)
        } else if DropboxInspection.matches(url) {
            DropboxInspection.link(url, into: &report)
        } else if GoogleInspection.isDrive(url) {
            GoogleInspection.drive(url, into: &report)
        } else {
            report.warnings.append("No signature this tool knows: anyone with the URL can use it, or it needs credentials the service will not send.")
        }
        // Whatever else the URL looks like, a path that may be a single-use link makes it one.
        report.singleUse = DropboxLinkPath.classify(host: url.host, path: url.path)?.kind == .upload
        report.checkTimes()
        checkCommon(url, into: &report)
        return report
    }

    private func checkCommon(_ url: ParsedURL, into report: inout InspectionReport) {
        if url.scheme == "http" && !url.isLoopback {
            report.warnings.append("The URL uses http, not https: the file and the signature travel unencrypted, and the Lightroom API accepts only https hrefs.")
        }
        for name in url.repeatedNames where ["x-amz-signature", "x-amz-credential", "x-amz-date", "x-amz-expires", "sig", "se", "sp", "x-goog-signature", "x-goog-expires"].contains(name.lowercased()) {
            report.problems.append("The parameter \(name) appears more than once; servers read one of them and the signature will not match. Sign the URL again.")
        }
        if let start = report.issuedAt, start.secondsSince1970 > now.secondsSince1970 + 900 {
            report.problems.append("The URL is not valid yet: it starts at \(start.rfc3339), \(Self.span(start.secondsSince1970 - now.secondsSince1970)) from now. Sign it without a future start (or fix this machine's clock).")
        }
        if let end = report.expiresAt {
            let left = end.secondsSince1970 - now.secondsSince1970
            if left <= 0 {
                report.problems.append("The URL expired at \(end.rfc3339), \(Self.span(-left)) ago. Sign a new one.")
            } else if left < minimumLifetime {
                report.warnings.append("The URL expires in \(Self.span(left)) (at \(end.rfc3339)), before a typical job would finish. Sign it for longer (at least \(Self.span(minimumLifetime))).")
            }
        }
        let role = self.role ?? report.impliedRole
        // Azure's permissions get their own, more precise sentences below.
        if let role, let implied = report.impliedRole, implied != role, report.provider != "azure" {
            report.problems.append(role == .output
                ? "This URL can only be read (\(report.kind)), but it is given as an output. Sign a URL that allows writing (PUT)."
                : "This URL is for writing (\(report.kind)), but it is given as an input. Sign a URL that allows reading (GET).")
        }
        if role == .output && report.provider == "azure", let permissions = report.permissions, !permissions.contains("w") && !permissions.contains("c") {
            report.problems.append("The SAS permissions '\(permissions)' allow no write: an output needs c (create) or w (write). Sign it with --method PUT (sp=cw).")
        }
        if role == .input && report.provider == "azure", let permissions = report.permissions, !permissions.contains("r") {
            report.problems.append("The SAS permissions '\(permissions)' do not allow reading: an input needs r. Sign it with --method GET (sp=r).")
        }
    }

    /// A length of time for people: `2h 5m`, `45s`.
    public static func span(_ seconds: Int64) -> String {
        let s = max(0, seconds)
        if s >= 86_400 { return "\(s / 86_400)d \(s % 86_400 / 3600)h" }
        if s >= 3600 { return "\(s / 3600)h \(s % 3600 / 60)m" }
        if s >= 60 { return "\(s / 60)m \(s % 60)s" }
        return "\(s)s"
    }
}
