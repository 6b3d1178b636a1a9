import ArgumentParser
import AzureSAS
import Foundation
import SigningCore

/// `presign azure`: a service SAS (account key) or user delegation SAS for a blob or container.
struct AzureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "azure",
        abstract: "Make an Azure Blob SAS URL (service SAS with the account key, or user delegation SAS).",
        discussion: """
        Credentials: AZURE_STORAGE_CONNECTION_STRING (AccountName/AccountKey, BlobEndpoint, EndpointSuffix, UseDevelopmentStorage=true), or AZURE_STORAGE_ACCOUNT + AZURE_STORAGE_KEY; with --user-delegation-key FILE no account key is needed.

        --method PUT grants cw by default and the uploader must send x-ms-blob-type: BlockBlob (Azure answers 201 Created). Permission letters are reordered to r a c w d x y l t f m e o p i. No start time (st) is set unless asked, so a clock running behind cannot make a fresh SAS fail.

        Examples:
          presign azure az://myaccount/lightroom/in/cat.jpg
          presign azure https://myaccount.blob.core.windows.net/lightroom/out/cat.jpg --method PUT --expires 2h --https-only --json
          AZURE_STORAGE_CONNECTION_STRING=UseDevelopmentStorage=true presign azure az://devstoreaccount1/photos/cat.jpg --endpoint http://127.0.0.1:10000/devstoreaccount1
        """
    )

    @Argument(help: ArgumentHelp("az://ACCOUNT/CONTAINER[/BLOB] (literal names) or https://ACCOUNT.blob.core.windows.net/CONTAINER[/BLOB] (path percent-decoded once).", valueName: "LOCATION"))
    var target: String

    @Option(help: "GET or PUT: sets the default permissions (r, cw) and the headers the client must send.")
    var method: String = "GET"

    @Option(help: ArgumentHelp("Permission letters (sp), reordered to the canonical order (default r for GET, cw for PUT).", valueName: "LETTERS"))
    var permissions: String?

    @Option(help: "What the SAS is for (sr): blob or container.")
    var resource: String = "blob"

    @Option(help: ArgumentHelp("A blob snapshot time: the SAS is for that snapshot (sr=bs).", valueName: "TIME"))
    var snapshot: String?

    @Option(help: ArgumentHelp("A blob version id: the SAS is for that version (sr=bv).", valueName: "ID"))
    var versionId: String?

    @Option(help: ArgumentHelp("A stored access policy on the container (si).", valueName: "ID"))
    var policy: String?

    @Option(help: ArgumentHelp("Response Cache-Control override (rscc).", valueName: "VALUE")) var cacheControl: String?
    @Option(help: ArgumentHelp("Response Content-Disposition override (rscd).", valueName: "VALUE")) var contentDisposition: String?
    @Option(help: ArgumentHelp("Response Content-Encoding override (rsce).", valueName: "VALUE")) var contentEncoding: String?
    @Option(help: ArgumentHelp("Response Content-Language override (rscl).", valueName: "VALUE")) var contentLanguage: String?
    @Option(help: ArgumentHelp("Response Content-Type override (rsct).", valueName: "VALUE")) var contentType: String?

    @Option(help: ArgumentHelp("Blob endpoint, e.g. http://127.0.0.1:10000/devstoreaccount1 (default: from the account).", valueName: "URL"))
    var endpoint: String?

    @Option(help: ArgumentHelp("Sign a user delegation SAS with this key (JSON: signedOid, signedTid, signedStart, signedExpiry, signedService, signedVersion, value).", valueName: "FILE"))
    var userDelegationKey: String?

    @OptionGroup var shared: AzureSharedOptions
    @OptionGroup var output: SigningOutputOptions

    func run() throws {
        let now = try output.signingTime()
        var request = try AzureInvocation.parse(self, now: now)
        // A user delegation SAS needs no account key, but may still take the endpoint from the environment.
        let credentials = request.sas.delegationKey == nil
            ? try AzureInvocation.credentials(for: request.address)
            : (try? AzureStorageCredentials.fromEnvironment()).flatMap { $0.account == request.address.account ? $0 : nil }
        // An az:// location takes the account's endpoint (e.g. the emulator's) unless --endpoint says otherwise.
        if let credentials, target.hasPrefix("az://"), endpoint == nil { request.address.endpoint = credentials.blobEndpoint }
        let accountKey = request.sas.delegationKey == nil ? credentials?.key : nil
        let signed = try request.sas.token(accountKey: accountKey)
        var leading: [(String, String)] = []
        if let snapshot { leading.append(("snapshot", snapshot)) }
        if let versionId { leading.append(("versionid", versionId)) }
        let url = request.address.url(token: signed.token, leadingQuery: leading)
        let result = SignedURLOutput(
            provider: "azure", method: request.method, url: url,
            headers: request.method == "PUT" ? [(name: "x-ms-blob-type", value: "BlockBlob")] : [],
            expiresAt: request.sas.expiry,
            extra: [("account", JSONText.string(request.address.account)), ("container", JSONText.string(request.address.container)),
                    ("blob", request.address.blob.map(JSONText.string) ?? "null"), ("permissions", request.sas.permissions.map(JSONText.string) ?? "null"),
                    ("version", JSONText.string(request.sas.version)), ("resource", JSONText.string(request.sas.resource.rawValue))])
        result.emit(json: output.json, curl: output.curl, name: request.address.blob ?? request.address.container, fallback: "blob")
    }
}
