/// A geometry spelled exactly as `convmat verify` takes it on the command
/// line, plus the seed of its data, so that any case (in particular a
/// failing one from a random sweep) can be replayed by pasting `command`.
public struct VerificationCase: Hashable, Sendable {
    /// `--input`, e.g. "5x3".
    public var input: String
    /// `--kernel`.
    public var kernel: String
    /// `--stride`.
    public var stride: String = "1"
    /// `--padding`: "1x0", "0:1x2:0", "same" or "valid".
    public var padding: String = "0"
    /// `--dilation`.
    public var dilation: String = "1"
    /// `--in-channels`, `--out-channels` and `--groups` (with `transposed`, the transposed convolution's own).
    public var inChannels = 1, outChannels = 1, groups = 1
    /// `--output-padding` (transposed only).
    public var outputPadding: String = "0"
    /// `--output-size` (transposed only), instead of `outputPadding`.
    public var outputSize: String?
    /// `--transposed`.
    public var transposed = false
    /// `--seed`: the data (weights, y, x) are drawn from it.
    public var seed: UInt64 = 0

    /// A case from its command-line spellings.
    public init(input: String, kernel: String, stride: String = "1", padding: String = "0", dilation: String = "1",
                inChannels: Int = 1, outChannels: Int = 1, groups: Int = 1, outputPadding: String = "0",
                outputSize: String? = nil, transposed: Bool = false, seed: UInt64 = 0) {
        self.input = input
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.groups = groups
        self.outputPadding = outputPadding
        self.outputSize = outputSize
        self.transposed = transposed
        self.seed = seed
    }

    /// The flags of `convmat verify` that replay this case (defaults left out).
    public var arguments: [String] {
        var flags = ["--input", input, "--kernel", kernel]
        if stride != "1" { flags += ["--stride", stride] }
        if padding != "0" { flags += ["--padding", padding] }
        if dilation != "1" { flags += ["--dilation", dilation] }
        if inChannels != 1 { flags += ["--in-channels", "\(inChannels)"] }
        if outChannels != 1 { flags += ["--out-channels", "\(outChannels)"] }
        if groups != 1 { flags += ["--groups", "\(groups)"] }
        if transposed {
            flags.append("--transposed")
            if outputPadding != "0" { flags += ["--output-padding", outputPadding] }
            if let outputSize { flags += ["--output-size", outputSize] }
        }
        flags += ["--seed", "\(seed)"]
        return flags
    }

    /// `convmat verify --input … --seed …`.
    public var command: String { (["convmat", "verify"] + arguments).joined(separator: " ") }

    /// The convolution C this case verifies and, for a transposed case, the
    /// transposed convolution; parsed with the same `GeometrySyntax` as the CLI.
    public func geometry() throws(GeometryError) -> (convolution: ConvolutionGeometry, transposed: TransposedConvolutionGeometry?) {
        try GeometrySyntax.geometry(
            input: input, kernel: kernel, stride: stride, padding: padding, dilation: dilation,
            inChannels: inChannels, outChannels: outChannels, groups: groups,
            outputPadding: outputPadding, outputSize: outputSize, transposed: transposed)
    }
}
