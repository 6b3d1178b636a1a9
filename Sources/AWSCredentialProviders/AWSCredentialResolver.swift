import AWSSigV4
import Foundation
import SigningCore

/// Credentials and region as the AWS CLI finds them, with where they came from.
public struct ResolvedAWSConfig: Sendable {
    /// The credentials to sign with.
    public let credentials: AWSCredentials
    /// The region from the environment or the profile, or `nil` when none is configured.
    public let region: String?
    /// Where the credentials came from, e.g. `environment` or `/root/.aws/credentials [default]`.
    public let source: String
}

/// Finds AWS credentials the way the AWS CLI does, so what users already have just works:
///
/// 1. with an explicit `--profile`, that profile only (environment keys are ignored, as the AWS CLI does);
/// 2. otherwise `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`);
/// 3. otherwise the profile `AWS_PROFILE` (default `default`) in `AWS_SHARED_CREDENTIALS_FILE`
///    (default `~/.aws/credentials`), then in `AWS_CONFIG_FILE` (default `~/.aws/config`,
///    sections `[profile NAME]`, and `[default]`).
///
/// Region: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region` in the config file.
public struct AWSCredentialResolver: Sendable {
    /// The environment variables to read.
    public let environment: [String: String]
    /// The home directory for `~/.aws/...`.
    public let homeDirectory: String

    /// Creates a resolver over an environment (defaults to the process's).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, homeDirectory: String? = nil) {
        self.environment = environment
        self.homeDirectory = homeDirectory ?? environment["HOME"] ?? NSHomeDirectory()
    }

    var credentialsFile: String { expand(environment["AWS_SHARED_CREDENTIALS_FILE"]) ?? homeDirectory + "/.aws/credentials" }
    var configFile: String { expand(environment["AWS_CONFIG_FILE"]) ?? homeDirectory + "/.aws/config" }

    /// Resolves credentials and region; `explicitProfile` is the `--profile` flag. The secret
    /// key and session token are registered with `SecretRegistry`, so no message shows them.
    public func resolve(explicitProfile: String? = nil) throws -> ResolvedAWSConfig {
        let resolved = try find(explicitProfile: explicitProfile)
        SecretRegistry.register(resolved.credentials.secretAccessKey)
        SecretRegistry.register(resolved.credentials.sessionToken)
        return resolved
    }

    private func find(explicitProfile: String?) throws -> ResolvedAWSConfig {
        let profile = explicitProfile ?? nonEmpty(environment["AWS_PROFILE"]) ?? "default"
        let files = try SharedFiles(credentialsPath: credentialsFile, configPath: configFile)
        let profileRegion = files.config(profile: profile)?["region"].flatMap(nonEmpty)
        let region = nonEmpty(environment["AWS_REGION"]) ?? nonEmpty(environment["AWS_DEFAULT_REGION"]) ?? profileRegion

        if explicitProfile == nil, let fromEnvironment = try environmentCredentials() {
            return ResolvedAWSConfig(credentials: fromEnvironment, region: region, source: "environment")
        }
        for (settings, place) in files.profileSettings(profile) {
            if let credentials = try credentials(from: settings, profile: profile, place: place) {
                return ResolvedAWSConfig(credentials: credentials, region: region, source: place)
            }
        }
        if explicitProfile != nil || nonEmpty(environment["AWS_PROFILE"]) != nil, files.profileSettings(profile).isEmpty {
            throw AWSConfigError(code: "profile-not-found", message: "The AWS profile '\(profile)' is not in \(credentialsFile) or \(configFile). Check the name with 'aws configure list-profiles', or set AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE to the right files.")
        }
        throw AWSConfigError(code: "no-credentials", message: "No AWS credentials found. Looked in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), in \(credentialsFile) [\(profile)] and in \(configFile) [\(profile == "default" ? "default" : "profile \(profile)")]. Export the two variables, or run 'aws configure'.")
    }

    private func environmentCredentials() throws -> AWSCredentials? {
        let id = nonEmpty(environment["AWS_ACCESS_KEY_ID"])
        let secret = nonEmpty(environment["AWS_SECRET_ACCESS_KEY"])
        let token = nonEmpty(environment["AWS_SESSION_TOKEN"]) ?? nonEmpty(environment["AWS_SECURITY_TOKEN"])
        switch (id, secret) {
        case (nil, nil): return nil
        case (.some, nil):
            throw AWSConfigError(code: "incomplete-credentials", message: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not. Export both, or unset AWS_ACCESS_KEY_ID to use a profile.")
        case (nil, .some):
            throw AWSConfigError(code: "incomplete-credentials", message: "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not. Export both, or unset AWS_SECRET_ACCESS_KEY to use a profile.")
        case let (.some(id), .some(secret)):
            do { return try AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token) } catch let error as AWSSigV4Error {
                throw AWSConfigError(code: "malformed-credentials", message: "The credentials in the environment are malformed: \(error.message)")
            }
        }
    }

    private func credentials(from settings: [String: String], profile: String, place: String) throws -> AWSCredentials? {
        let id = settings["aws_access_key_id"].flatMap(nonEmpty)
        let secret = settings["aws_secret_access_key"].flatMap(nonEmpty)
        if id == nil && secret == nil {
            let unsupportedKeys = ["role_arn", "credential_process", "web_identity_token_file"]
            if let unsupported = settings.keys.sorted().first(where: { unsupportedKeys.contains($0) || $0.hasPrefix("sso_") }) {
                throw AWSConfigError(code: "unsupported-profile", message: "The profile '\(profile)' in \(place) uses \(unsupported), which presign does not resolve. Export static or temporary keys first, e.g. eval \"$(aws configure export-credentials --profile \(profile) --format env)\".")
            }
            return nil
        }
        guard let id, let secret else {
            let missing = id == nil ? "aws_access_key_id" : "aws_secret_access_key"
            throw AWSConfigError(code: "incomplete-credentials", message: "The profile '\(profile)' in \(place) has no \(missing). Add it, or run 'aws configure --profile \(profile)'.")
        }
        do {
            return try AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: settings["aws_session_token"].flatMap(nonEmpty))
        } catch let error as AWSSigV4Error {
            throw AWSConfigError(code: "malformed-credentials", message: "The profile '\(profile)' in \(place) is malformed: \(error.message)")
        }
    }

    private func expand(_ path: String?) -> String? {
        guard let path = nonEmpty(path) else { return nil }
        return path.hasPrefix("~/") ? homeDirectory + path.dropFirst(1) : path
    }
}

