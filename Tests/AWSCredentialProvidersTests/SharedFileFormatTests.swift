import AWSSigV4
import Foundation
import Testing

@testable import AWSCredentialProviders

@Suite("Shared credentials and config files")
struct SharedFileFormatTests {
    @Test func crlfLineEndings() throws {
        let box = try Sandbox()
        try box.credentials("[default]\r\naws_access_key_id = \(Keys.id)\r\naws_secret_access_key = \(Keys.secret)\r\naws_session_token = \(Keys.token)\r\n")
        try box.config("[default]\r\nregion = us-west-2\r\n")
        let resolved = try box.resolve()
        #expect(resolved.credentials == (try AWSCredentials(accessKeyID: Keys.id, secretAccessKey: Keys.secret, sessionToken: Keys.token)))
        #expect(resolved.region == "us-west-2")
    }

    @Test func crlfConfigFileOnly() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines())
        try box.config("# saved on Windows\r\n[default]\r\nregion = eu-west-2\r\n\r\n[profile dev]\r\nregion = us-east-1\r\n")
        #expect(try box.resolve().region == "eu-west-2")
    }

    @Test func commentsAndBlankLines() throws {
        let box = try Sandbox()
        try box.credentials("""
            # written by aws configure
            ; another comment style

            [default]
            # the key
            aws_access_key_id = \(Keys.id)
              ; indented comment
            \tcontinuation_of_the_key_above = x
            aws_secret_access_key = \(Keys.secret)

            """)
        let resolved = try box.resolve()
        #expect(resolved.credentials.secretAccessKey == Keys.secret)
    }

    @Test func settingsWithoutSpacesAndOddWhitespace() throws {
        let box = try Sandbox()
        try box.credentials("[default]\naws_access_key_id=\(Keys.id)\naws_secret_access_key\t=  \(Keys.secret)  \n")
        try box.config("[ profile dev ]\nregion=eu-west-1\t\n[default]\nregion=us-east-1")
        let resolved = try box.resolve()
        #expect(resolved.credentials.accessKeyID == Keys.id)
        #expect(resolved.credentials.secretAccessKey == Keys.secret)
        #expect(resolved.region == "us-east-1")
    }

    @Test func keyNamesAreCaseInsensitive() throws {
        let box = try Sandbox()
        try box.credentials("[default]\nAWS_ACCESS_KEY_ID = \(Keys.id)\nAws_Secret_Access_Key = \(Keys.secret)\n")
        #expect(try box.resolve().credentials.accessKeyID == Keys.id)
    }

    @Test func sessionTokenWithEqualsSigns() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines() + "aws_session_token=\(Keys.token)\n")
        #expect(try box.resolve().credentials.sessionToken == Keys.token)
    }

    @Test func indentedNestedBlocks() throws {
        let box = try Sandbox()
        try box.config("""
            [default]
            region = us-west-2
            s3 =
                addressing_style = path
                region = eu-west-1
                aws_secret_access_key = nested-not-a-key
            aws_access_key_id = \(Keys.id)
            aws_secret_access_key = \(Keys.secret)
            [profile dev]
            s3 =
              max_concurrent_requests = 20
            \tmultipart_threshold = 64MB
            region = ap-southeast-2
            """)
        let resolved = try box.resolve()
        #expect(resolved.credentials.secretAccessKey == Keys.secret)
        #expect(resolved.region == "us-west-2")
        #expect(try box.resolve(envKeys.merging(["AWS_PROFILE": "dev"]) { $1 }).region == "ap-southeast-2")
    }

    @Test func fileLocationsFromEnvironment() throws {
        let box = try Sandbox()
        let credentials = try box.write("[team]\n" + keyLines(Keys.id2, Keys.secret2), at: "elsewhere/creds")
        let config = try box.write("[profile team]\nregion = eu-south-1\n", at: "elsewhere/conf")
        try box.credentials("[team]\n" + keyLines())  // the default location is ignored
        let env = ["AWS_SHARED_CREDENTIALS_FILE": credentials, "AWS_CONFIG_FILE": config, "AWS_PROFILE": "team"]
        let resolved = try box.resolve(env)
        #expect(resolved.credentials.accessKeyID == Keys.id2)
        #expect(resolved.region == "eu-south-1")
        #expect(resolved.source == "\(credentials) [team]")
    }

    @Test func tildeInFileVariablesExpandsToHome() throws {
        let box = try Sandbox()
        try box.write("[default]\nregion = me-south-1\n", at: "cfg/config")
        try box.write("[default]\n" + keyLines(), at: "cfg/credentials")
        let env = ["AWS_SHARED_CREDENTIALS_FILE": "~/cfg/credentials", "AWS_CONFIG_FILE": "~/cfg/config"]
        let resolved = try box.resolve(env)
        #expect(resolved.credentials.accessKeyID == Keys.id)
        #expect(resolved.region == "me-south-1")
        #expect(resolved.source == "\(box.homePath)/cfg/credentials [default]")
    }

    @Test func noCredentialsMessageShowsExpandedPaths() throws {
        let box = try Sandbox()
        let env = ["AWS_SHARED_CREDENTIALS_FILE": "~/a/creds", "AWS_CONFIG_FILE": "~/b/conf"]
        let error = box.expectError("no-credentials", env)
        #expect(error?.message.contains("\(box.homePath)/a/creds [default]") == true)
        #expect(error?.message.contains("\(box.homePath)/b/conf [default]") == true)
        #expect(error?.message.contains("~/") == false)
    }

    @Test func missingFilesAreFine() throws {
        let box = try Sandbox()
        let resolved = try box.resolve(envKeys)
        #expect(resolved.source == "environment")
        #expect(resolved.region == nil)
    }

    // MARK: malformed-config

    @Test func notUTF8CredentialsFile() throws {
        let box = try Sandbox()
        var bytes = Data("[default]\naws_access_key_id = \(Keys.id)\n# caf".utf8)
        bytes.append(contentsOf: [0xE9, 0xFF, 0xFE, 0x0A])  // Latin-1 é and invalid bytes
        try box.write(bytes, at: box.credentialsPath)
        let error = box.expectError("malformed-config")
        #expect(error?.message.contains(box.credentialsPath) == true)
        #expect(error?.message.contains("UTF-8") == true)
    }

    @Test func notUTF8ConfigFile() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines())
        // UTF-16 with a byte-order mark, as some Windows editors save it.
        var bytes = Data([0xFF, 0xFE])
        bytes.append("[default]\nregion = us-east-1\n".data(using: .utf16LittleEndian)!)
        try box.write(bytes, at: box.configPath)
        let error = box.expectError("malformed-config")
        #expect(error?.message.contains(box.configPath) == true)
    }

    @Test(arguments: [
        ("[default]\n" + "aws_access_key_id \(Keys.id)\n", 2),
        ("# comment\n\n[default]\naws_access_key_id = \(Keys.id)\njust some words\n", 5),
        ("aws_access_key_id = \(Keys.id)\n[default]\n", 1),
        ("   indented = before any section\n[default]\n", 1),
        ("[default]\n" + keyLines() + "[broken\n", 4),
        ("[default]\r\n\r\n\r\nnot a setting\r\n", 4),
    ])
    func malformedCredentialsFileLine(text: String, line: Int) throws {
        let box = try Sandbox()
        try box.credentials(text)
        let error = box.expectError("malformed-config")
        #expect(error?.message.contains(box.credentialsPath) == true)
        #expect(error?.message.contains("line \(line)") == true, "\(error?.message ?? "")")
    }

    @Test func malformedConfigFileLine() throws {
        let box = try Sandbox()
        try box.credentials("[default]\n" + keyLines())
        try box.config("[default]\nregion = us-east-1\n\n[profile dev]\noutput json\n")
        let error = box.expectError("malformed-config")
        #expect(error?.message.contains(box.configPath) == true)
        #expect(error?.message.contains("line 5") == true)
    }

    @Test func malformedLineIsNotQuotedInTheMessage() throws {
        let box = try Sandbox()
        try box.credentials("[default]\naws_access_key_id = \(Keys.id)\n\(Keys.secret)\n")
        let error = box.expectError("malformed-config")
        #expect(error?.message.contains("line 3") == true)
        expectNoSecrets(error?.message ?? "")
    }
}
