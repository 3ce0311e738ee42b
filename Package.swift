// swift-tools-version:6.2
import Foundation
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
    .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
    .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
    .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    .package(url: "https://github.com/swift-server/swift-openapi-async-http-client", from: "1.5.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    // The internal form's uploads: multipart/form-data, CSV (RFC 4180) and XLSX (a ZIP archive of XML parts).
    .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    // Tracing: the API every service records spans with, and its OTLP/HTTP exporter (gRPC left out: its trait is off).
    .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
    .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
]

enum Product {
    static let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
    static let hummingbirdTesting = Target.Dependency.product(name: "HummingbirdTesting", package: "hummingbird")
    static let hummingbirdCore = Target.Dependency.product(name: "HummingbirdCore", package: "hummingbird")
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
    static let nioHTTPTypes = Target.Dependency.product(name: "NIOHTTPTypes", package: "swift-nio-extras")
    static let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
    static let httpTypes = Target.Dependency.product(name: "HTTPTypes", package: "swift-http-types")
    static let openAPIAsyncHTTPClient = Target.Dependency.product(
        name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client")
    static let bcrypt = Target.Dependency.product(name: "HummingbirdBcrypt", package: "hummingbird-auth")
    static let mustache = Target.Dependency.product(name: "Mustache", package: "swift-mustache")
    static let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
    static let openAPIRuntime = Target.Dependency.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")
    static let openAPIHummingbird = Target.Dependency.product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird")
    static let multipart = Target.Dependency.product(name: "MultipartKit", package: "multipart-kit")
    static let csv = Target.Dependency.product(name: "CSV", package: "CSV.swift")
    static let zip = Target.Dependency.product(name: "ZIPFoundation", package: "ZIPFoundation")
    static let tracing = Target.Dependency.product(name: "Tracing", package: "swift-distributed-tracing")
    static let instrumentation = Target.Dependency.product(name: "Instrumentation", package: "swift-distributed-tracing")
    static let otel = Target.Dependency.product(name: "OTel", package: "swift-otel")
}

// MARK: - Target helpers, one per kind of target

/// A library target under `Shared/<folder>`: what two or more services use.
func shared(
    _ name: String, folder: String, dependencies: [Target.Dependency], resources: [Resource]? = nil,
    plugins: [Target.PluginUsage]? = nil, exclude: [String] = []
) -> Target {
    .target(
        name: name, dependencies: dependencies, path: "Shared/\(folder)", exclude: exclude, resources: resources, swiftSettings: swiftSettings,
        plugins: plugins)
}

/// One service: its library, named for it, holding everything the service does (`Services/<folder>/`, all but
/// `main.swift`), and its executable, whose `main.swift` only runs the library's definition.
func service(
    _ library: String, executable: String, dependencies: [Target.Dependency], resources: [Resource]? = nil,
    plugins: [Target.PluginUsage]? = nil, exclude: [String] = [], runner: Target.Dependency? = "AvtalRuntime"
) -> [Target] {
    [
        .target(
            name: library, dependencies: dependencies, path: "Services/\(executable)", exclude: ["main.swift"] + exclude, resources: resources,
            swiftSettings: swiftSettings, plugins: plugins),
        .executableTarget(
            name: library + "Main", dependencies: [.target(name: library)] + (runner.map { [$0] } ?? []), path: "Services/\(executable)",
            exclude: everything(in: "Services/\(executable)", but: "main.swift"), sources: ["main.swift"], swiftSettings: swiftSettings),
    ]
}

/// What a folder holds besides `file`: the library's files, which the executable sharing the folder leaves alone.
func everything(in folder: String, but file: String) -> [String] {
    let path = Context.packageDirectory + "/" + folder
    return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0 != file }.sorted()
}

/// A command-line tool under `Tools/<folder>`.
func tool(_ name: String, folder: String, dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: dependencies, path: "Tools/\(folder)", swiftSettings: swiftSettings)
}

/// A test target under `Tests/<name>`.
func tests(_ name: String, dependencies: [Target.Dependency]) -> Target {
    .testTarget(name: name, dependencies: dependencies, path: "Tests/\(name)", swiftSettings: swiftSettings)
}

let openAPIGenerator = Target.PluginUsage.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")

/// The six services of the design card and the sandbox that simulates the third parties: the library's name and the
/// executable's (also its folder under `Services/`).
let executables = [
    ("PartnerAPI", "partner-api"), ("Webbavtal", "webbavtal"), ("Kontroll", "kontroll"), ("Signering", "signering"), ("Foa", "foa"),
    ("GordisExport", "gordis-export"), ("Sandbox", "sandbox"),
]

// MARK: - Shared libraries: used by two or more services

