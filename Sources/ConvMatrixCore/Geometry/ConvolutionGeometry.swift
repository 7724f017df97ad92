/// The shapes of one N-dimensional convolution: everything needed to build
/// its matrix C except the kernel's values.
///
/// Sizes are per spatial dimension; channels follow PyTorch's
/// `Conv{1,2,3}d(in_channels, out_channels, kernel_size, stride, padding,
/// dilation, groups)`. In dimension j the output size is
///
///     o_j = ⌊(i_j + p_j,before + p_j,after − d_j·(k_j − 1) − 1) / s_j⌋ + 1
///
/// (Dumoulin & Visin's o = ⌊(i + 2p − k)/s⌋ + 1 with dilation and
/// asymmetric padding). A geometry that exists has been validated: every
/// size positive, the dilated kernel inside the padded input, channels
/// divisible by groups, and every count fits in 64 bits.
public struct ConvolutionGeometry: Hashable, Sendable {
    /// Spatial size of the input, per dimension.
    public let inputSize: [Int]
    /// Spatial size of the kernel, per dimension.
    public let kernelSize: [Int]
    /// Step between neighbouring windows, per dimension.
    public let stride: [Int]
    /// Spacing between kernel taps, per dimension (1 = an ordinary kernel).
    public let dilation: [Int]
    /// The padding rule as it was described: SAME, VALID, or explicit amounts
    /// (numbers are kept as `.explicit` with one pair per dimension, so that
    /// equal geometries compare equal); `paddingBefore` and `paddingAfter` are
    /// what it resolves to.
    public let padding: Padding
    /// Zeros added before the data (top, left), per dimension.
    public let paddingBefore: [Int]
    /// Zeros added after the data (bottom, right), per dimension.
    public let paddingAfter: [Int]
    /// What fills the padding (PyTorch's `padding_mode`): zeros, or copies of
    /// input elements (reflect, replicate, circular), so that an entry of C may sum
    /// several kernel entries. A geometry without padding always says `.zeros`.
    public let paddingMode: PaddingMode
    /// Channels of the input, C_in.
    public let inChannels: Int
    /// Channels of the output, C_out.
    public let outChannels: Int
    /// Number of channel groups; output channel o reads only the inputs of its group.
    public let groups: Int
    /// Spatial size of the output, per dimension.
    public let outputSize: [Int]

    /// Describes a convolution and checks that it exists.
    ///
    /// `stride`, `dilation` and padding lists may hold one value per
    /// dimension or a single value for all. `outputSize`, when given, keeps
    /// only the first outputs in each dimension; it serves transposed
    /// convolutions whose `output_padding` exceeds the stride (allowed when
    /// the dilation is larger), and must not exceed the natural size.
    ///
    /// - Parameters:
    ///   - inputSize: i, the input's spatial size per dimension (1, 2 or 3 dimensions).
    ///   - kernelSize: k per dimension, or one value for all.
    ///   - stride: s, the step of the window, at least 1.
    ///   - dilation: d, the spacing of the kernel taps, at least 1.
    ///   - padding: numeric amounts (PyTorch), or TensorFlow's SAME or VALID.
    ///   - paddingMode: what fills the padding (PyTorch's `padding_mode`): reflect needs each
    ///     padding below the input's extent, circular at most that extent.
    ///   - inChannels: C_in, divisible by `groups`.
    ///   - outChannels: C_out, divisible by `groups`.
    ///   - groups: channel groups; output channel o reads only the inputs of its group.
    ///   - requestedOutput: `outputSize`, the first outputs to keep per dimension, at most the natural size o =
    ///     ⌊(i + p_b + p_a − d(k−1) − 1)/s⌋ + 1; nil keeps them all.
    /// - Throws: `GeometryError` naming the field that makes the convolution impossible (a size below 1, lists of
    ///   different lengths, channels not divisible by groups, a kernel larger than the padded input, a padding
    ///   that `paddingMode` cannot fill, an overflowing size) and what would be valid.
    public init(
        inputSize: [Int],
        kernelSize: [Int],
        stride: [Int] = [1],
        dilation: [Int] = [1],
        padding: Padding = .valid,
        paddingMode: PaddingMode = .zeros,
        inChannels: Int = 1,
        outChannels: Int = 1,
        groups: Int = 1,
        outputSize requestedOutput: [Int]? = nil
    ) throws(GeometryError) {
        let rank = inputSize.count
        let settings = try CheckedSettings(
            input: inputSize, kernel: kernelSize, stride: stride, dilation: dilation,
            inChannels: inChannels, outChannels: outChannels, groups: groups)
        let (kernelSize, stride, dilation, spans) = (settings.kernel, settings.stride, settings.dilation, settings.spans)
        let (before, after) = try padding.resolve(
            inputSize: inputSize, kernelSize: kernelSize, stride: stride, dilation: dilation)
        var output = [Int]()
        for d in 0..<rank {
            try paddingMode.check(before: before[d], after: after[d], inputSize: inputSize[d], dimension: d)
            let padded = try Checked.add(
                try Checked.add(inputSize[d], before[d], "padded input", field: "padding[\(d)]"), after[d], "padded input", field: "padding[\(d)]")
            if spans[d] > padded {
                throw .kernelLargerThanInput(dimension: d, kernelExtent: spans[d], paddedInput: padded)
            }
            output.append((padded - spans[d]) / stride[d] + 1)
        }
        if let requestedOutput {
            let requested = try broadcast(requestedOutput, field: "output size", rank: rank)
            for d in 0..<rank where requested[d] < 1 || requested[d] > output[d] {
                throw .impossibleOutputSize(field: "output size[\(d)]", value: requested[d], valid: 1...output[d])
            }
            output = requested
        }
        // Every count the builder will use must fit: volumes, channels × volumes, nonzeros.
        let inputVolume = try Checked.product(inputSize, "input volume", field: "input")
        let outputVolume = try Checked.product(output, "output volume", field: "input")
        let kernelVolume = try Checked.product(kernelSize, "kernel volume", field: "kernel")
        _ = try Checked.multiply(inChannels, inputVolume, "number of columns (in_channels × input volume)", field: "in_channels")
        let rows = try Checked.multiply(outChannels, outputVolume, "number of rows (out_channels × output volume)", field: "out_channels")
        let taps = try Checked.multiply(inChannels / groups, kernelVolume, "taps per output", field: "kernel")
        _ = try Checked.multiply(rows, taps, "number of nonzeros", field: "kernel")

        self.inputSize = inputSize
        self.kernelSize = kernelSize
        self.stride = stride
        self.dilation = dilation
        self.padding = padding.normalized(before: before, after: after)
        self.paddingBefore = before
        self.paddingAfter = after
        // Without padding every mode is the same convolution; saying zeros keeps equal geometries equal.
        self.paddingMode = before.allSatisfy { $0 == 0 } && after.allSatisfy { $0 == 0 } ? .zeros : paddingMode
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.groups = groups
        self.outputSize = output
        self.inputVolume = inputVolume
        self.outputVolume = outputVolume
        self.kernelVolume = kernelVolume
        self.nonzeroCount = try NonzeroCount.of(self)
    }

