import AWSSigV4
import Foundation
import Testing

@testable import AWSCredentialProviders

/// Example keys; the secret and token must never show up in messages.
enum Keys {
    static let id = "AKIAIOSFODNN7EXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let token = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN/abc+def=="
    static let id2 = "AKIAI44QH8DHBEXAMPLE"
    static let secret2 = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"
    static let token2 = "IQoJb3JpZ2luX2VjEXAMPLESECONDTOKEN+xyz=="
}

/// A throwaway home directory, unique per test and removed when the sandbox goes away.
final class Sandbox {
    let home: URL

    init() throws {
        home = FileManager.default.temporaryDirectory
            .appendingPathComponent("presign-credential-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: home) }

    var homePath: String { home.path }
    /// `~/.aws/credentials` of this home.
    var credentialsPath: String { homePath + "/.aws/credentials" }
    /// `~/.aws/config` of this home.
    var configPath: String { homePath + "/.aws/config" }

    /// Writes `data` at `path` (absolute, or relative to the home), creating directories; returns the absolute path.
    @discardableResult
    func write(_ data: Data, at path: String) throws -> String {
        let absolute = path.hasPrefix("/") ? path : homePath + "/" + path
        let url = URL(fileURLWithPath: absolute)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        return absolute
    }

    @discardableResult
    func write(_ text: String, at path: String) throws -> String { try write(Data(text.utf8), at: path) }

    /// Writes `~/.aws/credentials`.
    func credentials(_ text: String) throws { try write(text, at: credentialsPath) }
    /// Writes `~/.aws/config`.
    func config(_ text: String) throws { try write(text, at: configPath) }

    /// A resolver over exactly `environment` and this home (never the process's).
    func resolver(_ environment: [String: String] = [:]) -> AWSCredentialResolver {
        AWSCredentialResolver(environment: environment, homeDirectory: homePath)
    }

    func resolve(_ environment: [String: String] = [:], profile: String? = nil) throws -> ResolvedAWSConfig {
        try resolver(environment).resolve(explicitProfile: profile)
    }

    /// Resolves expecting an `AWSConfigError` with `code`; returns it for further checks.
    @discardableResult
    func expectError(
        _ code: String, _ environment: [String: String] = [:], profile: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> AWSConfigError? {
        do {
            let resolved = try resolve(environment, profile: profile)
            Issue.record("expected \(code), resolved \(resolved.credentials) from \(resolved.source)", sourceLocation: sourceLocation)
            return nil
        } catch let error as AWSConfigError {
            #expect(error.code == code, "message: \(error.message)", sourceLocation: sourceLocation)
            #expect(error.description == error.message, sourceLocation: sourceLocation)
            return error
        } catch {
            Issue.record("expected AWSConfigError \(code), got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }
}

/// Environment with the first key pair.
let envKeys = ["AWS_ACCESS_KEY_ID": Keys.id, "AWS_SECRET_ACCESS_KEY": Keys.secret]

/// A credentials/config section body with the given pair.
func keyLines(_ id: String = Keys.id, _ secret: String = Keys.secret, token: String? = nil) -> String {
    var text = "aws_access_key_id = \(id)\naws_secret_access_key = \(secret)\n"
    if let token { text += "aws_session_token = \(token)\n" }
    return text
}

/// Asserts that nothing secret is in `text`.
func expectNoSecrets(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for secret in [Keys.secret, Keys.token, Keys.secret2, Keys.token2] {
        #expect(!text.contains(secret), "leaked a secret: \(text)", sourceLocation: sourceLocation)
    }
}
