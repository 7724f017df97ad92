// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ConvMatrix",
    products: [
        .library(name: "ConvMatrix", targets: ["ConvMatrix"]),
        .executable(name: "convmat", targets: ["convmat"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CSuiteSparse",
            providers: [.apt(["libsuitesparse-dev"])]
        ),
        .target(
            name: "ConvMatrix",
            dependencies: ["CSuiteSparse"]
        ),
        .executableTarget(
            name: "convmat",
            dependencies: [
                "ConvMatrix",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "ConvMatrixTests",
            dependencies: [
                "ConvMatrix",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ]
)
