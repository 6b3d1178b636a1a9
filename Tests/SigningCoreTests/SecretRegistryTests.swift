import Foundation
import SigningCore
import Testing

/// Text from a server is scrubbed of every secret the process registered, in the spellings a
/// server echoes them in, and of bearer values it never saw.
struct SecretRegistryTests {
    /// A fresh secret per test: the registry is process-wide.
    static func secret(_ label: String) -> String { "\(label)-\(UUID().uuidString)/+=x" }

    @Test func registeredSecretsAreScrubbedInEverySpelling() {
        let token = Self.secret("sl.ACCESS"), refresh = Self.secret("REFRESH")
        SecretRegistry.register(token)
        SecretRegistry.register(refresh)
        let echoed = """
        Error in call to API function "files/get_temporary_link": Invalid authorization value in HTTP header "Authorization": "Beaver \(token)". \
        refresh_token=\(PercentEncoding.unreserved.encode(refresh)) json {"t": "\(token.replacingOccurrences(of: "/", with: "\\/"))"}
        """
        let scrubbed = SecretRegistry.scrub(echoed)
        #expect(!scrubbed.contains(token) && !scrubbed.contains(refresh))
        #expect(!scrubbed.contains(PercentEncoding.unreserved.encode(refresh)))
        #expect(!scrubbed.contains(token.replacingOccurrences(of: "/", with: "\\/")))
        #expect(!scrubbed.contains(token.prefix(20)), "\(scrubbed)")
        #expect(scrubbed.hasPrefix("Error in call to API function \"files/get_temporary_link\": Invalid authorization value"))
    }

    @Test(arguments: ["Authorization: Bearer UNSEEN.tok-en_1/+=", "authorization: bearer UNSEEN.tok-en_1/+=", "Basic UNSEEN.tok-en_1/+=", "Bearer  UNSEEN.tok-en_1/+="])
    func bearerValuesAreScrubbedUnregistered(text: String) {
        let scrubbed = SecretRegistry.scrub("the server said: \(text). Try again.")
        #expect(!scrubbed.contains("UNSEEN"), "\(scrubbed)")
        #expect(scrubbed.hasSuffix(". Try again."))
    }

    @Test func secretAssignmentsInEchoedFormsAreScrubbed() {
        let scrubbed = SecretRegistry.scrub("body was grant_type=refresh_token&refresh_token=UNSEEN1&client_secret=UNSEEN2 access_token=UNSEEN3")
        #expect(!scrubbed.contains("UNSEEN"), "\(scrubbed)")
        #expect(scrubbed.contains("grant_type=refresh_token"))
    }

    @Test func textWithoutSecretsIsUnchanged() {
        SecretRegistry.register(Self.secret("OTHER"))
        let text = "There is no file at that path in Dropbox (path/not_found). Bearer tokens are sent as headers; the token is fine."
        #expect(SecretRegistry.scrub(text) == text)
    }

    @Test func tooShortValuesAreNotRegistered() {
        SecretRegistry.register("abc")
        SecretRegistry.register("")
        #expect(SecretRegistry.scrub("abc and a b c") == "abc and a b c")
    }
}
