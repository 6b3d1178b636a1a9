import ArgumentParser
import AzureSAS
import SigningCore

/// Time, network and version flags of `presign azure` and `presign azure-account`.
struct AzureSharedOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Lifetime from now (or --at): seconds or 90s, 15m, 12h, 7d (default 1h).", valueName: "DURATION"))
    var expires: String?

    @Option(help: ArgumentHelp("Absolute expiry time (se), RFC 3339, instead of --expires.", valueName: "TIME"))
    var expiry: String?

    @Option(help: ArgumentHelp("Start time (st). Omitted by default, so clock skew cannot make a new SAS fail.", valueName: "TIME"))
    var start: String?

    @Flag(help: "Allow HTTPS only (spr=https); by default both are allowed and spr is omitted.")
    var httpsOnly = false

    @Option(help: ArgumentHelp("Allowed client IP address or range (sip), e.g. 203.0.113.7 or 203.0.113.0-203.0.113.255.", valueName: "A[-B]"))
    var ip: String?

    @Option(name: [.customLong("service-version"), .customLong("sv")], help: ArgumentHelp("Storage service version (sv); the string-to-sign layout follows it. Default \(AzureSASVersion.newest), oldest \(AzureSASVersion.oldest).", valueName: "SV"))
    var serviceVersion: String = AzureSASVersion.newest

    @Option(help: ArgumentHelp("Encryption scope (ses), sv 2020-12-06 or newer.", valueName: "SCOPE"))
    var encryptionScope: String?

    /// `st` and `se` as signed (`YYYY-MM-DDThh:mm:ssZ`), checked against `now`; `se` is `nil`
    /// only when `allowNoExpiry` (a stored access policy supplies it).
    func times(now: Timestamp, allowNoExpiry: Bool) throws -> (start: Timestamp?, expiry: Timestamp?) {
        if expires != nil && expiry != nil {
            throw CLIFailure.usage("Give --expires (a lifetime) or --expiry (a time), not both.")
        }
        let start = try self.start.map(Timestamp.parse)
        var end: Timestamp?
        if let expiry {
            end = try Timestamp.parse(expiry)
        } else if expires != nil || !allowNoExpiry {
            // Azure sets no upper limit on a SAS (an account's SAS expiration policy may); times end in 9999.
            let latest = max(1, 253_402_300_799 - now.secondsSince1970)
            end = now.adding(seconds: try LifetimeArgument.seconds(expires ?? "1h", allowed: 1...latest,
                                                                   limit: "a SAS time can express (up to 9999-12-31)", suggestion: "a shorter --expires"))
        }
        if let end, end <= now {
            throw CLIFailure.usage("The expiry \(end.rfc3339) is not in the future (now is \(now.rfc3339)). Give a later --expiry or a positive --expires.")
        }
        if let start, let end, end <= start {
            throw CLIFailure.usage("The expiry \(end.rfc3339) must be after the start \(start.rfc3339) (Azure refuses such a SAS). Move --start earlier or the expiry later.")
        }
        return (start, end)
    }

    /// `sip` after checking it is an IPv4 address or range.
    func ipRange() throws -> String? {
        guard let ip else { return nil }
        let ends = ip.split(separator: "-", omittingEmptySubsequences: false)
        let valid = (1...2).contains(ends.count) && ends.allSatisfy { part in
            let octets = part.split(separator: ".", omittingEmptySubsequences: false)
            return octets.count == 4 && octets.allSatisfy { UInt8($0) != nil && ($0 == "0" || !$0.hasPrefix("0")) }
        }
        guard valid else {
            throw CLIFailure.usage("--ip '\(ip)' is not an IPv4 address or range. Give e.g. 203.0.113.7 or 203.0.113.0-203.0.113.255.")
        }
        return ip
    }

    var protocols: String? { httpsOnly ? "https" : nil }
}
