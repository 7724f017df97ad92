import ConvMatrixCore

/// The shapes of a pooling layer, as PyTorch's `MaxPool{1,2,3}d` and
/// `AvgPool{1,2,3}d` take them: kernel, stride (the kernel size unless
/// given), symmetric zero padding and `ceil_mode`; channels are pooled one
/// by one and never mix (Dumoulin & Visin, *A guide to convolution
/// arithmetic for deep learning*, §3: pooling arithmetic).
///
/// In dimension j PyTorch computes the output size as
///
///     o_j = ⌊(i_j + 2p_j − k_j + (ceil_mode ? s_j − 1 : 0)) / s_j⌋ + 1
///
/// and, with `ceil_mode`, drops the last window when it would start past
/// the input and its left padding: if (o_j − 1)·s_j ≥ i_j + p_j then
/// o_j − 1. PyTorch also requires p_j ≤ k_j / 2 (integer division) and
/// o_j ≥ 1. Window q reads positions q·s − p … q·s − p + k − 1; those
/// outside the input are padding.
public struct PoolingGeometry: Hashable, Sendable {
    /// Spatial size of the input, per dimension.
    public let inputSize: [Int]
    /// Spatial size of the pooling window, per dimension.
    public let kernelSize: [Int]
    /// Step between windows, per dimension.
    public let stride: [Int]
    /// Zeros (for max pooling: −∞) added on both sides, per dimension.
    public let padding: [Int]
    /// PyTorch's `ceil_mode`: round the output size up, keeping a last window that hangs over the end.
    public let ceilMode: Bool
    /// Channels, pooled independently.
    public let channels: Int
    /// Spatial size of the output, per dimension.
    public let outputSize: [Int]

    /// Describes a pooling layer and checks it as PyTorch does.
    ///
    /// - Parameters:
    ///   - inputSize: i per spatial dimension.
    ///   - kernelSize: k, one value for all dimensions or one each.
    ///   - stride: s; nil means the kernel size (PyTorch's default).
    ///   - padding: p on both sides, at most k/2.
    ///   - ceilMode: PyTorch's `ceil_mode`.
    ///   - channels: channels of input and output.
    /// - Throws: `GeometryError` naming the field: a size below 1, a padding
    ///   above half the kernel, an output size below 1, or a count beyond 64 bits.
    public init(
        inputSize: [Int], kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0],
        ceilMode: Bool = false, channels: Int = 1
    ) throws(GeometryError) {
        let rank = inputSize.count
        guard rank >= 1 else { throw .invalid(field: "input", reason: "needs at least one spatial dimension") }
        for (d, size) in inputSize.enumerated() where size < 1 { throw .tooSmall(field: "input[\(d)]", value: size, minimum: 1) }
        let kernel = try broadcast(kernelSize, field: "kernel", rank: rank)
        let stride = try broadcast(stride ?? kernel, field: "stride", rank: rank)
        let padding = try broadcast(padding, field: "padding", rank: rank)
        if channels < 1 { throw .tooSmall(field: "in_channels", value: channels, minimum: 1) }
        var output = [Int]()
        for d in 0..<rank {
            if kernel[d] < 1 { throw .tooSmall(field: "kernel[\(d)]", value: kernel[d], minimum: 1) }
            if stride[d] < 1 { throw .tooSmall(field: "stride[\(d)]", value: stride[d], minimum: 1) }
            if padding[d] < 0 { throw .tooSmall(field: "padding[\(d)]", value: padding[d], minimum: 0) }
            if padding[d] > kernel[d] / 2 {
                throw .invalid(
                    field: "padding[\(d)]",
                    reason:
                        "= \(padding[d]) must be at most half of \(field: "kernel[\(d)]") = \(kernel[d]), that is \(kernel[d] / 2) (PyTorch: \"pad should be at most half of effective kernel size\")"
                )
            }
            let size = try Self.outputSize(input: inputSize[d], kernel: kernel[d], stride: stride[d], padding: padding[d], ceilMode: ceilMode, dimension: d)
            if size < 1 {
                throw .invalid(
                    field: "kernel[\(d)]",
                    reason:
                        "= \(kernel[d]) is larger than the padded \(field: "input[\(d)]") = \(inputSize[d]) + 2·\(padding[d]): the output size would be \(size) (PyTorch: \"Output size is too small\")"
                )
            }
            output.append(size)
        }
        let inputVolume = try Checked.product(inputSize, "input volume", field: "input")
        let outputVolume = try Checked.product(output, "output volume", field: "input")
        _ = try Checked.multiply(channels, inputVolume, "number of columns (channels × input volume)", field: "in_channels")
        _ = try Checked.multiply(channels, outputVolume, "number of rows (channels × output volume)", field: "in_channels")
        _ = try Checked.product(kernel, "window volume", field: "kernel")
        self.inputSize = inputSize
        self.kernelSize = kernel
        self.stride = stride
        self.padding = padding
        self.ceilMode = ceilMode
        self.channels = channels
        self.outputSize = output
    }

    /// PyTorch's `pooling_output_shape` for one dimension:
    /// ⌊(i + 2p − k + (ceil ? s − 1 : 0)) / s⌋ + 1 (rounded towards −∞), less
    /// one in ceil mode when that last window would start at or past i + p.
    static func outputSize(input: Int, kernel: Int, stride: Int, padding: Int, ceilMode: Bool, dimension d: Int) throws(GeometryError) -> Int {
        let padded = try Checked.add(input, try Checked.multiply(2, padding, "padded input", field: "padding[\(d)]"), "padded input", field: "input[\(d)]")
        var reach = padded - kernel
        if ceilMode { reach = try Checked.add(reach, stride - 1, "pooling output size", field: "stride[\(d)]") }
        // ⌊reach / s⌋ rounded towards −∞ (PyTorch's div_rtn), written so that no step leaves 64 bits.
        let quotient = reach >= 0 ? reach / stride : -((-reach - 1) / stride) - 1
        var size = quotient + 1
        if ceilMode && size >= 1 {
            let lastStart = (size - 1).multipliedReportingOverflow(by: stride)
            if lastStart.overflow || lastStart.partialValue >= input + padding { size -= 1 }
        }
        return size
    }

    /// The number of spatial dimensions.
    package var spatialRank: Int { inputSize.count }
    /// Input positions per channel.
    package var inputVolume: Int { inputSize.reduce(1, *) }
    /// Output positions per channel.
    package var outputVolume: Int { outputSize.reduce(1, *) }
    /// Positions per window, Π k_j.
    package var windowVolume: Int { kernelSize.reduce(1, *) }
    /// Rows of the pooling matrix: channels × Π o_j.
    public var rowCount: Int { channels * outputVolume }
    /// Columns of the pooling matrix: channels × Π i_j.
    public var columnCount: Int { channels * inputVolume }

    /// Per dimension, window `q`'s first position and PyTorch's average-pooling
    /// end: start = q·s − p, end = min(start + k, i + p). Its divisor with
    /// `count_include_pad` (PyTorch's default) is Π (end − start): padding
    /// zeros count, but a window that hangs past the padding (ceil mode)
    /// counts only what lies within the padded input.
    func window(_ q: Int, dimension d: Int) -> (start: Int, end: Int) {
        let start = q * stride[d] - padding[d]
        // min(start + k, i + p) without forming start + k, which a huge kernel could take past 64 bits.
        let limit = inputSize[d] + padding[d]
        return (start, kernelSize[d] >= limit - start ? limit : start + kernelSize[d])
    }
}