func nonEmpty(_ value: String?) -> String? {
    guard let value, !value.isEmpty else { return nil }
    return value
}

/// The two shared files, read once.
struct SharedFiles {
    let credentialsPath: String
    let configPath: String
    let credentials: INIFile?
    let configuration: INIFile?

    init(credentialsPath: String, configPath: String) throws {
        self.credentialsPath = credentialsPath
        self.configPath = configPath
        credentials = try Self.read(credentialsPath)
        configuration = try Self.read(configPath)
    }

    static func read(_ path: String) throws -> INIFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        // Data(contentsOf:) also reads character devices such as /dev/null (a common way to disable a file).
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else {
            throw AWSConfigError(code: "unreadable-config", message: "\(path) exists but cannot be read. Check its permissions.")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AWSConfigError(code: "malformed-config", message: "\(path) is not UTF-8 text. Re-save it as UTF-8 or run 'aws configure'.")
        }
        let file = INIFile(text: text)
        if let line = file.malformedLines.first {
            throw AWSConfigError(code: "malformed-config", message: "\(path) line \(line) is not a [section] header or a 'name = value' setting. Fix that line (or run 'aws configure').")
        }
        return file
    }

    /// The config-file section of `profile`: `[default]` or `[profile NAME]`.
    func config(profile: String) -> [String: String]? {
        profile == "default"
            ? configuration?.sections["default"] ?? configuration?.sections["profile default"]
            : configuration?.sections["profile \(profile)"]
    }

    /// The profile's sections with where each is, credentials file first.
    func profileSettings(_ profile: String) -> [([String: String], String)] {
        var found: [([String: String], String)] = []
        if let section = credentials?.sections[profile] { found.append((section, "\(credentialsPath) [\(profile)]")) }
        if let section = config(profile: profile) {
            found.append((section, "\(configPath) [\(profile == "default" ? "default" : "profile \(profile)")]"))
        }
        return found
    }
}
