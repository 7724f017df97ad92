import ConvMatrixCore

/// Random case documents with their answers, for testing another
/// implementation against ConvMatrix (`convmat cases`, docs/case-format.md).
///
/// Case i of seed S is drawn from its own pseudo-random stream, seeded from
/// (S, i), so it is the same on every machine and whatever the number of
/// cases. A case is an input document of the case format with one more key,
/// `"expected"`: the output tensor `convmat run` prints for it, computed by
/// `ConvolutionCase(json:)` and `evaluate()` (the matrix C and CHOLMOD).
///
/// The drawn geometries cover 1-D to 3-D, stride and dilation 1–3 (so
/// dilation above the stride), symmetric and asymmetric padding (PyTorch's
/// `[before, after]` pairs, TensorFlow's explicit list in 2-D), `same` and
/// `valid`, PyTorch's `padding_mode` (reflect, replicate and circular for
/// `conv` and `conv_input_grad`), groups, `output_padding` (up to max(stride, dilation) − 1),
/// TensorFlow `output_shape` anywhere in its valid range, batches of 1–2 and
/// channel counts above 1. Data are multiples of 1/4 in −2 … 2, so every
/// product and sum is exact in Float64 and any summation order gives the
/// expected numbers bit for bit.
public struct CaseGenerator: Sendable {
    /// The operations to draw from.
    public var operations: [ConvolutionCase.Operation] = ConvolutionCase.Operation.allCases
    /// The layout of every case.
    public var layout: ConvolutionCase.Layout = .pytorch
    /// The spatial ranks to draw from (each 1 or more).
    public var ranks: [Int] = [1, 2, 3]
    /// The largest spatial extent of any tensor of a case (input, output, padded input), at least 1.
    public var maxSize = 8
    /// The largest channel count (input and output), at least 1.
    public var maxChannels = 3
    /// The most multiply-adds a case may cost: nonzeros of C times the batch size.
    public var maxWork = 100_000
    /// The padding modes drawn for PyTorch `conv` and `conv_input_grad` cases
    /// (`conv_transpose` and the tensorflow layout take only zeros): by default all four,
    /// zeros in half of those cases and each of the others in a sixth.
    public var paddingModes: [PaddingMode] = PaddingMode.allCases

    /// The largest number of cases one call may ask for.
    public static let countLimit = 100_000

    /// A generator with the default settings.
    public init() {}

    /// Refuses settings that cannot produce a case.
    ///
    /// - Throws: `CaseError.setting` naming the setting (`op`, `dims`, `max_size`, `max_channels`, `max_work`, `padding_modes`).
    public func check() throws(CaseError) {
        if operations.isEmpty { throw .setting(field: "op", reason: "names no operation") }
        if paddingModes.isEmpty { throw .setting(field: "padding_modes", reason: "names no padding mode") }
        if !paddingModes.contains(.zeros) {
            if layout == .tensorflow {
                throw .setting(field: "padding_modes", reason: "leaves out zeros, the only padding mode of the tensorflow layout")
            }
            if operations == [.convTranspose] {
                throw .setting(field: "padding_modes", reason: "leaves out zeros, the only padding mode of conv_transpose (PyTorch's ConvTranspose)")
            }
        }
        if ranks.isEmpty { throw .setting(field: "dims", reason: "names no spatial rank") }
        if let rank = ranks.first(where: { $0 < 1 || $0 > 6 }) {
            throw .setting(field: "dims", reason: "has \(rank); spatial ranks 1 … 6 can be drawn")
        }
        if maxSize < 1 || maxSize > 64 { throw .setting(field: "max_size", reason: "= \(maxSize) must be between 1 and 64") }
        if maxChannels < 1 || maxChannels > 16 { throw .setting(field: "max_channels", reason: "= \(maxChannels) must be between 1 and 16") }
        if maxWork < 1 { throw .setting(field: "max_work", reason: "= \(maxWork) must be at least 1") }
    }

    /// The attempts at drawing a case within the limits before giving up.
    static let attempts = 10_000

    /// Case `index` (from 0) of `seed`: a case document with `"expected"`, as one line of JSON.
    ///
    /// - Throws: `CaseError.setting` when the settings are refused (see
    ///   `check()`) or no drawn case fits them (`max_work` or `max_size` too small).
    /// - Parameters:
    ///   - seed: the seed of the whole set; the same seed and index give the same case on every machine.
    ///   - index: the case's position in the set, from 0; cases are independent, so any one can be made alone.
    /// - Returns: the document, without a trailing newline.
    public func document(seed: UInt64, index: Int) throws(CaseError) -> String {
        try check()
        var random = SplitMix64(seed: seed &+ UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03)
        let limits = geometryLimits
        for _ in 0..<Self.attempts {
            guard let drawn = draw(limits, &random) else { continue }
            guard
                Checked.saturating({ () throws(GeometryError) in
                    try Checked.multiply(drawn.geometry.nonzeroCount, drawn.batchSize, "work")
                }) <= maxWork
            else { continue }
            return drawn.document(expected: try drawn.evaluate())
        }
        throw .setting(
            field: "max_work", reason: "= \(maxWork) with \(field: "max_size") = \(maxSize): no case of the chosen kinds fits; allow more work or larger sizes")
    }

