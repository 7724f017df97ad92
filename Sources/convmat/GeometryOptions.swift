import ArgumentParser
import ConvMatrix

/// The flags that describe a convolution or, with `--transposed`, a transposed convolution.
struct GeometryOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Spatial input size, e.g. 4x4, 5 or 3x4x4. With --transposed: the transposed convolution's (small) input.", valueName: "size"))
    var input: String

    @Option(parsing: .unconditional, help: ArgumentHelp("Kernel size, e.g. 3x3 or 3 (the same in every dimension).", valueName: "size"))
    var kernel: String

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
    var outputPadding: String = "0"

    @Option(name: .customLong("output-size"), parsing: .unconditional, help: ArgumentHelp("With --transposed: the wanted output size (PyTorch output_size, TensorFlow output_shape), instead of --output-padding.", valueName: "size"))
    var outputSize: String?

    @Flag(help: "Describe a transposed convolution (PyTorch ConvTranspose semantics); the matrix shown is Cᵀ.")
    var transposed = false

    /// The described operation, checked.
    func resolve() throws(GeometryError) -> DescribedGeometry {
        let inputSize = try GeometrySyntax.sizes(input, field: "--input")
        let kernelSize = try GeometrySyntax.sizes(kernel, field: "--kernel")
        let strides = try GeometrySyntax.sizes(stride, field: "--stride")
        let dilations = try GeometrySyntax.sizes(dilation, field: "--dilation")
        let paddingValue = try GeometrySyntax.padding(padding)
        let extra = try GeometrySyntax.sizes(outputPadding, field: "--output-padding")
        if transposed {
            let requested = try outputSize.map { text throws(GeometryError) in try GeometrySyntax.sizes(text, field: "--output-size") }
            return .transposed(try TransposedConvolutionGeometry(
                inputSize: inputSize, kernelSize: kernelSize, stride: strides, dilation: dilations,
                padding: paddingValue, outputPadding: extra, outputSize: requested,
                inChannels: inChannels, outChannels: outChannels, groups: groups))
        }
        if extra.contains(where: { $0 != 0 }) {
            throw .invalid(field: "--output-padding", reason: "applies only with --transposed")
        }
        if outputSize != nil {
            throw .invalid(field: "--output-size", reason: "applies only with --transposed")
        }
        return .convolution(try ConvolutionGeometry(
            inputSize: inputSize, kernelSize: kernelSize, stride: strides, dilation: dilations,
            padding: paddingValue, inChannels: inChannels, outChannels: outChannels, groups: groups))
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
