internal import COpenSSL

/// Algorithm objects fetched once per process (fetching is the slow part of OpenSSL 3's API).
enum OpenSSLAlgorithms {
    nonisolated(unsafe) static let sha256: OpaquePointer = {
        guard let md = EVP_MD_fetch(nil, "SHA256", nil) else {
            fatalError("OpenSSL has no SHA256 digest; the OpenSSL installation is broken")
        }
        return md
    }()

    nonisolated(unsafe) static let md5: OpaquePointer = {
        guard let md = EVP_MD_fetch(nil, "MD5", nil) else {
            fatalError("OpenSSL has no MD5 digest; the OpenSSL installation is broken")
        }
        return md
    }()

    nonisolated(unsafe) static let hmac: OpaquePointer = {
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else {
            fatalError("OpenSSL has no HMAC implementation; the OpenSSL installation is broken")
        }
        return mac
    }()
}

/// Reads and clears OpenSSL's thread-local error queue.
enum OpenSSLErrorQueue {
    static func drain() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if let reason = ERR_reason_error_string(code) {
                reasons.append(String(cString: reason))
            } else {
                reasons.append("error \(code)")
            }
        }
        return reasons.isEmpty ? "no OpenSSL detail" : "OpenSSL: " + reasons.joined(separator: "; ")
    }
}
