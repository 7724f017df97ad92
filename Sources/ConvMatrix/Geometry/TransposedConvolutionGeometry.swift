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
/// where a_j, the `output_padding`, picks one of the max(s_j, d_j) input
/// sizes that the convolution maps to the same i′_j; it must satisfy
/// 0 ≤ a_j < max(s_j, d_j). With TensorFlow's `SAME`/`VALID` the output size
/// is given instead (`output_shape`) and must be one that the convolution
/// maps back to i′ exactly: ⌈o′/s⌉ = i′ for SAME, ⌈(o′ − d(k−1))/s⌉ = i′ for
/// VALID. Without a requested size SAME gives o′ = i′·s and VALID gives
/// o′ = i′·s + max(d(k−1) + 1 − s, 0), as Keras does.
public struct TransposedConvolutionGeometry: Hashable, Sendable {
    /// The convolution from this transposed convolution's output back to its input.
    public let convolution: ConvolutionGeometry
    /// The extra size added at the end of each dimension (PyTorch's `output_padding`).
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
    /// `outputSize` (PyTorch's `output_size`, TensorFlow's `output_shape`
    /// spatial part), not both. Lists take one value per dimension or one for all.
    public init(
        inputSize: [Int],
        kernelSize: [Int],
        stride: [Int] = [1],
        dilation: [Int] = [1],
        padding: Padding = .symmetric([0]),
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
            var output = [Int]()
            for d in 0..<rank {
                let limit = max(stride[d], dilation[d])
                let grown = try Checked.multiply(inputSize[d] - 1, stride[d], "transposed output size")
                let minimum = try Checked.add(grown, spans[d] - before[d] - after[d], "transposed output size")
                if let requestedSize {
                    let valid = minimum...(minimum + limit - 1)
                    guard valid.contains(requestedSize[d]), requestedSize[d] >= 1 else {
                        throw .impossibleOutputSize(field: "output_size[\(d)]", value: requestedSize[d], valid: max(minimum, 1)...max(minimum + limit - 1, 1))
                    }
                    outputPadding[d] = requestedSize[d] - minimum
                } else if outputPadding[d] >= limit {
                    throw .outputPaddingTooLarge(dimension: d, value: outputPadding[d], stride: stride[d], dilation: dilation[d])
                }
                let size = minimum + outputPadding[d]
                if size < 1 {
                    throw .invalid(field: "padding[\(d)]", reason: "= \(before[d])+\(after[d]) removes more positions than the \(minimum + before[d] + after[d]) that the transposed convolution produces; use less padding")
                }
                output.append(size)
            }
            convolution = try ConvolutionGeometry(
                inputSize: output, kernelSize: kernel, stride: stride, dilation: dilation,
                padding: .explicit(before: before, after: after),
                inChannels: outChannels, outChannels: inChannels, groups: groups,
                outputSize: inputSize)
        case .same, .valid:
            if outputPadding.contains(where: { $0 != 0 }) {
                throw .invalid(field: "output_padding", reason: "applies to numeric padding only; with SAME or VALID give the output size instead")
            }
            var output = [Int]()
            for d in 0..<rank {
                if let requestedSize {
                    if requestedSize[d] < 1 { throw .tooSmall(field: "output_size[\(d)]", value: requestedSize[d], minimum: 1) }
                    output.append(requestedSize[d])
                } else {
                    output.append(try Self.frameworkDefaultSize(
                        input: inputSize[d], stride: stride[d], span: spans[d], padding: padding))
                }
            }
            let candidate: ConvolutionGeometry
            do throws(GeometryError) {
                candidate = try ConvolutionGeometry(
                    inputSize: output, kernelSize: kernel, stride: stride, dilation: dilation,
                    padding: padding, inChannels: outChannels, outChannels: inChannels, groups: groups)
            } catch {
                guard case .kernelLargerThanInput(let d, let extent, _) = error else { throw error }
                throw .invalid(field: "output_size[\(d)]", reason: "= \(output[d]) is smaller than the kernel span \(extent) under VALID padding")
            }
            for d in 0..<rank where candidate.outputSize[d] != inputSize[d] {
                throw .inconsistentOutputSize(field: "output_size[\(d)]", value: output[d], convolutionGives: candidate.outputSize[d], expected: inputSize[d])
            }
            convolution = candidate
        }
        self.convolution = convolution
        self.outputPadding = outputPadding
        self.padding = padding.normalized(before: convolution.paddingBefore, after: convolution.paddingAfter)
    }

    /// The transposed convolution whose matrix is Cᵀ for the given convolution
    /// C: its input is C's output, its output C's input, and its output padding
    /// is the part of C's input that no window reaches,
    /// a_j = i_j − [(o_j − 1)·s_j − p_j,before − p_j,after + d_j·(k_j − 1) + 1].
    /// This is the operation of a convolution's backward pass with respect to
    /// its input (`conv_input_grad`), which exists for every convolution.
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

    /// Every output size a transposed convolution with these settings can
    /// produce in `dimension`, each with the `output_padding` that selects it:
    /// o′ = (i′ − 1)s − p_before − p_after + d(k − 1) + 1 + a for 0 ≤ a < max(s, d).
    public var outputSizeChoices: [[(size: Int, outputPadding: Int)]] {
        let c = convolution
        return (0..<c.spatialRank).map { d in
            let minimum = (inputSize[d] - 1) * c.stride[d] - c.paddingBefore[d] - c.paddingAfter[d]
                + c.dilation[d] * (c.kernelSize[d] - 1) + 1
            return (0..<max(c.stride[d], c.dilation[d])).map { (minimum + $0, $0) }.filter { $0.0 >= 1 }
        }
    }
}
