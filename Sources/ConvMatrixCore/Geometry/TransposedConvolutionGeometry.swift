/// The shapes of a transposed convolution, described the way PyTorch's
/// `ConvTranspose{1,2,3}d` and TensorFlow's `conv{1,2,3}d_transpose` take
/// them, together with the convolution whose matrix it transposes.
///
/// A transposed convolution with input size i′ computes y = Cᵀ·x, where C is
/// the matrix of the convolution that maps the transposed convolution's
/// *output* (size o′) back to its *input* (size i′) with the same kernel,
/// stride, padding and dilation. In dimension j, PyTorch's size rule is
///
///     o′_j = (i′_j − 1)·s_j − p_j,before − p_j,after + d_j·(k_j − 1) + 1 + a_j
///
/// where a_j, the `output_padding`, satisfies 0 ≤ a_j < max(s_j, d_j).
/// For a_j < s_j the convolution maps o′_j back to i′_j exactly. For
/// s_j ≤ a_j < d_j (possible only when the dilation exceeds the stride) a
/// convolution of size o′_j has more than i′_j outputs; PyTorch computes
/// the gradient of that convolution with respect to its input, and so does
/// this type: C is then the convolution of o′ with its outputs cut to the
/// first i′ (`ConvolutionGeometry.isOutputCut`).
///
/// A requested output size instead of a_j is judged by the framework's own
/// rule (`OutputSizeRule`, one function per rule in
/// TransposedConvolutionGeometry+OutputSizes.swift): with numeric padding
/// PyTorch's `output_size`, which accepts n … n + s − 1 where n is the size
/// with a = 0; with SAME or VALID TensorFlow's `output_shape`, which accepts
/// exactly the sizes whose forward convolution under that rule gives i′
/// back. Without a requested size SAME gives o′ = i′·s and VALID gives
/// o′ = i′·s + max(d(k−1) + 1 − s, 0), as Keras does.
public struct TransposedConvolutionGeometry: Hashable, Sendable {
    /// The convolution from this transposed convolution's output back to its input.
    public let convolution: ConvolutionGeometry
    /// The extra size added at the end of each dimension: PyTorch's
    /// `output_padding`, and under SAME or VALID the a that PyTorch's size
    /// formula would need with the padding SAME or VALID resolves to.
    public let outputPadding: [Int]
    /// The padding rule as it was described: explicit amounts (PyTorch's
    /// `padding`, which crops the output; numbers are kept as `.explicit`) or
    /// TensorFlow's SAME or VALID, whose output size rules differ.
    public let padding: Padding

    /// Spatial size of the transposed convolution's input (the convolution's output).
    public var inputSize: [Int] { convolution.outputSize }
    /// Spatial size of the transposed convolution's output (the convolution's input).
    public var outputSize: [Int] { convolution.inputSize }
    /// Channels entering the transposed convolution.
    public var inChannels: Int { convolution.outChannels }
    /// Channels leaving the transposed convolution.
    public var outChannels: Int { convolution.inChannels }
    /// Kernel shape in PyTorch's ConvTranspose order, [C_in, C_out/groups, k…];
    /// the same array is the convolution's `[C_out, C_in/groups, k…]` kernel.
    public var weightShape: [Int] { convolution.weightShape }

