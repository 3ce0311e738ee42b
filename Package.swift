// swift-tools-version:6.2
import PackageDescription

/// Compiler settings shared by every target: Swift 6 language mode (set by the tools version) plus the
/// upcoming features Hummingbird uses, so that dependencies are explicit and existentials are spelled `any`.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// MARK: - Dependencies (names and versions from the local package mirror)

let packageDependencies: [Package.Dependency] = [
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
    .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
    .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    .package(url: "https://github.com/swift-server/swift-openapi-async-http-client", from: "1.5.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
]

enum Product {
    static let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
    static let hummingbirdTesting = Target.Dependency.product(name: "HummingbirdTesting", package: "hummingbird")
    static let postgres = Target.Dependency.product(name: "PostgresNIO", package: "postgres-nio")
    static let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
    static let unixSignals = Target.Dependency.product(name: "UnixSignals", package: "swift-service-lifecycle")
    static let httpClient = Target.Dependency.product(name: "AsyncHTTPClient", package: "async-http-client")
    static let prometheus = Target.Dependency.product(name: "Prometheus", package: "swift-prometheus")
    static let configuration = Target.Dependency.product(name: "Configuration", package: "swift-configuration")
    static let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
    static let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")
    static let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
    static let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
    static let nioHTTP1 = Target.Dependency.product(name: "NIOHTTP1", package: "swift-nio")
    static let nioFoundationCompat = Target.Dependency.product(name: "NIOFoundationCompat", package: "swift-nio")
    static let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
    static let httpTypes = Target.Dependency.product(name: "HTTPTypes", package: "swift-http-types")
    static let openAPIAsyncHTTPClient = Target.Dependency.product(
        name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client")
    static let bcrypt = Target.Dependency.product(name: "HummingbirdBcrypt", package: "hummingbird-auth")
    static let mustache = Target.Dependency.product(name: "Mustache", package: "swift-mustache")
    static let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
    static let openAPIRuntime = Target.Dependency.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")
    static let openAPIHummingbird = Target.Dependency.product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird")
}

// MARK: - Target helpers, one per kind of target

/// A library target under `Shared/<folder>`.
func shared(_ name: String, folder: String, dependencies: [Target.Dependency]) -> Target {
    .target(name: name, dependencies: dependencies, path: "Shared/\(folder)", swiftSettings: swiftSettings)
}

/// One service executable under `Services/<folder>`, built on the shared service runtime.
func service(_ name: String, folder: String, dependencies: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: [
            "AvtalRuntime", "AvtalDomain", "AvtalMessaging", "AvtalPersistence", "AvtalContractStore", "AvtalThirdParty", "AvtalKontroll",
            Product.configuration, Product.hummingbird, Product.nioCore,
        ] + dependencies,
        path: "Services/\(folder)",
        swiftSettings: swiftSettings
    )
}

/// A test target under `Tests/<name>`.
func tests(_ name: String, dependencies: [Target.Dependency]) -> Target {
    .testTarget(name: name, dependencies: dependencies, path: "Tests/\(name)", swiftSettings: swiftSettings)
}

/// The six services of the design card, plus the sandbox that simulates the third parties: the target's name and the
/// executable's, which is also its folder under `Services/`, and what it needs beyond the shared runtime.
let services: [(target: String, executable: String, dependencies: [Target.Dependency])] = [
    ("PartnerAPI", "partner-api", ["AvtalPartnerAPI"]),
    ("Webbavtal", "webbavtal", ["AvtalBackOffice", "AvtalContractDesk"]),
    ("Kontroll", "kontroll", []),
    ("Signering", "signering", ["AvtalSigning"]),
    ("FOA", "foa", ["AvtalBackOffice", "AvtalContractDesk", "AvtalFOA"]),
    ("GordisExport", "gordis-export", ["AvtalExport"]),
    ("Sandbox", "sandbox", ["AvtalGetAccept", Product.openAPIRuntime, Product.openAPIHummingbird, Product.httpClient, Product.httpTypes]),
]

let package = Package(
    name: "avtalsflode",
    platforms: [.macOS(.v15)],
    products: services.map { .executable(name: $0.executable, targets: [$0.target]) } + [
        .executable(name: "avtalctl", targets: ["Avtalctl"]),
        .executable(name: "avtal-bench", targets: ["AvtalBench"]),
        .executable(name: "avtal-flow-bench", targets: ["AvtalFlowBench"]),
        .executable(name: "avtal-api-bench", targets: ["AvtalAPIBench"]),
        .executable(name: "avtal-load", targets: ["AvtalLoad"]),
    ],
    dependencies: packageDependencies,
    targets: [
        .systemLibrary(name: "CRabbitMQ", path: "Shared/CRabbitMQ", providers: [.apt(["librabbitmq-dev"])]),
        shared("AvtalDomain", folder: "Domain", dependencies: []),
        shared(
            "AvtalMessaging", folder: "Messaging",
            dependencies: [
                "CRabbitMQ", "AvtalDomain", Product.logging, Product.metrics, Product.nioCore, Product.nioPosix, Product.lifecycle,
            ]),
        shared(
            "AvtalPersistence", folder: "Persistence",
            dependencies: [
                "AvtalDomain", "AvtalMessaging", Product.postgres, Product.logging, Product.metrics, Product.lifecycle,
            ]),
        shared(
            "AvtalContractStore", folder: "ContractStore",
            dependencies: [
                "AvtalDomain", "AvtalMessaging", "AvtalPersistence", Product.postgres, Product.logging, Product.metrics, Product.lifecycle,
            ]),
        shared(
            "AvtalThirdParty", folder: "ThirdParty",
            dependencies: [Product.httpClient, Product.nioCore, Product.nioHTTP1, Product.nioFoundationCompat]),
        shared(
            "AvtalKontroll", folder: "Kontroll",
            dependencies: ["AvtalDomain", "AvtalMessaging", "AvtalPersistence", "AvtalThirdParty", Product.postgres, Product.logging]),
        shared(
            "AvtalExport", folder: "Export",
            dependencies: ["AvtalDomain", "AvtalMessaging", "AvtalPersistence", "AvtalThirdParty", Product.postgres, Product.logging]),
        shared(
            "AvtalRuntime", folder: "Runtime",
            dependencies: [
                "AvtalDomain", "AvtalMessaging", "AvtalPersistence", Product.hummingbird, Product.postgres, Product.lifecycle, Product.unixSignals,
                Product.configuration, Product.logging, Product.metrics, Product.prometheus,
            ]),
        .target(
            name: "AvtalBackOffice",
            dependencies: [
                "AvtalPersistence", "AvtalRuntime", Product.hummingbird, Product.bcrypt, Product.mustache, Product.postgres, Product.logging,
                Product.crypto,
                Product.nioCore, Product.nioPosix, Product.httpTypes,
            ],
            path: "Shared/BackOffice",
            resources: [.copy("Templates")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AvtalContractDesk",
            dependencies: ["AvtalDomain", "AvtalContractStore"],
            path: "Shared/ContractDesk",
            resources: [.copy("Templates")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AvtalFOA",
            dependencies: ["AvtalDomain", "AvtalContractDesk", "AvtalPersistence", Product.postgres, Product.logging],
            path: "Shared/FOA",
            resources: [.copy("Templates")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AvtalGetAccept",
            dependencies: [Product.openAPIRuntime, Product.httpTypes],
            path: "Shared/GetAccept",
            exclude: ["README.md"],
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        shared(
            "AvtalSigning", folder: "Signing",
            dependencies: [
                "AvtalDomain", "AvtalMessaging", "AvtalPersistence", "AvtalRuntime", "AvtalGetAccept", Product.openAPIRuntime,
                Product.openAPIAsyncHTTPClient,
                Product.httpClient, Product.httpTypes, Product.hummingbird, Product.postgres, Product.logging, Product.nioCore,
                Product.nioFoundationCompat, Product.lifecycle,
            ]),
        .target(
            name: "AvtalPartnerAPI",
            dependencies: [
                "AvtalDomain", "AvtalPersistence", "AvtalContractStore", "AvtalRuntime", Product.hummingbird, Product.postgres, Product.logging,
                Product.metrics, Product.crypto, Product.openAPIRuntime, Product.openAPIHummingbird, Product.httpTypes, Product.nioCore,
                Product.nioFoundationCompat,
            ],
            path: "Shared/PartnerAPI",
            resources: [.copy("openapi.yaml")],
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
    ] + services.map { service($0.target, folder: $0.executable, dependencies: $0.dependencies) } + [
        .executableTarget(
            name: "Avtalctl",
            dependencies: [
                "AvtalDomain", "AvtalMessaging", "AvtalRuntime", "AvtalPartnerAPI", "AvtalPersistence", "AvtalBackOffice", "AvtalContractStore",
                Product.argumentParser,
                Product.logging,
                Product.configuration, Product.postgres,
            ],
            path: "Tools/avtalctl",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AvtalBench",
            dependencies: ["AvtalDomain", "AvtalMessaging", "AvtalPersistence", Product.postgres, Product.logging],
            path: "Tools/avtal-bench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AvtalFlowBench",
            dependencies: ["AvtalDomain", "AvtalContractStore", Product.postgres, Product.logging],
            path: "Tools/avtal-flow-bench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AvtalAPIBench",
            dependencies: [Product.httpClient, Product.nioCore, Product.nioHTTP1],
            path: "Tools/avtal-api-bench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AvtalLoad",
            dependencies: ["AvtalDomain", Product.httpClient, Product.nioCore, Product.nioHTTP1, Product.postgres, Product.logging],
            path: "Tools/avtal-load",
            swiftSettings: swiftSettings
        ),
        .target(name: "AvtalTestSupport", dependencies: ["AvtalDomain"], path: "Tests/TestSupport", swiftSettings: swiftSettings),
        tests("DomainTests", dependencies: ["AvtalDomain", "AvtalTestSupport"]),
        tests("MessagingTests", dependencies: ["AvtalMessaging", "AvtalDomain"]),
        tests("PartnerAPIUnitTests", dependencies: ["AvtalPartnerAPI", "AvtalDomain", Product.hummingbird]),
        tests("SigningTests", dependencies: ["AvtalSigning", "AvtalGetAccept", "AvtalDomain", "AvtalRuntime", "AvtalTestSupport"]),
        tests("KontrollTests", dependencies: ["AvtalKontroll", "AvtalDomain", "AvtalThirdParty", "AvtalTestSupport"]),
        tests("ContractDeskTests", dependencies: ["AvtalContractDesk", "AvtalFOA", "AvtalDomain", "AvtalTestSupport"]),
        tests(
            "IntegrationTests",
            dependencies: [
                "AvtalDomain", "AvtalMessaging", "AvtalPersistence", "AvtalRuntime", "AvtalContractStore", "AvtalTestSupport", "AvtalThirdParty",
                "AvtalKontroll", "AvtalPartnerAPI", "AvtalSigning", "AvtalBackOffice", "AvtalContractDesk", "AvtalFOA", Product.postgres,
                Product.httpClient,
                Product.logging, Product.nioCore, Product.nioHTTP1, Product.lifecycle,
            ]),
    ]
)
