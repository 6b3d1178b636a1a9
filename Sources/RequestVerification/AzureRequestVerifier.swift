import AzureSAS
import Foundation
import SigningCore

/// Checks Azure Blob SAS requests (service, user delegation and account SAS) as Blob Storage
/// does: the signature over the string to sign of the request's `sv`, the time window, protocol,
/// IP, permissions for the operation, and Azure's error bodies (with `x-ms-error-code`).
public struct AzureRequestVerifier: Sendable {
    /// Account keys by account name.
    public let accountKeys: [String: [UInt8]]
    /// User delegation keys the server issued, by `signedOid`.
    public let delegationKeys: [AzureUserDelegationKey]

    public init(accountKeys: [String: [UInt8]], delegationKeys: [AzureUserDelegationKey] = []) {
        self.accountKeys = accountKeys
        self.delegationKeys = delegationKeys
    }

    /// What the request wants to do to the blob.
    public enum Operation: Sendable {
        case read, create, overwrite, delete
    }

    /// Checks `request` for `operation` on `/account/container/blob` at `now`.
    public func verify(_ request: IncomingRequest, account: String, container: String, blob: String?, operation: Operation, now: Timestamp) -> VerificationResult {
        .of({ try check(request, account: account, container: container, blob: blob, operation: operation, now: now) },
            otherwise: { _ in Self.authenticationFailed("Signature fields not well formed.") })
    }

    /// An Azure error: the XML body (with `RequestId` and `Time`) and the `x-ms-error-code` header.
    public static func refusal(_ status: Int, _ code: String, _ message: String, _ extra: [(String, String)] = []) -> ProviderRefusal {
        let full = "\(message)\nRequestId:\(UUID().uuidString.lowercased())\nTime:\(Timestamp(Date()).rfc3339)"
        return ProviderRefusal(status: status, code: code, message: message, body: XMLText.error(code: code, message: full, extra: extra),
                               headers: ["x-ms-error-code": code])
    }

    static func authenticationFailed(_ detail: String) -> ProviderRefusal {
        refusal(403, "AuthenticationFailed", "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
                [("AuthenticationErrorDetail", detail)])
    }

    /// Times in Azure's messages: `Wed, 31 Aug 2022 00:00:00 GMT`.
    static func httpDate(_ time: Timestamp) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: time.date)
    }

    private func check(_ request: IncomingRequest, account: String, container: String, blob: String?, operation: Operation, now: Timestamp) throws {
        let parameters = request.queryParameters
        func value(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
        guard let version = value("sv"), let signature = value("sig") else {
            throw Self.refusal(403, "NoAuthenticationInformation", "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.")
        }
        try checkRules(value, operation: operation)
        let start = value("st").map { (text: $0, time: Timestamp.parseRFC3339($0) ?? Self.minuteTime($0)) }
        let expiry = value("se").map { (text: $0, time: Timestamp.parseRFC3339($0) ?? Self.minuteTime($0)) }
        if let start, start.time == nil { throw Self.authenticationFailed("Signature fields not well formed.") }
        if let expiry, expiry.time == nil { throw Self.authenticationFailed("Signature fields not well formed.") }
        if let s = start?.time, let e = expiry?.time, e <= s {
            throw Self.authenticationFailed("Signed expiry time [\(Self.httpDate(e))] has to be after signed start time [\(Self.httpDate(s))]")
        }
        let (stringToSign, key, permissions) = try layout(parameters: parameters, version: version, account: account, container: container, blob: blob)
        guard let key else { throw Self.authenticationFailed("The specified signed key is not valid or is not known to this server.") }
        let expected = Base64.encode(HMACSHA256(key: key).authenticate(stringToSign))
        guard signaturesEqual(expected, signature) else {
            throw Self.authenticationFailed("Signature did not match. String to sign used was \(stringToSign)")
        }
        if (start?.time.map { now < $0 } ?? false) || (expiry?.time.map { now > $0 } ?? false) {
            let s = start?.time.map(Self.httpDate) ?? "", e = expiry?.time.map(Self.httpDate) ?? ""
            throw Self.authenticationFailed("Signature not valid in the specified time frame: Start [\(s)] - Expiry [\(e)] - Current [\(Self.httpDate(now))]")
        }
        try checkDelegationKeyWindow(value, now: now)
        if value("spr") == "https" && !request.isHTTPS {
            throw Self.refusal(403, "AuthorizationProtocolMismatch", "This request is not authorized to perform this operation using this protocol.")
        }
        if let range = value("sip"), let client = request.clientIP, !Self.ip(client, isIn: range) {
            throw Self.refusal(403, "AuthorizationSourceIPMismatch", "This request is not authorized to perform this operation using this source IP \(client).")
        }
        let needed: Set<Character> = switch operation {
        case .read: ["r"]
        case .create: ["c", "w"]
        case .overwrite: ["w"]
        case .delete: ["d"]
        }
        guard !needed.isDisjoint(with: Set(permissions)) else {
            throw Self.refusal(403, "AuthorizationPermissionMismatch", "This request is not authorized to perform this operation using this permission.")
        }
    }

    /// Azure also accepts times without seconds (`2025-01-01T00:00Z`).
    static func minuteTime(_ text: String) -> Timestamp? {
        guard text.count == 17, text.hasSuffix("Z") else { return nil }
        return Timestamp.parseRFC3339(String(text.dropLast()) + ":00Z")
    }

    static func ip(_ address: String, isIn range: String) -> Bool {
        func number(_ text: Substring) -> UInt32? {
            let parts = text.split(separator: ".").compactMap { UInt8($0) }
            return parts.count == 4 ? parts.reduce(0) { $0 << 8 | UInt32($1) } : nil
        }
        let ends = range.split(separator: "-")
        guard let value = number(Substring(address)), let low = ends.first.flatMap(number) else { return false }
        let high = ends.count > 1 ? number(ends[1]) ?? low : low
        return (low...max(low, high)).contains(value)
    }
}
