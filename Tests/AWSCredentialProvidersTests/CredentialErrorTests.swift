import AWSSigV4
import Foundation
import Testing

@testable import AWSCredentialProviders

@Suite("Credential errors")
struct CredentialErrorTests {
    // MARK: no-credentials / profile-not-found

    @Test func noCredentialsNamesEveryPlaceLooked() throws {
        let box = try Sandbox()
        let error = box.expectError("no-credentials")
        let message = error?.message ?? ""
        #expect(message.contains("AWS_ACCESS_KEY_ID"))
        #expect(message.contains("AWS_SECRET_ACCESS_KEY"))
        #expect(message.contains("\(box.credentialsPath) [default]"))
        #expect(message.contains("\(box.configPath) [default]"))
    }

    @Test func noCredentialsForANamedProfileNamesItsSections() throws {
        let box = try Sandbox()
        try box.config("[profile dev]\nregion = us-east-1\noutput = json\n")
        let error = box.expectError("no-credentials", ["AWS_PROFILE": "dev"])
        let message = error?.message ?? ""
        #expect(message.contains("\(box.credentialsPath) [dev]"))
        #expect(message.contains("\(box.configPath) [profile dev]"))
        #expect(message.contains("AWS_ACCESS_KEY_ID"))
    }

    @Test func noCredentialsWhenDefaultSectionsHaveNoKeys() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n")
        try box.config("[default]\nregion = us-east-1\n")
        box.expectError("no-credentials")
    }

    @Test func awsProfilePointingAtAMissingProfile() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines())
        try box.config("[default]\nregion = us-east-1\n")
        let error = box.expectError("profile-not-found", ["AWS_PROFILE": "ghost"])
        let message = error?.message ?? ""
        #expect(message.contains("'ghost'"))
        #expect(message.contains(box.credentialsPath))
        #expect(message.contains(box.configPath))
    }

    @Test func explicitProfileMissingWithNoFiles() throws {
        let box = try Sandbox()
        box.expectError("profile-not-found", profile: "ghost")
    }

    // MARK: incomplete-credentials

    @Test func environmentIDWithoutSecret() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines(Keys.id2, Keys.secret2))
        let error = box.expectError("incomplete-credentials", ["AWS_ACCESS_KEY_ID": Keys.id])
        #expect(error?.message.contains("AWS_SECRET_ACCESS_KEY") == true)
    }

    @Test func environmentSecretWithoutID() throws {
        let box = try Sandbox()
        let env = ["AWS_SECRET_ACCESS_KEY": Keys.secret, "AWS_SESSION_TOKEN": Keys.token]
        let error = box.expectError("incomplete-credentials", env)
        #expect(error?.message.contains("AWS_ACCESS_KEY_ID") == true)
        expectNoSecrets(error?.message ?? "")
    }

    @Test func environmentSecretWithEmptyID() throws {
        let box = try Sandbox()
        box.expectError("incomplete-credentials", ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": Keys.secret])
    }

    @Test func credentialsFileIDWithoutSecret() throws {
        let box = try Sandbox()
        try box.credentials("[default]\naws_access_key_id = \(Keys.id)\n")
        let error = box.expectError("incomplete-credentials")
        #expect(error?.message.contains("aws_secret_access_key") == true)
        #expect(error?.message.contains(box.credentialsPath) == true)
    }

    @Test func configFileSecretWithoutID() throws {
        let box = try Sandbox()
        try box.config("[profile dev]\naws_secret_access_key = \(Keys.secret)\naws_session_token = \(Keys.token)\n")
        let error = box.expectError("incomplete-credentials", profile: "dev")
        #expect(error?.message.contains("aws_access_key_id") == true)
        #expect(error?.message.contains(box.configPath) == true)
        expectNoSecrets(error?.message ?? "")
    }

    // MARK: malformed-credentials

    @Test(arguments: [
        ("AKIA IOSFODNN7EXAMPLE", Keys.secret, nil),
        ("AKIAIOSFODNN7EXAMPLÉ", Keys.secret, nil),
        (Keys.id, Keys.secret + "é", nil),
        (Keys.id, "wJalrXUtnFEMI K7MDENG", nil),
        (Keys.id, Keys.secret, Keys.token + " tail"),
        (Keys.id, Keys.secret, "tøken" + Keys.token),
    ] as [(String, String, String?)])
    func malformedEnvironmentKeys(id: String, secret: String, token: String?) throws {
        let box = try Sandbox()
        var env = ["AWS_ACCESS_KEY_ID": id, "AWS_SECRET_ACCESS_KEY": secret]
        env["AWS_SESSION_TOKEN"] = token
        let error = box.expectError("malformed-credentials", env)
        let message = error?.message ?? ""
        #expect(!message.contains(secret))
        if let token { #expect(!message.contains(token)) }
        expectNoSecrets(message)
    }

    @Test(arguments: [
        "aws_access_key_id = AKIA IOSFODNN7EXAMPLE\naws_secret_access_key = \(Keys.secret)\n",
        "aws_access_key_id = \(Keys.id)\naws_secret_access_key = \(Keys.secret)\u{00A0}x\n",
        "aws_access_key_id = \(Keys.id)\naws_secret_access_key = \"\(Keys.secret) \"x\n",
        keyLines() + "aws_session_token = \(Keys.token) \(Keys.token2)\n",
    ])
    func malformedFileKeys(section: String) throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + section)
        let error = box.expectError("malformed-credentials")
        #expect(error?.message.contains(box.credentialsPath) == true)
        expectNoSecrets(error?.message ?? "")
    }

    // MARK: unsupported-profile

    @Test(arguments: [
        "role_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = default\n",
        "credential_process = /usr/local/bin/get-creds --json\n",
        "sso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n",
        "sso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Dev\n",
        "web_identity_token_file = /var/run/token\nrole_arn = arn:aws:iam::123456789012:role/Ci\n",
    ])
    func unsupportedProfileSuggestsExport(section: String) throws {
        let box = try Sandbox()
        try box.config("[profile corp]\nregion = us-east-1\n" + section)
        let error = box.expectError("unsupported-profile", profile: "corp")
        let message = error?.message ?? ""
        #expect(message.contains("aws configure export-credentials"))
        #expect(message.contains("--profile corp"))
    }

    @Test func ssoSettingsWithoutStartURLOrSessionAreUnsupported() throws {
        // "sso_*" without static keys: any SSO setting means the profile needs the AWS CLI to resolve it.
        let box = try Sandbox()
        try box.config("[profile corp]\nsso_account_id = 123456789012\nsso_role_name = Dev\nsso_region = us-east-1\n")
        box.expectError("unsupported-profile", profile: "corp")
    }

    @Test func unsupportedProfileInCredentialsFile() throws {
        let box = try Sandbox()
        try box.credentials("[default]\nrole_arn = arn:aws:iam::123456789012:role/Admin\ncredential_source = Ec2InstanceMetadata\n")
        box.expectError("unsupported-profile")
    }

    @Test func staticKeysBesideRoleArnAreUsed() throws {
        let box = try Sandbox()
        try box.config("[profile corp]\nrole_arn = arn:aws:iam::123456789012:role/Admin\n" + keyLines())
        let resolved = try box.resolve(profile: "corp")
        #expect(resolved.credentials.accessKeyID == Keys.id)
    }

    @Test func environmentKeysBypassAnUnsupportedDefaultProfile() throws {
        let box = try Sandbox()
        try box.config("[default]\ncredential_process = /bin/false\n")
        #expect(try box.resolve(envKeys).source == "environment")
    }

    // MARK: secrets never leak

    @Test func credentialsDescriptionRedactsSecretAndToken() throws {
        let credentials = try AWSCredentials(accessKeyID: Keys.id, secretAccessKey: Keys.secret, sessionToken: Keys.token)
        for text in [credentials.description, "\(credentials)", String(reflecting: credentials)] {
            #expect(text.contains(Keys.id))
            expectNoSecrets(text)
        }
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines(token: Keys.token))
        expectNoSecrets("\(try box.resolve())")
    }

    @Test func noErrorMessageContainsASecret() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines(token: Keys.token) + "[half]\naws_secret_access_key = \(Keys.secret2)\n")
        try box.config("[profile role]\nrole_arn = arn:aws:iam::1:role/x\n[profile bad]\n" + keyLines("AKIA BAD", Keys.secret2, token: Keys.token2))
        let env = ["AWS_SESSION_TOKEN": Keys.token2, "AWS_SECURITY_TOKEN": Keys.token]
        var messages: [String?] = [
            box.expectError("profile-not-found", env, profile: "ghost")?.message,
            box.expectError("incomplete-credentials", env, profile: "half")?.message,
            box.expectError("unsupported-profile", env, profile: "role")?.message,
            box.expectError("malformed-credentials", env, profile: "bad")?.message,
            box.expectError("incomplete-credentials", ["AWS_SECRET_ACCESS_KEY": Keys.secret2])?.message,
        ]
        let empty = try Sandbox()
        messages.append(empty.expectError("no-credentials", env)?.message)
        #expect(messages.allSatisfy { $0 != nil })
        for message in messages.compactMap({ $0 }) { expectNoSecrets(message) }
    }
}