    /// The number of spatial dimensions (1 for signals, 2 for images, 3 for volumes).
    package var spatialRank: Int { inputSize.count }
    /// The output size the formula gives, ⌊(i + p_before + p_after − d·(k − 1) − 1)/s⌋ + 1
    /// per dimension: `outputSize`, unless the outputs were cut (`isOutputCut`).
    package var naturalOutputSize: [Int] {
        (0..<spatialRank).map { d in
            (inputSize[d] + paddingBefore[d] + paddingAfter[d] - dilation[d] * (kernelSize[d] - 1) - 1) / stride[d] + 1
        }
    }
    /// True when C keeps only the first outputs of the convolution in some
    /// dimension: the C of a PyTorch transposed convolution whose
    /// `output_padding` is at least the stride (allowed when the dilation is larger).
    package var isOutputCut: Bool { naturalOutputSize != outputSize }
    /// Input positions per channel, Π i_j.
    package let inputVolume: Int
    /// Output positions per channel, Π o_j.
    package let outputVolume: Int
    /// Taps per kernel slice, Π k_j.
    package let kernelVolume: Int
    /// The number of nonzeros of C, counted from the geometry alone (in closed
    /// form, see `NonzeroCount`): C_out · (C_in/groups) · Π_j P_j, where P_j counts
    /// the (output, tap) pairs of dimension j that fall inside the unpadded input.
    public private(set) var nonzeroCount = 0
    /// Rows of C: C_out · Π o_j.
    public var rowCount: Int { outChannels * outputVolume }
    /// Columns of C: C_in · Π i_j.
    public var columnCount: Int { inChannels * inputVolume }
    /// Input channels each output channel reads, C_in / groups.
    package var inChannelsPerGroup: Int { inChannels / groups }
    /// Output channels each group produces, C_out / groups.
    package var outChannelsPerGroup: Int { outChannels / groups }
    /// The kernel tensor's shape in PyTorch order, [C_out, C_in/groups, k…].
    public var weightShape: [Int] { [outChannels, inChannelsPerGroup] + kernelSize }
    /// Entries of the kernel tensor.
    package var weightCount: Int { weightShape.reduce(1, *) }
}

extension ConvolutionGeometry {
    /// The same convolution applied to an input that already holds its
    /// padding: input p_before + i + p_after per dimension, no padding, the
    /// same kernel, stride, dilation, channels and outputs. Its C is the C of
    /// this geometry over the padded input; with zero padding C is its
    /// columns at the data, with another `PaddingMode` C is its product with
    /// the 0/1 matrix that pads (each padded position a copy of one input element).
    ///
    /// - Throws: `GeometryError.overflow` when the padded size does not fit into 64 bits.
    package func overPaddedInput() throws(GeometryError) -> ConvolutionGeometry {
        let padded = try (0..<spatialRank).map { d throws(GeometryError) in
            try Checked.add(
                try Checked.add(inputSize[d], paddingBefore[d], "padded input", field: "padding[\(d)]"), paddingAfter[d], "padded input",
                field: "padding[\(d)]")
        }
        return try ConvolutionGeometry(
            inputSize: padded, kernelSize: kernelSize, stride: stride, dilation: dilation, padding: .valid,
            inChannels: inChannels, outChannels: outChannels, groups: groups, outputSize: outputSize)
    }

    /// The (output, tap) pairs that read an input element, an upper bound on
    /// the terms of the routes and products: nnz(C) with zero padding, where
    /// every pair is one entry; with another `PaddingMode` every tap reads
    /// one, rows · (C_in/groups) · Π k_j, saturating at `Int.max`.
    package var readCount: Int {
        guard paddingMode != .zeros else { return nonzeroCount }
        return Checked.saturating { () throws(GeometryError) in
            try Checked.product([rowCount, inChannelsPerGroup, kernelVolume], "reads")
        }
    }
}
