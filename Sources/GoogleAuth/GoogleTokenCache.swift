import Foundation
import SigningCore

/// Access tokens kept in memory for the life of the process.
actor GoogleTokenCache {
    static let shared = GoogleTokenCache()
    private var tokens: [String: GoogleAccessToken] = [:]

    func token(for key: String, now: Date) -> GoogleAccessToken? {
        guard let token = tokens[key], token.expiresAt.timeIntervalSince(now) > GoogleTokenClient.refreshMargin else { return nil }
        return token
    }

    func store(_ token: GoogleAccessToken, for key: String) { tokens[key] = token }
}

/// Access tokens in a user cache file (JSON by a hash of account, scopes, subject and token URL;
/// never the key). Created with mode 0600; a file others can read is refused.
struct GoogleTokenFile {
    let path: String

    func token(for key: String, now: Date) throws -> GoogleAccessToken? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw GoogleAuthError(code: "insecure-token-cache", message: "The token cache \(path) can be read by other users (mode \(String(mode, radix: 8))). Run 'chmod 600 \(path)' or delete it.")
        }
        guard let entry = entries()[key], let value = entry["access_token"] as? String, let expiry = entry["expires_at"] as? Double else { return nil }
        let token = GoogleAccessToken(value: value, expiresAt: Date(timeIntervalSince1970: expiry))
        return token.expiresAt.timeIntervalSince(now) > GoogleTokenClient.refreshMargin ? token : nil
    }

    func store(_ token: GoogleAccessToken, for key: String, now: Date) throws {
        var all = entries().filter { (($0.value["expires_at"] as? Double) ?? 0) > now.timeIntervalSince1970 }
        all[key] = ["access_token": token.value, "expires_at": token.expiresAt.timeIntervalSince1970]
        let data = try JSONSerialization.data(withJSONObject: all, options: [.sortedKeys])
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw GoogleAuthError(code: "token-cache-unwritable", message: "Cannot write the token cache next to \(path). Check the folder exists and is writable.")
        }
        if rename(temporary, path) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)
            throw GoogleAuthError(code: "token-cache-unwritable", message: "Cannot replace the token cache \(path).")
        }
    }

    private func entries() -> [String: [String: Any]] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: [String: Any]]) ?? [:]
    }
}
