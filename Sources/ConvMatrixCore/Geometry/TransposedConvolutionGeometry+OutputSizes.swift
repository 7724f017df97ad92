/// The output sizes a transposed convolution may have in one spatial
/// dimension, each set under the rule that produces it. Every set is a
/// range of consecutive sizes, so it is kept as its two ends: a stride of
/// 2⁶² costs no more than a stride of 2.
///
/// The sets differ, and saying why is the point of keeping them apart:
///
/// - `pytorchOutputPadding`, the sizes PyTorch's `output_padding` reaches,
///   go up to max(s, d) − 1 past the natural size; when the dilation d
///   exceeds the stride s, the last d − s of them are sizes from which a
///   convolution gives *more* than i′ outputs (PyTorch computes them all the
///   same, as the gradient of that convolution with its extra outputs cut).
/// - `pytorchOutputSize`, what PyTorch's `output_size` accepts, stops at
///   natural + s − 1; with numeric padding it is exactly `convolutionMapsBack`.
/// - `tensorflowSame` and `tensorflowValid` are what TensorFlow's
///   `output_shape` accepts: the sizes whose forward convolution with that
///   padding rule gives the input back. They depend on the kernel, stride
///   and dilation only, not on a numeric padding.
public struct TransposedOutputSizes: Hashable, Sendable {
    /// PyTorch's size without output padding, n = (i′ − 1)·s − p_before − p_after + d·(k − 1) + 1,
    /// with the padding as given (VALID: none); nil under SAME, which PyTorch's ConvTranspose does not take.
    public let naturalSize: Int?
    /// Sizes PyTorch reaches with `output_padding` a, 0 ≤ a < max(s, d); nil under SAME or when none is at least 1.
    public let pytorchOutputPadding: ClosedRange<Int>?
    /// Sizes PyTorch's `output_size` accepts, n … n + s − 1; nil under SAME or when none is at least 1.
    public let pytorchOutputSize: ClosedRange<Int>?
    /// Sizes TensorFlow's `output_shape` accepts under SAME, (i′ − 1)·s + 1 … i′·s.
    public let tensorflowSame: ClosedRange<Int>
    /// Sizes TensorFlow's `output_shape` accepts under VALID, (i′ − 1)·s + d·(k − 1) + 1 … that + s − 1.
    public let tensorflowValid: ClosedRange<Int>
    /// Sizes that a convolution with the same kernel, stride, dilation and
    /// padding rule maps back to i′: `pytorchOutputSize` for numeric padding,
    /// `tensorflowSame` or `tensorflowValid` for SAME or VALID; nil when none is at least 1.
    public let convolutionMapsBack: ClosedRange<Int>?

    /// Every set for one dimension.
    ///
    /// - Parameters:
    ///   - input: i′, the transposed convolution's input size (at least 1).
    ///   - kernel: k, the kernel size (at least 1).
    ///   - stride: s (at least 1).
    ///   - dilation: d (at least 1).
    ///   - padding: the rule; for numeric padding only its kind matters, the
    ///     amounts come from `paddingBefore` and `paddingAfter`.
    ///   - paddingBefore: p_before in this dimension, for numeric padding.
    ///   - paddingAfter: p_after in this dimension, for numeric padding.
    /// - Throws: `GeometryError.overflow` when an end of a set does not fit into 64 bits.
    package init(
        input: Int, kernel: Int, stride: Int, dilation: Int,
        padding: Padding, paddingBefore: Int = 0, paddingAfter: Int = 0
    ) throws(GeometryError) {
        let span = try TransposedConvolutionGeometry.span(kernel: kernel, dilation: dilation)
        tensorflowSame = try TransposedConvolutionGeometry.tensorflowSameSizes(input: input, stride: stride)
        tensorflowValid = try TransposedConvolutionGeometry.tensorflowValidSizes(input: input, stride: stride, span: span)
        switch padding {
        case .same:
            naturalSize = nil
            pytorchOutputPadding = nil
            pytorchOutputSize = nil
            convolutionMapsBack = tensorflowSame
        case .valid, .symmetric, .explicit:
            let natural = try TransposedConvolutionGeometry.naturalSize(
                input: input, stride: stride, span: span, paddingBefore: paddingBefore, paddingAfter: paddingAfter)
            naturalSize = natural
            pytorchOutputPadding = try TransposedConvolutionGeometry.outputPaddingSizes(natural: natural, stride: stride, dilation: dilation)
            pytorchOutputSize = try TransposedConvolutionGeometry.outputSizeSizes(natural: natural, stride: stride)
            convolutionMapsBack = padding == .valid ? tensorflowValid : pytorchOutputSize
        }
    }
}

