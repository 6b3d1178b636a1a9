import AWSSigV4
import Foundation
import Testing

@testable import AWSCredentialProviders

@Suite("Credential resolution order")
struct ResolutionOrderTests {
    @Test func environmentKeysWinOverTheDefaultProfile() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines(Keys.id2, Keys.secret2))
        let resolved = try box.resolve(envKeys)
        #expect(resolved.credentials == (try AWSCredentials(accessKeyID: Keys.id, secretAccessKey: Keys.secret)))
        #expect(resolved.source == "environment")
        #expect(resolved.region == nil)
    }

    @Test func environmentSessionToken() throws {
        let box = try Sandbox()
        var env = envKeys
        env["AWS_SESSION_TOKEN"] = Keys.token
        #expect(try box.resolve(env).credentials.sessionToken == Keys.token)
    }

    @Test func legacySecurityTokenIsUsedWhenSessionTokenIsAbsent() throws {
        let box = try Sandbox()
        var env = envKeys
        env["AWS_SECURITY_TOKEN"] = Keys.token2
        #expect(try box.resolve(env).credentials.sessionToken == Keys.token2)
        env["AWS_SESSION_TOKEN"] = Keys.token
        #expect(try box.resolve(env).credentials.sessionToken == Keys.token)
    }

    @Test func environmentKeysWinOverAWSProfile() throws {
        let box = try Sandbox()
        try box.credentials("[work]\n" + keyLines(Keys.id2, Keys.secret2))
        try box.config("[profile work]\nregion = eu-west-1\n")
        var env = envKeys
        env["AWS_PROFILE"] = "work"
        let resolved = try box.resolve(env)
        #expect(resolved.credentials.accessKeyID == Keys.id)
        #expect(resolved.source == "environment")
        // The region still comes from the selected profile.
        #expect(resolved.region == "eu-west-1")
    }

    @Test func explicitProfileIgnoresEnvironmentKeys() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines() + "[work]\n" + keyLines(Keys.id2, Keys.secret2, token: Keys.token2))
        var env = envKeys
        env["AWS_SESSION_TOKEN"] = Keys.token
        env["AWS_PROFILE"] = "default"
        let resolved = try box.resolve(env, profile: "work")
        #expect(resolved.credentials == (try AWSCredentials(accessKeyID: Keys.id2, secretAccessKey: Keys.secret2, sessionToken: Keys.token2)))
        #expect(resolved.source == "\(box.credentialsPath) [work]")
    }

    @Test func explicitProfileMissingIsNotRescuedByEnvironmentKeys() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines())
        let error = box.expectError("profile-not-found", envKeys, profile: "missing")
        #expect(error?.message.contains("'missing'") == true)
    }

    @Test func explicitProfileIgnoresIncompleteOrMalformedEnvironmentKeys() throws {
        let box = try Sandbox()
        try box.credentials("[work]\n" + keyLines(Keys.id2, Keys.secret2))
        let incomplete = ["AWS_ACCESS_KEY_ID": Keys.id]
        #expect(try box.resolve(incomplete, profile: "work").credentials.accessKeyID == Keys.id2)
        let malformed = ["AWS_ACCESS_KEY_ID": "AKIA BAD", "AWS_SECRET_ACCESS_KEY": Keys.secret]
        #expect(try box.resolve(malformed, profile: "work").credentials.accessKeyID == Keys.id2)
    }

    @Test func defaultProfileFromCredentialsFile() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines(token: Keys.token))
        let resolved = try box.resolve()
        #expect(resolved.credentials == (try AWSCredentials(accessKeyID: Keys.id, secretAccessKey: Keys.secret, sessionToken: Keys.token)))
        #expect(resolved.source == "\(box.credentialsPath) [default]")
    }

    @Test func awsProfileSelectsTheSection() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines() + "\n[dev]\n" + keyLines(Keys.id2, Keys.secret2))
        let resolved = try box.resolve(["AWS_PROFILE": "dev"])
        #expect(resolved.credentials.accessKeyID == Keys.id2)
        #expect(resolved.source == "\(box.credentialsPath) [dev]")
    }

    @Test func explicitProfileWinsOverAWSProfile() throws {
        let box = try Sandbox()
        try box.credentials("[dev]\n" + keyLines() + "[prod]\n" + keyLines(Keys.id2, Keys.secret2))
        #expect(try box.resolve(["AWS_PROFILE": "dev"], profile: "prod").credentials.accessKeyID == Keys.id2)
    }

    @Test func credentialsFileWinsOverConfigForTheSameProfile() throws {
        let box = try Sandbox()
        try box.credentials("[dev]\n" + keyLines())
        try box.config("[profile dev]\n" + keyLines(Keys.id2, Keys.secret2) + "region = ap-south-1\n")
        let resolved = try box.resolve(["AWS_PROFILE": "dev"])
        #expect(resolved.credentials.accessKeyID == Keys.id)
        #expect(resolved.credentials.secretAccessKey == Keys.secret)
        #expect(resolved.source == "\(box.credentialsPath) [dev]")
        #expect(resolved.region == "ap-south-1")
    }

    @Test func credentialsFileSectionWithoutKeysFallsThroughToConfig() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n# keys live in config\n")
        try box.config("[default]\n" + keyLines(Keys.id2, Keys.secret2))
        let resolved = try box.resolve()
        #expect(resolved.credentials.accessKeyID == Keys.id2)
        #expect(resolved.source == "\(box.configPath) [default]")
    }

    @Test func profileWithKeysInConfigFileOnly() throws {
        let box = try Sandbox()
        try box.config("[profile ci]\n" + keyLines(token: Keys.token) + "region = us-east-2\n")
        let resolved = try box.resolve(profile: "ci")
        #expect(resolved.credentials == (try AWSCredentials(accessKeyID: Keys.id, secretAccessKey: Keys.secret, sessionToken: Keys.token)))
        #expect(resolved.region == "us-east-2")
        #expect(resolved.source == "\(box.configPath) [profile ci]")
    }

    @Test func profileDefaultSectionInConfig() throws {
        let box = try Sandbox()
        try box.config("[profile default]\n" + keyLines() + "region = eu-north-1\n")
        let resolved = try box.resolve()
        #expect(resolved.credentials.accessKeyID == Keys.id)
        #expect(resolved.region == "eu-north-1")
    }

    @Test func configSectionWithoutProfilePrefixIsNotANamedProfile() throws {
        let box = try Sandbox()
        try box.config("[dev]\n" + keyLines())
        box.expectError("profile-not-found", ["AWS_PROFILE": "dev"])
    }

    @Test func homeFromEnvironmentWhenNoHomeDirectoryIsGiven() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines())
        let resolved = try AWSCredentialResolver(environment: ["HOME": box.homePath]).resolve()
        #expect(resolved.source == "\(box.credentialsPath) [default]")
    }

    // MARK: Region

    @Test func regionPrecedence() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines() + "region = us-west-1\n")
        try box.config("[default]\nregion = eu-west-3\n")
        #expect(try box.resolve().region == "eu-west-3")
        #expect(try box.resolve(["AWS_DEFAULT_REGION": "ca-central-1"]).region == "ca-central-1")
        #expect(try box.resolve(["AWS_DEFAULT_REGION": "ca-central-1", "AWS_REGION": "sa-east-1"]).region == "sa-east-1")
        #expect(try box.resolve(["AWS_REGION": "sa-east-1"], profile: "default").region == "sa-east-1")
    }

    @Test func regionIsNilWhenNothingConfiguresIt() throws {
        let box = try Sandbox()
        // A region in the credentials file is not the config file's region.
        try box.credentials("[default]\n" + keyLines() + "region = us-west-1\n")
        #expect(try box.resolve().region == nil)
        try box.config("[profile other]\nregion = eu-west-1\n[default]\nregion =\n")
        #expect(try box.resolve().region == nil)
    }

    @Test func regionComesFromTheSelectedProfile() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines() + "[dev]\n" + keyLines(Keys.id2, Keys.secret2))
        try box.config("[default]\nregion = us-east-1\n[profile dev]\nregion = ap-northeast-1\n")
        #expect(try box.resolve(["AWS_PROFILE": "dev"]).region == "ap-northeast-1")
        #expect(try box.resolve(profile: "dev").region == "ap-northeast-1")
        #expect(try box.resolve(envKeys).region == "us-east-1")
    }

    // MARK: Empty values are unset

    @Test func emptyEnvironmentValuesAreUnset() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines(Keys.id2, Keys.secret2))
        try box.config("[default]\nregion = eu-central-1\n")
        let env = [
            "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_SECURITY_TOKEN": "",
            "AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_SHARED_CREDENTIALS_FILE": "", "AWS_CONFIG_FILE": "",
        ]
        let resolved = try box.resolve(env)
        #expect(resolved.credentials.accessKeyID == Keys.id2)
        #expect(resolved.credentials.sessionToken == nil)
        #expect(resolved.region == "eu-central-1")
        #expect(resolved.source == "\(box.credentialsPath) [default]")
    }

    @Test func emptySessionTokenFallsBackToLegacyToken() throws {
        let box = try Sandbox()
        var env = envKeys
        env["AWS_SESSION_TOKEN"] = ""
        env["AWS_SECURITY_TOKEN"] = Keys.token
        #expect(try box.resolve(env).credentials.sessionToken == Keys.token)
    }

    @Test func emptyAWSProfileMeansDefault() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines())
        #expect(try box.resolve(["AWS_PROFILE": ""]).source == "\(box.credentialsPath) [default]")
    }

    @Test func emptyAWSProfileWithNothingConfiguredIsNoCredentials() throws {
        // An empty AWS_PROFILE is unset, so this is the same as an empty environment: no-credentials.
        let box = try Sandbox()
        box.expectError("no-credentials", ["AWS_PROFILE": ""])
    }

    @Test func emptyFileKeysAreMissing() throws {
        let box = try Sandbox()
        try box.credentials("[default]\naws_access_key_id =\naws_secret_access_key =\naws_session_token =\n")
        try box.config("[default]\n" + keyLines(Keys.id2, Keys.secret2) + "aws_session_token =\n")
        let resolved = try box.resolve()
        #expect(resolved.credentials.accessKeyID == Keys.id2)
        #expect(resolved.credentials.sessionToken == nil)
    }
}