let sharedTargets: [Target] = [
    .systemLibrary(name: "CRabbitMQ", path: "Shared/CRabbitMQ", providers: [.apt(["librabbitmq-dev"])]),
    shared("AvtalDomain", folder: "Domain", dependencies: []),
    shared("AvtalTracing", folder: "Tracing", dependencies: [Product.tracing, Product.instrumentation]),
    shared(
        "AvtalMessaging", folder: "Messaging",
        dependencies: [
            "CRabbitMQ", "AvtalDomain", "AvtalTracing", Product.tracing, Product.logging, Product.metrics, Product.nioPosix, Product.lifecycle,
        ]),
    shared(
        "AvtalPersistence", folder: "Persistence",
        dependencies: [
            "AvtalDomain", "AvtalMessaging", "AvtalTracing", Product.tracing, Product.postgres, Product.logging, Product.metrics, Product.lifecycle,
        ]),
    shared(
        "AvtalContractStore", folder: "ContractStore",
        dependencies: ["AvtalDomain", "AvtalPersistence", "AvtalTracing", Product.tracing, Product.postgres, Product.logging, Product.metrics]),
    shared(
        "AvtalRuntime", folder: "Runtime",
        dependencies: [
            "AvtalMessaging", "AvtalPersistence", Product.hummingbird, Product.postgres, Product.lifecycle, Product.unixSignals,
            Product.configuration, Product.logging, Product.metrics, Product.prometheus, Product.nioCore, Product.nioHTTPTypes,
            Product.httpTypes, Product.hummingbirdCore, Product.nioPosix, "AvtalTracing", Product.tracing, Product.otel,
        ]),
    shared("AvtalSecrets", folder: "Secrets", dependencies: []),
    shared(
        "AvtalBackOffice", folder: "BackOffice",
        dependencies: [
            "AvtalDomain", "AvtalPersistence", "AvtalRuntime", "AvtalSecrets", Product.hummingbird, Product.bcrypt, Product.mustache,
            Product.postgres,
            Product.logging, Product.crypto, Product.nioCore, Product.nioPosix, Product.multipart,
        ],
        resources: [.copy("Templates")]),
    shared(
        "AvtalThirdParty", folder: "ThirdParty",
        dependencies: [
            "AvtalTracing", Product.tracing, Product.httpClient, Product.nioCore, Product.nioHTTP1, Product.nioFoundationCompat, Product.metrics,
        ]),
    shared("AvtalRegisters", folder: "Registers", dependencies: ["AvtalDomain", "AvtalThirdParty"]),
    shared("AvtalCreditBureau", folder: "CreditBureau", dependencies: ["AvtalThirdParty"]),
    shared("AvtalMailGateway", folder: "MailGateway", dependencies: ["AvtalThirdParty"]),
    shared("AvtalXellent", folder: "Xellent", dependencies: ["AvtalThirdParty"]),
    shared(
        "AvtalGetAccept", folder: "GetAccept", dependencies: [Product.openAPIRuntime, Product.httpTypes], plugins: [openAPIGenerator],
        exclude: ["README.md"]),
]

// MARK: - One library and one executable per service

let serviceTargets: [Target] =
    service(
        "PartnerAPI", executable: "partner-api",
        dependencies: [
            "AvtalDomain", "AvtalMessaging", "AvtalPersistence", "AvtalContractStore", "AvtalRuntime", "AvtalSecrets", Product.hummingbird,
            Product.postgres, Product.logging, Product.metrics, Product.lifecycle, Product.configuration, Product.crypto, Product.openAPIRuntime,
            Product.openAPIHummingbird, Product.httpTypes, Product.httpClient, Product.nioCore, Product.nioPosix, Product.nioHTTP1,
        ],
        resources: [.copy("openapi.yaml")], plugins: [openAPIGenerator])
    + service(
        "Webbavtal", executable: "webbavtal",
        dependencies: [
            "AvtalDomain", "AvtalMessaging", "AvtalPersistence", "AvtalContractStore", "AvtalRuntime", "AvtalBackOffice", "AvtalSecrets",
            "AvtalTracing", Product.tracing, Product.hummingbird, Product.postgres, Product.logging, Product.metrics, Product.lifecycle,
            Product.configuration, Product.csv,
            Product.zip,
        ],
        resources: [.copy("Templates")])
    + service(
        "Kontroll", executable: "kontroll",
        dependencies: [
            "AvtalDomain", "AvtalMessaging", "AvtalPersistence", "AvtalRuntime", "AvtalThirdParty", "AvtalRegisters", "AvtalCreditBureau",
            "AvtalMailGateway", Product.postgres, Product.logging, Product.configuration,
        ])
    + service(
        "Signering", executable: "signering",
        dependencies: [
            "AvtalDomain", "AvtalMessaging", "AvtalPersistence", "AvtalRuntime", "AvtalSecrets", "AvtalGetAccept", "AvtalThirdParty",
            "AvtalTracing", Product.tracing, Product.crypto,
            Product.openAPIRuntime,
            Product.openAPIAsyncHTTPClient, Product.httpClient, Product.httpTypes, Product.hummingbird, Product.postgres, Product.logging,
            Product.metrics, Product.nioCore, Product.lifecycle, Product.configuration,
        ])
    + service(
        "Foa", executable: "foa",
        dependencies: [
            "AvtalDomain", "AvtalPersistence", "AvtalContractStore", "AvtalRuntime", "AvtalBackOffice", Product.hummingbird, Product.postgres,
            Product.logging, Product.configuration,
        ],
        resources: [.copy("Templates")])
    + service(
        "GordisExport", executable: "gordis-export",
        dependencies: [
            "AvtalDomain", "AvtalMessaging", "AvtalPersistence", "AvtalRuntime", "AvtalThirdParty", "AvtalXellent", Product.postgres,
            Product.logging, Product.configuration,
        ])
    + service(
        "Sandbox", executable: "sandbox",
        dependencies: [
            "AvtalDomain", "AvtalRuntime", "AvtalGetAccept", "AvtalThirdParty", "AvtalRegisters", "AvtalCreditBureau", "AvtalMailGateway",
            "AvtalXellent", Product.openAPIRuntime, Product.openAPIHummingbird, Product.httpClient, Product.httpTypes, Product.hummingbird,
            Product.logging, Product.nioCore, Product.nioHTTP1, Product.crypto,
        ],
        // The sandbox runs itself (`SandboxService.run()`): it has no ServiceDefinition.
        runner: nil)