    /// What `draw` asks of `GeometryDraw`: kernel, stride and dilation 1–3,
    /// batches of 1–2, channel counts up to `maxChannels` (groups among their
    /// common divisors in three cases of ten, one channel each way in one of
    /// five of the rest), padding SAME, VALID, symmetric or asymmetric (one,
    /// one, two and two in six) of 0–2 on a side, always a rule the layout's
    /// framework can call, `paddingModes` (`drawnPaddingModes`), and a transposed convolution's input 1–4.
    var geometryLimits: GeometryLimits {
        GeometryLimits(
            operations: operations.map(\.drawn), convention: layout == .tensorflow ? .tensorflow : .pytorch, frameworkCallable: true,
            ranks: ranks, kernel: Array(1...3), stride: Array(1...3), dilation: Array(1...3), batch: [1, 2],
            channels: .totals(channels: Array(1...maxChannels), groupedShare: 0.3, singleShare: 0.2),
            paddingForms: [.same, .valid, .symmetric, .symmetric, .asymmetric, .asymmetric], padding: Array(0...2),
            paddingModes: layout == .tensorflow ? [.zeros] : drawnPaddingModes,
            size: 1...maxSize, transposedInput: 1...max(1, min(4, maxSize)), sameInputHoldsKernel: true)
    }

    /// `paddingModes` as drawn: zeros, when it is among them, as often as all the others together
    /// (zeros, zeros, zeros, reflect, replicate, circular for all four), the list unchanged otherwise.
    var drawnPaddingModes: [PaddingMode] {
        let others = PaddingMode.allCases.filter { $0 != .zeros && paddingModes.contains($0) }
        guard paddingModes.contains(.zeros), !others.isEmpty else { return PaddingMode.allCases.filter(paddingModes.contains) }
        return [PaddingMode](repeating: .zeros, count: others.count) + others
    }

    /// One attempt: a case that the case format can write, or nil when the
    /// drawn numbers make none within the limits.
    private func draw(_ limits: GeometryLimits, _ random: inout SplitMix64) -> ConvolutionCase? {
        guard let drawn = GeometryDraw.draw(limits, using: &random), let found = drawn.convolutionOperator(limits) else { return nil }
        let op = ConvolutionCase.Operation(drawn.operation)
        // The convolution C maps x (`inChannels`) to y (`outChannels`).
        let geometry = found.convolution
        let batch = drawn.batch
        // Tensors in PyTorch order first: the operand is x for conv, y otherwise.
        let operandShape = op == .conv ? [batch, geometry.inChannels] + geometry.inputSize : [batch, geometry.outChannels] + geometry.outputSize
        let weightShape = geometry.weightShape
        guard operandShape.reduce(1, *) <= 1 << 16, weightShape.reduce(1, *) <= 1 << 16 else { return nil }
        // The operand holds one sample per column, each [C, spatial…]: the PyTorch order the data are drawn in.
        let operand = quarters(operandShape.reduce(1, *), &random)
        let weights = quarters(weightShape.reduce(1, *), &random)
        do {
            let kernel = try Kernel(weights, geometry: geometry, field: "weight")
            return try ConvolutionCase(
                operation: op, layout: layout, kernel: kernel,
                operand: DenseMatrix(rowCount: operand.count / batch, columnCount: batch, values: operand))
        } catch {
            return nil
        }
    }
}

extension ConvolutionCase.Operation {
    /// The operation `GeometryDraw` draws for this one.
    package var drawn: GeometryLimits.Operation {
        switch self {
        case .conv: return .convolution
        case .convTranspose: return .transposed
        case .convInputGrad: return .inputGradient
        }
    }

    /// The case-format operation of a drawn one.
    ///
    /// - Parameter drawn: the operation of a `GeometryDraw`.
    package init(_ drawn: GeometryLimits.Operation) {
        switch drawn {
        case .convolution: self = .conv
        case .transposed: self = .convTranspose
        case .inputGradient: self = .convInputGrad
        }
    }
}

/// `count` multiples of 1/4 in −2 … 2: exact in Float64, and so are their products and sums here.
private func quarters(_ count: Int, _ random: inout SplitMix64) -> [Double] {
    (0..<count).map { _ in Double(random.int(in: -8...8)) / 4 }
}
