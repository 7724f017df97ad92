// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ConvMatrix",
    // SwiftPM names only Apple systems here. ConvMatrix is built and tested on Linux (README,
    // "Supported systems"); its Swift code needs macOS 13's string APIs, but it calls glibc directly
    // and has not been ported to macOS.
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ConvMatrix", targets: ["ConvMatrix"]),
        .library(name: "ConvMatrixTesting", targets: ["ConvMatrixTesting"]),
        .executable(name: "convmat", targets: ["convmat"]),
        .executable(name: "convmat-serve", targets: ["convmat-serve"]),
    ],
    // Off by default, so that a package depending on ConvMatrix or ConvMatrixTesting never resolves
    // Hummingbird, SwiftNIO or swift-log: `swift build --traits Explorer` (the Makefile passes it)
    // builds convmat-serve with its HTTP server; without it convmat-serve only says how to build it.
    traits: [
        .trait(name: "Explorer", description: "The explorer's HTTP server in convmat-serve (Hummingbird, SwiftNIO, swift-log).")
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        // `swift package generate-documentation --target ConvMatrix` (`make docs-api`): the DocC catalog
        // in Sources/ConvMatrix/ConvMatrix.docc. A plugin only; nothing of it is linked into a product.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
        // HTTP for `convmat-serve` only, under the Explorer trait; Hummingbird's own optional traits
        // (swift-configuration, full Foundation) are off.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        // The HTTP/1 pipeline convmat-serve sets up itself (under the Explorer trait too): SwiftNIO's
        // HTTP/1 codec and the HTTP types between it and Hummingbird, the versions Hummingbird resolves.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0", traits: []),
    ],
    targets: [
        .systemLibrary(
            name: "CSuiteSparse",
            providers: [.apt(["libsuitesparse-dev"])]
        ),
        // LAPACK's SVD and tridiagonal eigenvalues for the spectrum of C (Debian's liblapack-dev; on
        // Debian the library is OpenBLAS's LAPACK, which SuiteSparse already loads).
        .systemLibrary(
            name: "CLapack",
            providers: [.apt(["liblapack-dev"])]
        ),
        // syncfs(2), which Swift's Glibc module does not declare (FileSet makes a set durable with it).
        .target(name: "CFileSystem"),
        // The layers, each a target so that the compiler keeps their dependencies pointing one way
        // (docs/architecture.md): the mathematics, then what programs read and write, then what
        // people read, then what students do.
        .target(
            name: "ConvMatrixCore",
            dependencies: ["CSuiteSparse"]
        ),
        // Beside the core, each on top of it alone: the pooling layers' matrices, the checks that the
        // transposed convolution is Cᵀ by every route, and the singular values of C (LAPACK).
        .target(
            name: "ConvMatrixPooling",
            dependencies: ["ConvMatrixCore"]
        ),
        .target(
            name: "ConvMatrixVerification",
            dependencies: ["ConvMatrixCore", "ConvMatrixPooling"]
        ),
        .target(
            name: "ConvMatrixSpectrum",
            dependencies: ["ConvMatrixCore", "CLapack"]
        ),
        .target(
            name: "ConvMatrixInterchange",
            dependencies: ["ConvMatrixCore", "ConvMatrixVerification", "CFileSystem"]
        ),
        .target(
            name: "ConvMatrixRendering",
            dependencies: ["ConvMatrixCore", "ConvMatrixPooling", "ConvMatrixVerification", "ConvMatrixInterchange"]
        ),
        .target(
            name: "ConvMatrixTeaching",
            dependencies: ["ConvMatrixCore", "ConvMatrixInterchange", "ConvMatrixRendering"]
        ),
        // The `ConvMatrix` product: one import that re-exports every layer.
        .target(
            name: "ConvMatrix",
            dependencies: [
                "ConvMatrixCore", "ConvMatrixPooling", "ConvMatrixVerification", "ConvMatrixSpectrum",
                "ConvMatrixInterchange", "ConvMatrixRendering", "ConvMatrixTeaching",
            ]
        ),
        // Shrinking generators and oracles for testing one's own convolution with Swift Testing.
        .target(
            name: "ConvMatrixTesting",
            dependencies: [
                "ConvMatrix",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // The measuring machinery of `convmat bench`: not part of the library product.
        .target(
            name: "ConvMatrixBenchmarks",
            dependencies: ["ConvMatrix"]
        ),
        .executableTarget(
            name: "convmat",
            dependencies: [
                "ConvMatrix",
                "ConvMatrixBenchmarks",
                "ConvMatrixExplorer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The explorer's request → response logic (query → fields → views as JSON, the page from
        // Resources/, compiled in) and the flags `convmat serve` shares with `convmat-serve`: no HTTP,
        // so its unit tests need no server and `make build` never compiles Hummingbird. In no library product.
        .target(
            name: "ConvMatrixExplorer",
            dependencies: [
                "ConvMatrix",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [
                .embedInCode("Resources/explorer.html"),
                .embedInCode("Resources/explorer.css"),
                .embedInCode("Resources/explorer.js"),
            ]
        ),
        // `convmat serve` execs this: the explorer over HTTP (Hummingbird), on loopback by default.
        // Without the Explorer trait it is built without HTTP and says how to build the server.
        .executableTarget(
            name: "convmat-serve",
            dependencies: [
                "ConvMatrixExplorer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Explorer"])),
                .product(name: "HummingbirdCore", package: "hummingbird", condition: .when(traits: ["Explorer"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Explorer"])),
                .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: ["Explorer"])),
                .product(name: "NIOHTTP1", package: "swift-nio", condition: .when(traits: ["Explorer"])),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras", condition: .when(traits: ["Explorer"])),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras", condition: .when(traits: ["Explorer"])),
                .product(name: "HTTPTypes", package: "swift-http-types", condition: .when(traits: ["Explorer"])),
            ]
        ),
        // `swift run -c release testing-bench [N]`: the oracle and `convmat cases` against the direct loops.
        .executableTarget(
            name: "testing-bench",
            dependencies: [
                "ConvMatrix",
                "ConvMatrixTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            path: "Sources/TestingBenchmark"
        ),
        // What both test targets share: the process runner, seeded property checks, generators, an XML reader.
        .target(
            name: "ConvMatrixTestSupport",
            dependencies: [
                "ConvMatrix",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            path: "Tests/Support"
        ),
        // Unit and property tests of the library.
        .testTarget(
            name: "ConvMatrixTests",
            dependencies: [
                "ConvMatrix",
                "ConvMatrixCore", "ConvMatrixPooling", "ConvMatrixVerification", "ConvMatrixSpectrum",
                "ConvMatrixInterchange", "ConvMatrixRendering", "ConvMatrixTeaching",
                "ConvMatrixBenchmarks",
                "ConvMatrixTestSupport",
                "ConvMatrixTesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // The explorer's query parsing and views, without HTTP.
        .testTarget(
            name: "ConvMatrixExplorerTests",
            dependencies: [
                "ConvMatrix",
                "ConvMatrixExplorer",
            ]
        ),
        // The built `convmat` binary, run as a user runs it.
        .testTarget(
            name: "convmatEndToEndTests",
            dependencies: [
                "ConvMatrix",
                "ConvMatrixCore", "ConvMatrixPooling", "ConvMatrixVerification", "ConvMatrixSpectrum",
                "ConvMatrixInterchange", "ConvMatrixRendering", "ConvMatrixTeaching",
                "ConvMatrixBenchmarks",
                "ConvMatrixTestSupport",
                "ConvMatrixTesting",
            ]
        ),
    ]
)