// MARK: - Tools and tests

let toolTargets: [Target] = [
    tool(
        "Avtalctl", folder: "avtalctl",
        dependencies: [
            "AvtalDomain", "AvtalMessaging", "AvtalPersistence", "AvtalRuntime", "AvtalContractStore", "AvtalBackOffice", "PartnerAPI",
            Product.argumentParser, Product.logging, Product.configuration, Product.postgres,
        ]),
    tool(
        "AvtalBench", folder: "avtal-bench", dependencies: ["AvtalDomain", "AvtalMessaging", "AvtalPersistence", Product.postgres, Product.logging]),
    tool(
        "AvtalFlowBench", folder: "avtal-flow-bench",
        dependencies: ["AvtalDomain", "AvtalContractStore", "AvtalPersistence", Product.postgres, Product.logging]),
    tool("AvtalSoak", folder: "avtal-soak", dependencies: ["AvtalMessaging", Product.logging]),
    tool(
        "AvtalTableSoak", folder: "avtal-table-soak",
        dependencies: ["AvtalDomain", "AvtalMessaging", "AvtalPersistence", Product.postgres, Product.logging]),
    tool("AvtalAPIBench", folder: "avtal-api-bench", dependencies: [Product.httpClient, Product.nioCore, Product.nioHTTP1]),
    tool(
        "AvtalLoad", folder: "avtal-load",
        dependencies: ["AvtalDomain", Product.httpClient, Product.nioCore, Product.nioHTTP1, Product.postgres, Product.logging]),
]

let testTargets: [Target] = [
    .target(name: "AvtalTestSupport", dependencies: ["AvtalDomain"], path: "Tests/TestSupport", swiftSettings: swiftSettings),
    tests("DomainTests", dependencies: ["AvtalDomain", "AvtalSecrets", "AvtalTestSupport"]),
    tests("MessagingTests", dependencies: ["AvtalMessaging"]),
    tests("PartnerAPITests", dependencies: ["PartnerAPI", "AvtalDomain", Product.hummingbird]),
    tests("SigneringTests", dependencies: ["Signering", "AvtalGetAccept", "AvtalDomain", "AvtalSecrets", "AvtalTestSupport"]),
    tests("BackOfficeTests", dependencies: ["AvtalBackOffice", "Webbavtal", "Foa", "AvtalDomain", "AvtalMessaging", "AvtalTestSupport"]),
    tests(
        "IntegrationTests",
        dependencies: [
            "AvtalDomain", "AvtalMessaging", "AvtalPersistence", "AvtalRuntime", "AvtalContractStore", "AvtalTestSupport", "AvtalThirdParty",
            "AvtalRegisters", "AvtalCreditBureau", "AvtalMailGateway", "AvtalBackOffice", "AvtalTracing", "Kontroll", "PartnerAPI", "Signering",
            "Webbavtal", "Foa", Product.postgres, Product.httpClient, Product.logging,
            Product.nioCore, Product.nioHTTP1, Product.lifecycle, Product.configuration, Product.hummingbird, Product.hummingbirdTesting,
            Product.prometheus,
        ]),
]

let package = Package(
    name: "avtalsflode",
    platforms: [.macOS(.v15)],
    products: executables.map { .executable(name: $0.1, targets: [$0.0 + "Main"]) } + [
        .executable(name: "avtalctl", targets: ["Avtalctl"]),
        .executable(name: "avtal-bench", targets: ["AvtalBench"]),
        .executable(name: "avtal-flow-bench", targets: ["AvtalFlowBench"]),
        .executable(name: "avtal-api-bench", targets: ["AvtalAPIBench"]),
        .executable(name: "avtal-load", targets: ["AvtalLoad"]),
        .executable(name: "avtal-soak", targets: ["AvtalSoak"]),
        .executable(name: "avtal-table-soak", targets: ["AvtalTableSoak"]),
    ],
    dependencies: packageDependencies,
    targets: sharedTargets + serviceTargets + toolTargets + testTargets
)
