import Foundation
import TestSupport

/// Reads the throw-away keys, messages and openssl signatures under `Fixtures/rsa/`
/// (made by `Fixtures/rsa/gen_rsa_fixtures.sh`).
enum RSAFixtures {
    static let directory = TestPaths.fixture("rsa")

    static func pem(_ name: String) throws -> String {
        try TestPaths.text(directory.appendingPathComponent("\(name).pem"))
    }

    static func message(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent("messages/\(name).txt")))
    }

    /// The openssl signature of `message` with `key` (hex text, one line).
    static func signatureHex(key: String, message: String) throws -> String {
        try TestPaths.text(directory.appendingPathComponent("signatures/\(key).\(message).sig.hex"))
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let messages = ["empty", "hello", "10k", "utf8"]

    /// The lines of a PEM body: everything except BEGIN/END lines and blank lines.
    static func bodyLines(of pem: String) -> [String] {
        pem.split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.hasPrefix("-----") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }
}
