// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "presign",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "presign", targets: ["presign"]),
        .library(name: "SigningCore", targets: ["SigningCore"]),
        .library(name: "AWSSigV4", targets: ["AWSSigV4"]),
        .library(name: "AWSCredentialProviders", targets: ["AWSCredentialProviders"]),
        .library(name: "HTTP", targets: ["HTTP"]),
        .library(name: "DropboxLinks", targets: ["DropboxLinks"]),
        .library(name: "AzureSAS", targets: ["AzureSAS"]),
        .library(name: "GoogleAuth", targets: ["GoogleAuth"]),
        .library(name: "URLCheck", targets: ["URLCheck"]),
        .library(name: "LightroomAPI", targets: ["LightroomAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        .target(name: "SigningCore", dependencies: ["COpenSSL"]),
        .target(name: "HTTP", dependencies: ["CCurl", "SigningCore"]),
        .target(name: "DropboxLinks", dependencies: ["HTTP", "SigningCore"]),
        .target(name: "AzureSAS", dependencies: ["SigningCore"]),
        .target(name: "GoogleAuth", dependencies: ["SigningCore", "HTTP"]),
        .target(name: "URLCheck", dependencies: ["SigningCore", "HTTP"]),
        .target(name: "LightroomAPI", dependencies: ["SigningCore", "HTTP", "URLCheck"]),
        .target(name: "RequestVerification", dependencies: ["SigningCore", "AWSSigV4", "AzureSAS", "GoogleAuth"]),
        .target(name: "LocalStorageServer", dependencies: [
            "RequestVerification", "SigningCore", "AzureSAS", "GoogleAuth",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .target(name: "AWSSigV4", dependencies: ["SigningCore"]),
        .target(name: "AWSCredentialProviders", dependencies: ["AWSSigV4", "SigningCore"]),
        .executableTarget(
            name: "presign",
            dependencies: [
                "SigningCore", "AWSSigV4", "AWSCredentialProviders", "HTTP", "DropboxLinks", "AzureSAS", "GoogleAuth", "LocalStorageServer", "URLCheck", "LightroomAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "HTTPBench", dependencies: ["HTTP"], path: "Benchmarks/HTTPBench"),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "SigningCoreTests", dependencies: ["SigningCore", "TestSupport"]),
        .testTarget(name: "AWSSigV4Tests", dependencies: ["AWSSigV4", "SigningCore", "TestSupport"]),
        .testTarget(name: "AWSCredentialProvidersTests", dependencies: ["AWSCredentialProviders", "TestSupport"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "SigningCore", "AWSSigV4", "TestSupport"]),
        .testTarget(name: "AzureSASTests", dependencies: ["AzureSAS", "SigningCore", "TestSupport"]),
        .testTarget(name: "GoogleAuthTests", dependencies: ["GoogleAuth", "SigningCore", "HTTP", "TestSupport"]),
        .testTarget(name: "RequestVerificationTests", dependencies: ["RequestVerification", "AWSSigV4", "AzureSAS", "GoogleAuth", "SigningCore", "TestSupport"]),
        .testTarget(name: "LocalStorageServerTests", dependencies: ["LocalStorageServer", "URLCheck", "LightroomAPI", "RequestVerification", "HTTP", "AWSSigV4", "AzureSAS", "GoogleAuth", "SigningCore", "TestSupport"]),
        .testTarget(name: "URLCheckTests", dependencies: ["URLCheck", "SigningCore", "TestSupport"]),
        .testTarget(name: "LightroomAPITests", dependencies: ["LightroomAPI", "HTTP", "SigningCore", "TestSupport"]),
        .testTarget(name: "DropboxLinksTests", dependencies: ["DropboxLinks", "HTTP", "TestSupport"]),
        .testTarget(name: "PresignCLITests", dependencies: ["presign", "SigningCore", "TestSupport"]),
        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