    /// Describes a transposed convolution and checks that it exists.
    ///
    /// Give either `outputPadding` (PyTorch's `output_padding`) or
    /// `outputSize` (PyTorch's `output_size` with numeric padding,
    /// TensorFlow's `output_shape` spatial part with SAME or VALID), not both.
    /// Lists take one value per dimension or one for all.
    ///
    /// - Parameters:
    ///   - inputSize: i′ per spatial dimension.
    ///   - kernelSize: k per spatial dimension, as for the convolution it transposes.
    ///   - stride: s, the convolution's stride: the spacing at which each input element's kernel copy is written.
    ///   - dilation: d, the spacing between kernel taps.
    ///   - padding: numbers (PyTorch: crops the output), SAME or VALID (TensorFlow).
    ///   - paddingMode: what fills the padding of the convolution C whose transpose this is. Anything but
    ///     zeros makes the operation Cᵀ of a convolution with copies in its padding — that convolution's input
    ///     gradient; PyTorch's ConvTranspose layers themselves take only zeros.
    ///   - outputPadding: a per dimension, each below max(stride, dilation); numeric padding only.
    ///   - requested: `outputSize`, the wanted output size, judged by PyTorch's `output_size`
    ///     rule (numeric padding) or TensorFlow's `output_shape` rule (SAME, VALID).
    ///   - inChannels: the transposed convolution's own input channels (C's output channels).
    ///   - outChannels: its output channels (C's input channels).
    ///   - groups: channel groups; both channel counts must be divisible by it.
    /// - Throws: `GeometryError` naming the field that makes the operation
    ///   impossible; a refused `outputSize` quotes every dimension's valid range.
    public init(
        inputSize: [Int],
        kernelSize: [Int],
        stride: [Int] = [1],
        dilation: [Int] = [1],
        padding: Padding = .symmetric([0]),
        paddingMode: PaddingMode = .zeros,
        outputPadding: [Int] = [0],
        outputSize requested: [Int]? = nil,
        inChannels: Int = 1,
        outChannels: Int = 1,
        groups: Int = 1
    ) throws(GeometryError) {
        let rank = inputSize.count
        let settings = try CheckedSettings(
            input: inputSize, kernel: kernelSize, stride: stride, dilation: dilation,
            inChannels: inChannels, outChannels: outChannels, groups: groups)
        let (kernel, stride, dilation, spans) = (settings.kernel, settings.stride, settings.dilation, settings.spans)
        var outputPadding = try broadcast(outputPadding, field: "output_padding", rank: rank)
        for d in 0..<rank where outputPadding[d] < 0 {
            throw .tooSmall(field: "output_padding[\(d)]", value: outputPadding[d], minimum: 0)
        }
        let requestedSize = try requested.map { sizes throws(GeometryError) in
            try broadcast(sizes, field: "output_size", rank: rank)
        }
        if requestedSize != nil && outputPadding.contains(where: { $0 != 0 }) {
            throw .invalid(field: "output_padding", reason: "cannot be combined with \(field: "output_size"); give one of them")
        }

        let convolution: ConvolutionGeometry
        switch padding {
        case .symmetric, .explicit:
            let (before, after) = try padding.resolve(
                inputSize: inputSize, kernelSize: kernel, stride: stride, dilation: dilation)
            if let requestedSize {
                try Self.check(
                    requestedSize, rule: .pytorchOutputSize, input: inputSize, stride: stride, spans: spans,
                    before: before, after: after)
            }
            var output = [Int]()
            for d in 0..<rank {
                let natural = try Self.naturalSize(
                    input: inputSize[d], stride: stride[d], span: spans[d], paddingBefore: before[d], paddingAfter: after[d])
                if let requestedSize {
                    outputPadding[d] = requestedSize[d] - natural
                } else if outputPadding[d] >= max(stride[d], dilation[d]) {
                    throw .outputPaddingTooLarge(dimension: d, value: outputPadding[d], stride: stride[d], dilation: dilation[d])
                }
                let size = try Checked.add(natural, outputPadding[d], "transposed output size")
                if size < 1 { throw Self.croppedAway(dimension: d, natural: natural, before: before[d], after: after[d]) }
                output.append(size)
            }
            // With output_padding ≥ stride (dilation > stride) the convolution of `output`
            // has more than inputSize outputs; C keeps the first inputSize of them.
            convolution = try ConvolutionGeometry(
                inputSize: output, kernelSize: kernel, stride: stride, dilation: dilation,
                padding: .explicit(before: before, after: after), paddingMode: paddingMode,
                inChannels: outChannels, outChannels: inChannels, groups: groups,
                outputSize: inputSize)
        case .same, .valid:
            if outputPadding.contains(where: { $0 != 0 }) {
                throw .invalid(field: "output_padding", reason: "applies to numeric padding only; with SAME or VALID give the output size instead")
            }
            let output: [Int]
            if let requestedSize {
                try Self.check(
                    requestedSize, rule: padding == .same ? .tensorflowSame : .tensorflowValid,
                    input: inputSize, stride: stride, spans: spans,
                    before: [Int](repeating: 0, count: rank), after: [Int](repeating: 0, count: rank))
                output = requestedSize
            } else {
                var defaults = [Int]()
                for d in 0..<rank {
                    defaults.append(try Self.frameworkDefaultSize(input: inputSize[d], stride: stride[d], span: spans[d], padding: padding))
                }
                output = defaults
            }
            // Every size the rule accepts is one whose convolution gives inputSize back.
            convolution = try ConvolutionGeometry(
                inputSize: output, kernelSize: kernel, stride: stride, dilation: dilation,
                padding: padding, paddingMode: paddingMode, inChannels: outChannels, outChannels: inChannels, groups: groups)
            for d in 0..<rank {
                let natural = try Self.naturalSize(
                    input: inputSize[d], stride: stride[d], span: spans[d],
                    paddingBefore: convolution.paddingBefore[d], paddingAfter: convolution.paddingAfter[d])
                outputPadding[d] = output[d] - natural
            }
        }
        self.convolution = convolution
        self.outputPadding = outputPadding
        self.padding = padding.normalized(before: convolution.paddingBefore, after: convolution.paddingAfter)
    }

