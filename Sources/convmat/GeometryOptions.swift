import ArgumentParser
import ConvMatrix

/// The flags that describe a convolution or, with `--transposed`, a transposed convolution.
struct GeometryOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Spatial input size, e.g. 4x4, 5 or 3x4x4. With --transposed: the transposed convolution's (small) input.", valueName: "size"))
    var input: String

    @Option(parsing: .unconditional, help: ArgumentHelp("Kernel size, e.g. 3x3 or 3 (the same in every dimension).", valueName: "size"))
    var kernel: String

    @OptionGroup var settings: GeometrySettings

    /// The described operation, checked; unless `checkingMemory` is false, also
    /// checked against `--max-memory` for building C and one product with it.
    func resolve(checkingMemory: Bool = true) throws(GeometryError) -> DescribedGeometry {
        let described = try settings.resolve(input: input, kernel: kernel)
        if checkingMemory { try settings.checkMemory(described.convolution) }
        return described
    }
}

/// Every geometry flag except the sizes, for commands (like `verify --random`) where
/// `--input` and `--kernel` are optional.
struct GeometrySettings: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Stride, e.g. 2 or 2x1.", valueName: "size"))
    var stride: String = "1"

    @Option(parsing: .unconditional, help: ArgumentHelp("Padding: 1, 1x0, before:after per dimension like 0:1x0:1, same (TensorFlow rule: odd extra at the end) or valid.", valueName: "padding"))
    var padding: String = "0"

    @Option(parsing: .unconditional, help: ArgumentHelp("Dilation (spacing of kernel taps), e.g. 2.", valueName: "size"))
    var dilation: String = "1"

    @Option(name: .customLong("in-channels"), parsing: .unconditional, help: "Input channels (with --transposed: the transposed convolution's own).")
    var inChannels: Int = 1

    @Option(name: .customLong("out-channels"), parsing: .unconditional, help: "Output channels (with --transposed: the transposed convolution's own).")
    var outChannels: Int = 1

    @Option(parsing: .unconditional, help: "Channel groups; both channel counts must be divisible by it.")
    var groups: Int = 1

    @Option(name: .customLong("output-padding"), parsing: .unconditional, help: ArgumentHelp("With --transposed: PyTorch's output_padding, each smaller than max(stride, dilation).", valueName: "size"))
    var outputPadding: String?

    @Option(name: .customLong("output-size"), parsing: .unconditional, help: ArgumentHelp("With --transposed: the wanted output size (PyTorch output_size, TensorFlow output_shape), instead of --output-padding.", valueName: "size"))
    var outputSize: String?

    @Flag(help: "Describe a transposed convolution (PyTorch ConvTranspose semantics); the matrix shown is Cᵀ.")
    var transposed = false

    @Option(name: .customLong("max-memory"), parsing: .unconditional, help: ArgumentHelp("Refuse geometries whose matrix and vectors would need more memory, e.g. 512M or 4G (default: half of physical memory).", valueName: "size"))
    var maxMemory: String?

    /// The `--max-memory` limit in bytes, or nil for the default.
    func memoryLimit() throws(GeometryError) -> Int? {
        try maxMemory.map { text throws(GeometryError) in try MemoryBudget.parse(text) }
    }

    /// Refuses, before anything is allocated, a convolution whose C and `samples`-column
    /// products would need more than the memory limit.
    func checkMemory(_ geometry: ConvolutionGeometry, samples: Int = 1) throws(GeometryError) {
        _ = try MemoryBudget.check(geometry, limit: memoryLimit(), samples: samples)
    }

    /// The flags among these that differ from their defaults, by name.
    var changedFlags: [String] {
        [("--stride", stride != "1"), ("--padding", padding != "0"), ("--dilation", dilation != "1"),
         ("--in-channels", inChannels != 1), ("--out-channels", outChannels != 1), ("--groups", groups != 1),
         ("--output-padding", outputPadding != nil), ("--output-size", outputSize != nil), ("--transposed", transposed)]
            .filter(\.1).map(\.0)
    }

    /// The operation these settings describe for the given sizes, checked.
    func resolve(input: String, kernel: String) throws(GeometryError) -> DescribedGeometry {
        if outputPadding != nil && outputSize != nil {
            throw .invalid(field: "--output-padding", reason: "cannot be combined with --output-size; give one of them")
        }
        let (convolution, transposedGeometry) = try GeometrySyntax.geometry(
            input: input, kernel: kernel, stride: stride, padding: padding, dilation: dilation,
            inChannels: inChannels, outChannels: outChannels, groups: groups,
            outputPadding: outputPadding ?? "0", outputSize: outputSize, transposed: transposed)
        if let transposedGeometry { return .transposed(transposedGeometry) }
        return .convolution(convolution)
    }
}

/// A convolution or a transposed convolution, as the flags described it.
enum DescribedGeometry {
    case convolution(ConvolutionGeometry)
    case transposed(TransposedConvolutionGeometry)

    /// The convolution whose matrix C is built (for a transposed one: the C it transposes).
    var convolution: ConvolutionGeometry {
        switch self {
        case .convolution(let geometry): return geometry
        case .transposed(let geometry): return geometry.convolution
        }
    }

    var isTransposed: Bool {
        if case .transposed = self { return true }
        return false
    }
}

/// `--weights`, parsed against a geometry: PyTorch order, row-major.
func parseWeights(_ text: String?, for geometry: ConvolutionGeometry) throws(GeometryError) -> Kernel? {
    guard let text else { return nil }
    return try Kernel(GeometrySyntax.numbers(text, field: "--weights"), geometry: geometry, field: "--weights")
}

/// "4×4" for [4, 4].
func sizeText(_ sizes: [Int]) -> String { sizes.map(String.init).joined(separator: "×") }
