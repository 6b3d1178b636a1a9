import HTTP
import SigningCore

/// Azure Blob SAS URLs (service, user delegation, account).
enum AzureInspection {
    static func sas(_ url: ParsedURL, into report: inout InspectionReport) {
        report.provider = "azure"
        let isAccount = url.value("ss") != nil
        let isDelegation = url.value("skoid") != nil
        report.kind = isAccount ? "account SAS" : isDelegation ? "user delegation SAS" : "service SAS"
        report.permissions = url.value("sp")
        report.resource = String(url.decodedPath.dropFirst())
        func time(_ name: String) -> Timestamp? {
            guard let text = url.value(name) else { return nil }
            if let value = Timestamp.parseRFC3339(text) ?? (text.count == 17 ? Timestamp.parseRFC3339(String(text.dropLast()) + ":00Z") : nil) { return value }
            report.problems.append("\(name)='\(text.prefix(40))' is not an ISO 8601 UTC time; Azure refuses the SAS (Signature fields not well formed).")
            return nil
        }
        report.issuedAt = time("st")
        report.expiresAt = time("se")
        if url.value("se") == nil && url.value("si") == nil {
            report.problems.append("The SAS has no expiry (se) and no stored access policy (si); Azure refuses it. Sign it with an expiry.")
        } else if url.value("se") == nil {
            report.expiryNote = "the stored access policy \(url.value("si")!) decides"
        }
        if let start = report.issuedAt, let end = report.expiresAt, end <= start {
            report.problems.append("The SAS expires (\(end.rfc3339)) before it starts (\(start.rfc3339)); Azure refuses it.")
        }
        if isDelegation, let keyExpiry = time("ske"), let end = report.expiresAt, end > keyExpiry {
            report.problems.append("The SAS outlives its user delegation key (ske \(keyExpiry.rfc3339)); Azure refuses it after that. Sign it for less, or with a longer-lived key.")
        }
        if let permissions = report.permissions {
            let writes = permissions.contains("w") || permissions.contains("c")
            if permissions.contains("r") != writes { report.impliedRole = writes ? .output : .input }
            if writes { report.requiredHeaders = [(name: "x-ms-blob-type", value: "BlockBlob")] }
        }
        if url.value("spr") == "https" && url.scheme == "http" {
            report.problems.append("The SAS allows https only (spr=https) but the URL is http; Azure refuses it (AuthorizationProtocolMismatch). Use https.")
        }
        if let range = url.value("sip") {
            report.warnings.append("The SAS works only from \(range) (sip); the Lightroom service calls from Adobe's addresses, so it will be refused there.")
        }
        if isAccount, let services = url.value("ss"), !services.contains("b") {
            report.problems.append("The account SAS does not cover the blob service (ss=\(services)); add b.")
        }
    }
}

/// Dropbox temporary links, single-use upload links and share links.
enum DropboxInspection {
    static func matches(_ url: ParsedURL) -> Bool {
        if url.host == "www.dropbox.com" || url.host == "dropbox.com" { return true }
        guard let link = DropboxLinkPath.classify(host: url.host, path: url.path) else { return false }
        // An upload link on any host (a local stand-in, a proxy) may be single-use: treat it as one.
        return link.kind == .upload || DropboxLinkPath.isContentHost(url.host)
    }

    static func link(_ url: ParsedURL, into report: inout InspectionReport) {
        report.provider = "dropbox"
        let link = DropboxLinkPath.classify(host: url.host, path: url.path)
        if link?.kind == .upload {
            report.kind = "single-use upload link"
            report.method = "POST"
            report.impliedRole = .output
            report.requiredHeaders = [(name: "content-type", value: "application/octet-stream")]
            report.expiryNote = "the duration asked when it was made (at most 4 hours); it works once"
            report.warnings.append("A Dropbox upload link works once and takes a POST with Content-Type: application/octet-stream. Make it right before submitting the job.")
        } else if link?.kind == .temporary {
            report.kind = "temporary link"
            report.method = "GET"
            report.impliedRole = .input
            report.expiryNote = "4 hours after it was made"
            report.warnings.append("A Dropbox temporary link expires 4 hours after it was made (the URL does not say when that was).")
        } else {
            report.kind = "share link"
            report.impliedRole = .input
            if url.value("dl") == "1" || url.value("raw") == "1" {
                report.warnings.append("A dl=1 share link redirects to the file; the service does not follow redirects. Use presign dropbox PATH for a temporary link.")
            } else {
                report.problems.append("This is a Dropbox share page (HTML), not the file. Use presign dropbox PATH for a temporary link.")
            }
        }
    }
}
