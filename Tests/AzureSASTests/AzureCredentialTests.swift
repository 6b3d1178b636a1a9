import AzureSAS
import Foundation
import SigningCore
import Testing

/// Connection strings in every documented form, the account/key variables, and their errors.
struct AzureCredentialTests {
    static let key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

    @Test func defaultEndpointsForm() throws {
        let credentials = try AzureStorageCredentials.parse(connectionString: "DefaultEndpointsProtocol=https;AccountName=acct123;AccountKey=\(Self.key);EndpointSuffix=core.windows.net")
        #expect(credentials.account == "acct123")
        #expect(credentials.blobEndpoint == "https://acct123.blob.core.windows.net")
        #expect(credentials.key == Base64.decode(Self.key))
    }

    @Test func sovereignCloudSuffixAndHTTP() throws {
        let credentials = try AzureStorageCredentials.parse(connectionString: "DefaultEndpointsProtocol=http;AccountName=acct123;AccountKey=\(Self.key);EndpointSuffix=core.chinacloudapi.cn;")
        #expect(credentials.blobEndpoint == "http://acct123.blob.core.chinacloudapi.cn")
    }

    @Test func explicitBlobEndpointWins() throws {
        let credentials = try AzureStorageCredentials.parse(connectionString: "AccountName=acct123;AccountKey=\(Self.key);BlobEndpoint=https://cdn.example.com/")
        #expect(credentials.blobEndpoint == "https://cdn.example.com")
    }

    @Test func developmentStorage() throws {
        let credentials = try AzureStorageCredentials.parse(connectionString: "UseDevelopmentStorage=true")
        #expect(credentials.account == "devstoreaccount1")
        #expect(credentials.blobEndpoint == "http://127.0.0.1:10000/devstoreaccount1")
        let proxied = try AzureStorageCredentials.parse(connectionString: "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://ipv4.fiddler")
        #expect(proxied.blobEndpoint == "http://ipv4.fiddler:10000/devstoreaccount1")
    }

    @Test func keysAreCaseInsensitiveAndValuesKeepTheirEquals() throws {
        let credentials = try AzureStorageCredentials.parse(connectionString: "accountname=acct123;ACCOUNTKEY=\(Self.key)")
        #expect(credentials.key.count == 64)
    }

    @Test(arguments: [
        ("AccountKey=\(key)", "AccountName"),
        ("AccountName=acct123", "AccountKey"),
        ("AccountName=acct123;SharedAccessSignature=sv=2020&sig=x", "SharedAccessSignature"),
        ("AccountName=acct123;AccountKey=not base64!", "not base64"),
        ("AccountName=acct123;garbage", "without '='"),
        ("DefaultEndpointsProtocol=ftp;AccountName=acct123;AccountKey=\(key)", "https or http"),
    ])
    func malformedConnectionStrings(_ text: String, _ expected: String) {
        let error = #expect(throws: AzureSASError.self) { try AzureStorageCredentials.parse(connectionString: text) }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(Self.key) == false)
    }

    @Test func environmentForms() throws {
        let fromPair = try AzureStorageCredentials.fromEnvironment(["AZURE_STORAGE_ACCOUNT": "acct123", "AZURE_STORAGE_KEY": Self.key])
        #expect(fromPair.account == "acct123" && fromPair.blobEndpoint == "https://acct123.blob.core.windows.net")
        let preferred = try AzureStorageCredentials.fromEnvironment(["AZURE_STORAGE_CONNECTION_STRING": "UseDevelopmentStorage=true", "AZURE_STORAGE_ACCOUNT": "acct123", "AZURE_STORAGE_KEY": Self.key])
        #expect(preferred.account == "devstoreaccount1")
        #expect(throws: AzureSASError.self) { try AzureStorageCredentials.fromEnvironment([:]) }
        #expect(throws: AzureSASError.self) { try AzureStorageCredentials.fromEnvironment(["AZURE_STORAGE_ACCOUNT": "acct123"]) }
        #expect(throws: AzureSASError.self) { try AzureStorageCredentials.fromEnvironment(["AZURE_STORAGE_KEY": Self.key]) }
        #expect(!"\(fromPair)".contains(Self.key))
    }

    @Test func addressForms() throws {
        let az = try AzureBlobAddress.parse("az://acct123/photos/in/a b+c.jpg")
        #expect(az.endpoint == "https://acct123.blob.core.windows.net" && az.container == "photos" && az.blob == "in/a b+c.jpg")
        let https = try AzureBlobAddress.parse("https://acct123.blob.core.windows.net/photos/in/a%20b%2Bc.jpg")
        #expect(https == az)
        let emulator = try AzureBlobAddress.parse("http://127.0.0.1:10000/devstoreaccount1/photos/x.jpg")
        #expect(emulator.endpoint == "http://127.0.0.1:10000/devstoreaccount1" && emulator.account == "devstoreaccount1" && emulator.blob == "x.jpg")
        #expect(az.url(token: "sv=x") == "https://acct123.blob.core.windows.net/photos/in/a%20b%2Bc.jpg?sv=x")
        let container = try AzureBlobAddress.parse("az://acct123/photos")
        #expect(container.blob == nil && container.url(token: "sv=x") == "https://acct123.blob.core.windows.net/photos?sv=x")
    }

    @Test(arguments: ["az://ACCT/photos/x", "az://acct123/Photos/x", "az://acct123/ph--otos/x", "az://acct123", "ftp://acct123/c/x",
                      "https://acct123.blob.core.windows.net/photos/x?sv=1", "https://acct123.blob.core.windows.net/photos/%zz"])
    func badAddresses(_ text: String) {
        #expect(throws: AzureSASError.self) { try AzureBlobAddress.parse(text) }
    }
}