    /// Checks requested output sizes against `rule` in every dimension.
    ///
    /// - Throws: the padding refusal when a dimension accepts no size at all;
    ///   `GeometryError.outputSizeNotAccepted` for the first refused size,
    ///   quoting every dimension's range the way PyTorch does.
    static func check(
        _ requested: [Int], rule: OutputSizeRule, input: [Int], stride: [Int], spans: [Int],
        before: [Int], after: [Int]
    ) throws(GeometryError) {
        var ranges = [ClosedRange<Int>]()
        for d in 0..<input.count {
            guard
                let accepted = try acceptedSizes(
                    rule, input: input[d], stride: stride[d], span: spans[d],
                    paddingBefore: before[d], paddingAfter: after[d])
            else {
                let natural = try naturalSize(
                    input: input[d], stride: stride[d], span: spans[d],
                    paddingBefore: before[d], paddingAfter: after[d])
                throw croppedAway(dimension: d, natural: natural, before: before[d], after: after[d])
            }
            ranges.append(accepted)
        }
        for d in 0..<input.count where !ranges[d].contains(requested[d]) {
            throw .outputSizeNotAccepted(field: "output_size[\(d)]", value: requested[d], rule: rule, valid: ranges)
        }
    }

    /// The refusal of a padding that crops more than the transposed convolution produces.
    static func croppedAway(dimension d: Int, natural: Int, before: Int, after: Int) -> GeometryError {
        let produced = Checked.saturating { () throws(GeometryError) in
            try Checked.add(try Checked.add(natural, before, "transposed output size"), after, "transposed output size")
        }
        return .invalid(
            field: "padding[\(d)]",
            reason: "= \(before)+\(after) removes more positions than the \(produced) that the transposed convolution produces; use less padding")
    }

    /// The transposed convolution whose matrix is Cᵀ for the given convolution
    /// C: its input is C's output, its output C's input, and its output padding
    /// is the part of C's input that no window reaches,
    /// a_j = i_j − [(o_j − 1)·s_j − p_j,before − p_j,after + d_j·(k_j − 1) + 1].
    /// This is the operation of a convolution's backward pass with respect to
    /// its input (`conv_input_grad`), which exists for every convolution.
    ///
    /// - Parameter convolution: any checked convolution C; its transpose always exists.
    public init(transposing convolution: ConvolutionGeometry) {
        self.convolution = convolution
        self.padding = convolution.padding
        self.outputPadding = (0..<convolution.spatialRank).map { d in
            let span = convolution.dilation[d] * (convolution.kernelSize[d] - 1) + 1
            return convolution.inputSize[d] + convolution.paddingBefore[d] + convolution.paddingAfter[d]
                - span - (convolution.outputSize[d] - 1) * convolution.stride[d]
        }
    }

    /// The output size TensorFlow's Keras layer gives when none is asked
    /// for: i·s under SAME, i·s + max(d·(k − 1) + 1 − s, 0) under VALID.
    static func frameworkDefaultSize(input: Int, stride: Int, span: Int, padding: Padding) throws(GeometryError) -> Int {
        let grown = try Checked.multiply(input, stride, "transposed output size")
        return padding == .same ? grown : try Checked.add(grown, max(span - stride, 0), "transposed output size")
    }

    /// Whether the output size is the one SAME or VALID gives by default (always true for numeric padding).
    var hasDefaultSize: Bool {
        guard padding == .same || padding == .valid else { return true }
        let c = convolution
        return (0..<c.spatialRank).allSatisfy { d in
            let span = c.dilation[d] * (c.kernelSize[d] - 1) + 1
            return (try? Self.frameworkDefaultSize(input: inputSize[d], stride: c.stride[d], span: span, padding: padding)) == outputSize[d]
        }
    }
}