extension TransposedConvolutionGeometry {
    /// The rule that judges a requested output size.
    public enum OutputSizeRule: String, Hashable, Sendable {
        /// PyTorch's `output_size` (numeric padding): n … n + s − 1.
        case pytorchOutputSize
        /// TensorFlow's `output_shape` under SAME: the sizes o′ with ⌈o′/s⌉ = i′.
        case tensorflowSame
        /// TensorFlow's `output_shape` under VALID: the sizes o′ with ⌊(o′ − d(k − 1) − 1)/s⌋ + 1 = i′.
        case tensorflowValid
        /// TensorFlow's `output_shape` with an explicit padding list: the
        /// sizes a convolution with that padding maps back to i′, the same set
        /// as PyTorch's `output_size`.
        case tensorflowExplicit

        /// The rule in words, for messages.
        public var name: String {
            switch self {
            case .pytorchOutputSize: return "PyTorch's output_size rule (natural size … natural size + stride − 1)"
            case .tensorflowSame: return "TensorFlow's output_shape rule under SAME (a SAME convolution of that size must give the input back)"
            case .tensorflowValid: return "TensorFlow's output_shape rule under VALID (a VALID convolution of that size must give the input back)"
            case .tensorflowExplicit: return "TensorFlow's output_shape rule (a convolution of that size with this padding must give the input back)"
            }
        }
    }

    /// The kernel's extent, d·(k − 1) + 1.
    static func span(kernel: Int, dilation: Int) throws(GeometryError) -> Int {
        try Checked.add(try Checked.multiply(dilation, kernel - 1, "dilation·(kernel−1)"), 1, "kernel span")
    }

    /// PyTorch's output size without `output_padding`,
    ///
    ///     n = (i′ − 1)·s − p_before − p_after + d·(k − 1) + 1,
    ///
    /// where `span` is d·(k − 1) + 1 (`torch.nn.ConvTranspose*d`'s shape formula
    /// with the padding split into its two sides). It may be below 1 when the
    /// padding crops more than the transposed convolution produces.
    static func naturalSize(input: Int, stride: Int, span: Int, paddingBefore: Int, paddingAfter: Int) throws(GeometryError) -> Int {
        let grown = try Checked.multiply(input - 1, stride, "transposed output size")
        let full = try Checked.add(grown, span, "transposed output size")
        return try Checked.subtract(try Checked.subtract(full, paddingBefore, "transposed output size"), paddingAfter, "transposed output size")
    }

    /// The sizes PyTorch's `output_padding` a reaches: n + a for
    /// 0 ≤ a < max(s, d) (PyTorch refuses "output padding must be smaller
    /// than either stride or dilation"), keeping those of at least 1:
    ///
    ///     max(n, 1) … n + max(s, d) − 1,   empty when n + max(s, d) − 1 < 1.
    static func outputPaddingSizes(natural n: Int, stride: Int, dilation: Int) throws(GeometryError) -> ClosedRange<Int>? {
        positive(n, try Checked.add(n, max(stride, dilation) - 1, "transposed output size"))
    }

