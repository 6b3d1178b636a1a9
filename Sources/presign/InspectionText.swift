import AzureSAS
import SigningCore
import URLCheck

/// How `inspect` prints a report.
enum InspectionText {
    static func human(_ report: InspectionReport, now: Timestamp, role: URLRole?) -> String {
        var lines = ["provider:       \(report.provider) (\(report.kind))"]
        lines.append("method:         \(report.method ?? (report.provider == "s3" ? "not in the URL (an S3 URL works only for the method it was signed for)" : "not in the URL"))")
        if let resource = report.resource { lines.append("resource:       \(resource)") }
        if let region = report.region { lines.append("region:         \(region)") }
        if let permissions = report.permissions {
            let text = report.provider == "azure" ? AzurePermissions.described(permissions, account: report.kind == "account SAS") : permissions
            lines.append("permissions:    \(text)")
        }
        if let issued = report.issuedAt { lines.append("issued/starts:  \(issued.rfc3339)") }
        if let end = report.expiresAt {
            let left = end.secondsSince1970 - now.secondsSince1970
            lines.append("expires:        \(end.rfc3339) (\(left > 0 ? "in " + URLInspector.span(left) : "expired " + URLInspector.span(-left) + " ago"))")
        } else {
            lines.append("expires:        \(report.expiryNote ?? "the URL does not say")")
        }
        if !report.signedHeaders.isEmpty { lines.append("signed headers: \(report.signedHeaders.joined(separator: ", "))") }
        if !report.requiredHeaders.isEmpty {
            lines.append("client sends:   " + report.requiredHeaders.map { $0.value.isEmpty ? $0.name : "\($0.name): \($0.value)" }.joined(separator: ", "))
        }
        if report.provider == "s3" { lines.append("security token: \(report.securityToken ? "yes (temporary credentials)" : "no")") }
        if let implied = role ?? report.impliedRole { lines.append("role:           \(implied.rawValue)\(role == nil ? " (implied by the URL)" : "")") }
        lines.append(report.problems.isEmpty ? "problems:       none" : "problems:")
        lines += report.problems.map { "  - \($0)" }
        if !report.warnings.isEmpty { lines.append("warnings:"); lines += report.warnings.map { "  - \($0)" } }
        return lines.joined(separator: "\n")
    }

    static func json(_ report: InspectionReport, now: Timestamp, role: URLRole?) -> String {
        func optional(_ value: String?) -> String { value.map(JSONText.string) ?? "null" }
        return JSONText.object([
            ("provider", JSONText.string(report.provider)), ("kind", JSONText.string(report.kind)), ("method", optional(report.method)),
            ("issuedAt", optional(report.issuedAt?.rfc3339)), ("expiresAt", optional(report.expiresAt?.rfc3339)),
            ("secondsLeft", report.expiresAt.map { String($0.secondsSince1970 - now.secondsSince1970) } ?? "null"),
            ("expiryNote", optional(report.expiryNote)),
            ("signedHeaders", JSONText.array(report.signedHeaders.map(JSONText.string))),
            ("requiredHeaders", JSONText.object(report.requiredHeaders.map { ($0.name, JSONText.string($0.value)) })),
            ("permissions", optional(report.permissions)), ("resource", optional(report.resource)), ("region", optional(report.region)),
            ("securityToken", report.securityToken ? "true" : "false"), ("role", optional((role ?? report.impliedRole)?.rawValue)),
            ("problems", JSONText.array(report.problems.map(JSONText.string))), ("warnings", JSONText.array(report.warnings.map(JSONText.string))),
        ])
    }
}