extension PoolingGeometry {
    /// Pooling described with the fields of a convolution (the CLI's flags):
    /// `input`, `kernel`, `stride` (nil: the kernel size), numeric symmetric
    /// `padding`, and `in_channels` as the channel count. Fields a pooling
    /// layer does not have are refused by name.
    ///
    /// - Throws: `GeometryError` naming the field that does not apply or is invalid.
    /// - Parameters:
    ///   - fields: the convolution fields the user filled.
    ///   - stride: the pooling stride, per dimension or one for all; nil means the kernel size, as in PyTorch.
    ///   - ceilMode: PyTorch's `ceil_mode`: round the output size up, keeping a last window that starts inside the input or left padding.
    public init(_ fields: ConvolutionFields, stride: [Int]?, ceilMode: Bool) throws(GeometryError) {
        if fields.dilation.contains(where: { $0 != 1 }) {
            throw .invalid(field: "dilation", reason: "does not apply to pooling here (PyTorch's AvgPool has no dilation)")
        }
        if fields.groups != 1 { throw .invalid(field: "groups", reason: "does not apply to pooling: every channel is pooled on its own") }
        if fields.outChannels != 1 && fields.outChannels != fields.inChannels {
            throw .invalid(
                field: "out_channels",
                reason:
                    "= \(fields.outChannels) does not apply to pooling, which keeps the \(fields.inChannels) channel\(fields.inChannels == 1 ? "" : "s") of \(field: "in_channels")"
            )
        }
        if fields.outputPadding != nil { throw .invalid(field: "output_padding", reason: "applies to transposed convolutions, not to pooling") }
        if fields.outputSize != nil { throw .invalid(field: "output_size", reason: "applies to transposed convolutions, not to pooling") }
        if fields.paddingMode != .zeros {
            throw .invalid(
                field: "padding_mode", reason: "= \(fields.paddingMode.rawValue) does not apply to pooling: PyTorch's pooling layers take no padding_mode")
        }
        let padding: [Int]
        switch fields.padding {
        case .symmetric(let amounts): padding = amounts
        case .valid: padding = [0]
        case .explicit(let before, let after) where before == after: padding = before
        case .explicit, .same:
            throw .invalid(field: "padding", reason: "of a pooling layer is a number per dimension, the same on both sides, as PyTorch takes it")
        }
        try self.init(
            inputSize: fields.input, kernelSize: fields.kernel, stride: stride, padding: padding,
            ceilMode: ceilMode, channels: fields.inChannels)
    }
}
