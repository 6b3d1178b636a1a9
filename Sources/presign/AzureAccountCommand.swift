import ArgumentParser
import AzureSAS
import Foundation
import SigningCore

/// `presign azure-account`: an account SAS over the account's blob endpoint.
struct AzureAccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "azure-account",
        abstract: "Make an Azure account SAS (services, resource types, permissions) for the account's blob endpoint.",
        discussion: """
        Credentials as for 'presign azure' (the account key is required). Letters are reordered: services b q t f, resource types s c o, permissions r w d x y l a c u p f t i. The result URL is the blob endpoint root with the SAS; append a container and blob path to use it.

        Example:
          presign azure-account --services b --resource-types o --permissions rcw --expires 2h
        """
    )

    @Option(help: ArgumentHelp("Services (ss): letters of b (blob), q (queue), t (table), f (file).", valueName: "LETTERS"))
    var services: String = "b"

    @Option(help: ArgumentHelp("Resource types (srt): letters of s (service), c (container), o (object).", valueName: "LETTERS"))
    var resourceTypes: String = "o"

    @Option(help: ArgumentHelp("Permissions (sp), reordered to r w d x y l a c u p f t i.", valueName: "LETTERS"))
    var permissions: String = "r"

    @Option(help: ArgumentHelp("Blob endpoint (default: from the credentials).", valueName: "URL"))
    var endpoint: String?

    @OptionGroup var shared: AzureSharedOptions
    @OptionGroup var output: SigningOutputOptions

    func run() throws {
        if output.curl { throw CLIFailure.usage("--curl does not apply to an account SAS (its URL is the endpoint root); use --json or the plain URL.") }
        let now = try output.signingTime()
        let services = try AzureAccountSAS.canonicalServices(self.services)
        let types = try AzureAccountSAS.canonicalResourceTypes(resourceTypes)
        let letters = try AzurePermissions.canonical(permissions, order: AzurePermissions.accountOrder, kind: "account SAS")
        let times = try shared.times(now: now, allowNoExpiry: false)
        let ip = try shared.ipRange()
        try AzureSASVersion.validate(shared.serviceVersion)
        let credentials = try AzureStorageCredentials.fromEnvironment()
        var sas = AzureAccountSAS(account: credentials.account, services: services, resourceTypes: types, permissions: letters,
                                  expiry: times.expiry!.rfc3339)
        sas.start = times.start?.rfc3339
        sas.ip = ip
        sas.protocols = shared.protocols
        sas.version = shared.serviceVersion
        sas.encryptionScope = shared.encryptionScope
        let signed = try sas.token(accountKey: credentials.key)
        let base = (endpoint ?? credentials.blobEndpoint).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        let result = SignedURLOutput(
            provider: "azure", method: "GET", url: "\(base)/?\(signed.token)", headers: [], expiresAt: sas.expiry,
            extra: [("account", JSONText.string(sas.account)), ("services", JSONText.string(services)),
                    ("resourceTypes", JSONText.string(types)), ("permissions", JSONText.string(letters)), ("version", JSONText.string(sas.version))])
        result.emit(json: output.json, curl: false, name: nil, fallback: "blob")
    }
}
