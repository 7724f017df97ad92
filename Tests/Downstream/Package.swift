// swift-tools-version: 6.1
// A package of someone else's: two small 2-D convolutions of its own, tested with
// ConvMatrixTesting as a user would (by path here; by URL in a real project).
import PackageDescription

let package = Package(
    name: "SmallConvolutions",
    dependencies: [
        .package(name: "ConvMatrix", path: "../.."),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        .target(name: "SmallConvolutions"),
        .testTarget(
            name: "SmallConvolutionsTests",
            dependencies: [
                "SmallConvolutions",
                .product(name: "ConvMatrixTesting", package: "ConvMatrix"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // The ```swift blocks of ConvMatrix's README and docs/, compiled as a user compiles them:
        // against the public API only. Tools/doc-examples.py writes the one source file (not
        // committed); `make downstream` runs it before building.
        .testTarget(
            name: "DocumentationExamplesTests",
            dependencies: [.product(name: "ConvMatrix", package: "ConvMatrix")]
        ),
    ]
)