    /// The sizes PyTorch's `output_size` accepts (`_ConvTransposeNd._output_padding`:
    /// "valid sizes range from" n "to" n + s − 1), keeping those of at least 1:
    ///
    ///     max(n, 1) … n + s − 1.
    ///
    /// With numeric padding these are exactly the sizes o′ that a convolution
    /// with the same settings maps back to i′: ⌊(o′ + p_before + p_after − d(k − 1) − 1)/s⌋ + 1 = i′.
    /// PyTorch checks the stride only, so with d > s the sizes n + s … n + d − 1,
    /// which `output_padding` reaches, are refused here.
    static func outputSizeSizes(natural n: Int, stride: Int) throws(GeometryError) -> ClosedRange<Int>? {
        positive(n, try Checked.add(n, stride - 1, "transposed output size"))
    }

    /// The sizes TensorFlow's `output_shape` accepts under SAME: those o′
    /// whose SAME convolution, with ⌈o′/s⌉ outputs, gives i′ back:
    ///
    ///     (i′ − 1)·s + 1 … i′·s.
    ///
    /// Kernel and dilation play no part: SAME pads whatever ⌈o′/s⌉ needs.
    static func tensorflowSameSizes(input: Int, stride: Int) throws(GeometryError) -> ClosedRange<Int> {
        let first = try Checked.add(try Checked.multiply(input - 1, stride, "transposed output size"), 1, "transposed output size")
        return first...(try Checked.multiply(input, stride, "transposed output size"))
    }

    /// The sizes TensorFlow's `output_shape` accepts under VALID: those o′ ≥
    /// d·(k − 1) + 1 whose unpadded convolution, with
    /// ⌊(o′ − d·(k − 1) − 1)/s⌋ + 1 outputs, gives i′ back:
    ///
    ///     (i′ − 1)·s + d·(k − 1) + 1 … (i′ − 1)·s + d·(k − 1) + s,
    ///
    /// where `span` is d·(k − 1) + 1.
    static func tensorflowValidSizes(input: Int, stride: Int, span: Int) throws(GeometryError) -> ClosedRange<Int> {
        let first = try Checked.add(try Checked.multiply(input - 1, stride, "transposed output size"), span, "transposed output size")
        return first...(try Checked.add(first, stride - 1, "transposed output size"))
    }

    /// The sizes the given rule accepts, as a range, or nil when it accepts
    /// none (numeric padding that crops everything).
    static func acceptedSizes(
        _ rule: OutputSizeRule, input: Int, stride: Int, span: Int,
        paddingBefore: Int, paddingAfter: Int
    ) throws(GeometryError) -> ClosedRange<Int>? {
        switch rule {
        case .tensorflowSame: return try tensorflowSameSizes(input: input, stride: stride)
        case .tensorflowValid: return try tensorflowValidSizes(input: input, stride: stride, span: span)
        case .pytorchOutputSize, .tensorflowExplicit:
            let natural = try naturalSize(input: input, stride: stride, span: span, paddingBefore: paddingBefore, paddingAfter: paddingAfter)
            return try outputSizeSizes(natural: natural, stride: stride)
        }
    }

    /// The sets of every dimension, computed from this geometry's own
    /// settings and padding rule (see `TransposedOutputSizes`).
    ///
    /// - Throws: `GeometryError.overflow` when an end of a set does not fit into 64 bits.
    /// - Returns: one `TransposedOutputSizes` per spatial dimension, in order.
    public func outputSizes() throws(GeometryError) -> [TransposedOutputSizes] {
        let c = convolution
        var sets = [TransposedOutputSizes]()
        for d in 0..<c.spatialRank {
            sets.append(
                try TransposedOutputSizes(
                    input: inputSize[d], kernel: c.kernelSize[d], stride: c.stride[d], dilation: c.dilation[d],
                    padding: padding, paddingBefore: c.paddingBefore[d], paddingAfter: c.paddingAfter[d]))
        }
        return sets
    }
}

/// first … last with first raised to 1, or nil when last < 1.
private func positive(_ first: Int, _ last: Int) -> ClosedRange<Int>? {
    last < 1 ? nil : max(first, 1)...last
}
