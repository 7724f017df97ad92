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
/// Each case first draws its operation and its spatial rank, each evenly
/// from its list, and whether its data are dyadic or real; then a geometry
/// of that operation and rank, drawn again until one fits the limits, so
/// that no operation or rank is rarer because its geometries fit less often.
/// The defaults cover 1-D to 3-D, stride and dilation 1–3 (so dilation above
/// the stride), symmetric and asymmetric padding (PyTorch's `[before, after]`
/// pairs, TensorFlow's explicit list in 2-D), `same` and `valid` (PyTorch's
/// `"same"` at stride 1, in about 10 % of a pytorch set), PyTorch's
/// `padding_mode` (reflect, replicate and circular for `conv`,
/// `conv_input_grad` and `conv_weight_grad`), groups with several channels
/// per group, `output_padding` (up to max(stride, dilation) − 1), TensorFlow
/// `output_shape` anywhere in its valid range, batches of 1–2, channel counts
/// up to 4, extents up to 16 (so outputs wider than 8), and a `bias` on half of
/// the `conv` and `conv_transpose` cases.
///
/// Half the cases hold dyadic data, multiples of 1/4 in −2 … 2, so every
/// product and sum is exact in Float64 and any summation order gives the
/// expected numbers bit for bit. The other half hold real numbers in [−1, 1)
/// with 53 significant bits and carry `"expected.tolerance"`: per element the
/// largest difference a correct Float64 implementation may show, whatever
/// its order of summation (`ConvolutionCase.roundingBound()`), small enough
/// that rounding the data or the sums to Float32 shows.
public struct CaseGenerator: Sendable {
    /// The operations to draw from.
    public var operations: [ConvolutionCase.Operation] = ConvolutionCase.Operation.allCases
    /// The layout of every case.
    public var layout: ConvolutionCase.Layout = .pytorch
    /// The spatial ranks to draw from (each 1 or more).
    public var ranks: [Int] = [1, 2, 3]
    /// The largest spatial extent of any tensor of a case (input, output, padded input), at least 1;
    /// a tensor also has at most `maxSize`² spatial positions, so 3-D cases stay small.
    public var maxSize = 16
    /// The largest channel count (input and output), at least 1.
    public var maxChannels = 4
    /// The most multiply-adds a case may cost: nonzeros of C times the batch size.
    public var maxWork = 100_000
    /// The padding modes drawn for PyTorch `conv`, `conv_input_grad` and `conv_weight_grad` cases
    /// (`conv_transpose` and the tensorflow layout take only zeros): by default all four,
    /// zeros drawn in half of those cases and each of the others in a sixth (a case without
    /// padding is written without a mode).
    public var paddingModes: [PaddingMode] = PaddingMode.allCases
    /// Whether `conv` and `conv_transpose` cases may carry a `bias` (half of them do when true).
    package var drawsBias = true
    /// The largest stride (1 … 8).
    package var maxStride = 3
    /// The largest dilation (1 … 8).
    package var maxDilation = 3
    /// The padding forms drawn (`--paddings`): numbers the same on both sides, `[before, after]`
    /// pairs, SAME and VALID.
    package var paddingForms: [GeometryLimits.PaddingForm] = [.symmetric, .asymmetric, .same, .valid]
    /// Whether PyTorch cases may have groups (in three of ten, among the channel counts' common divisors).
    package var drawsGroups = true
    /// Whether transposed convolutions may have an output above the smallest its rule accepts (`output_padding`).
    package var drawsOutputPadding = true
    /// The largest batch (1 … 16).
    package var maxBatch = 2
    /// Which data the cases hold.
    package var data: CaseData = .both

    /// The numbers in a case's tensors.
    package enum CaseData: String, CaseIterable, Sendable {
        /// Multiples of 1/4 in −2 … 2: every sum exact, no tolerance.
        case dyadic
        /// Reals in [−1, 1) with 53 significant bits, and `"expected.tolerance"`.
        case real
        /// Half of each, case by case.
        case both
    }

    /// The largest number of cases one call may ask for.
    public static let countLimit = 100_000

    /// A generator with the default settings.
    public init() {}

    /// Refuses settings that cannot produce a case.
    ///
    /// - Throws: `CaseError.setting` naming the setting (`op`, `ops`, `dims`, `max_size`, `max_channels`,
    ///   `max_work`, `padding_modes`, `max_stride`, `max_dilation`, `paddings`, `batch`), also when a
    ///   list names an item twice.
    public func check() throws(CaseError) {
        if operations.isEmpty { throw .setting(field: "op", reason: "names no operation") }
        // A name given twice would be drawn twice as often, which no one asks for on purpose.
        func repeated<Item: Hashable>(_ items: [Item]) -> Item? {
            var seen = Set<Item>()
            return items.first { !seen.insert($0).inserted }
        }
        if let twice = repeated(operations) { throw .setting(field: "ops", reason: "names \(twice.rawValue) twice; name each operation once") }
        if let twice = repeated(paddingModes) {
            throw .setting(field: "padding_modes", reason: "names \(twice.rawValue) twice; name each mode once")
        }
        if let twice = repeated(ranks) { throw .setting(field: "dims", reason: "names \(twice) twice; name each rank once") }
        if let twice = repeated(paddingForms) { throw .setting(field: "paddings", reason: "names \(twice) twice; name each form once") }
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
        if maxStride < 1 || maxStride > 8 { throw .setting(field: "max_stride", reason: "= \(maxStride) must be between 1 and 8") }
        if maxDilation < 1 || maxDilation > 8 { throw .setting(field: "max_dilation", reason: "= \(maxDilation) must be between 1 and 8") }
        if maxBatch < 1 || maxBatch > 16 { throw .setting(field: "batch", reason: "= \(maxBatch) must be between 1 and 16") }
        if paddingForms.isEmpty { throw .setting(field: "paddings", reason: "names no padding form") }
        let numeric = paddingForms.contains(.symmetric) || paddingForms.contains(.asymmetric)
        if layout == .pytorch && !numeric, let other = operations.first(where: { $0 != .conv }) {
            throw .setting(
                field: "paddings",
                reason: "names only same or valid, which PyTorch takes for conv alone; \(other.rawValue) needs symmetric or asymmetric padding")
        }
        if layout == .tensorflow && !paddingForms.contains(.same) && !paddingForms.contains(.valid) && ranks.contains(where: { $0 != 2 }) {
            throw .setting(
                field: "paddings",
                reason: "names only explicit padding, which TensorFlow takes in 2-D alone (tf.nn.conv2d); add same or valid, or draw --dims 2")
        }
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
        // The kind of case first, each evenly, then geometries of that kind until one fits.
        let operation = random.element(of: operations)
        let rank = random.element(of: ranks)
        let real = data == .real || (data == .both && random.bool())
        var limits = geometryLimits(operation)
        limits.ranks = [rank]
        for _ in 0..<Self.attempts {
            guard let drawn = draw(limits, real: real, &random) else { continue }
            let expected = try drawn.evaluate()
            guard real else { return drawn.document(expected: expected) }
            return drawn.document(expected: expected, tolerance: try drawn.roundingBound())
        }
        throw .setting(
            field: "max_work", reason: "= \(maxWork) with \(field: "max_size") = \(maxSize): no case of the chosen kinds fits; allow more work or larger sizes")
    }

    /// What `draw` asks of `GeometryDraw` for `operation` (every operation of `operations` when nil):
    /// kernel 1–3, stride 1 … `maxStride`, dilation 1 … `maxDilation`, batches of 1 … `maxBatch`,
    /// channel counts up to `maxChannels` (groups among their common divisors in three cases of ten
    /// when `drawsGroups`, one channel each way in one of five of the rest), the padding forms of
    /// `paddingForms` — for a PyTorch `conv` with SAME twice as likely as each of the others, so
    /// that its `"same"` (stride 1, conv only) is not rare, and for the other PyTorch operations,
    /// which take no `"same"`, without it — 0–2 on a side, always a rule the layout's framework can
    /// call, `paddingModes` (`drawnPaddingModes`), a transposed convolution's input 1–4, and at
    /// most `maxWork` multiply-adds.
    func geometryLimits(_ operation: ConvolutionCase.Operation? = nil) -> GeometryLimits {
        var forms = paddingForms
        if layout == .pytorch, let operation {
            forms = operation == .conv ? forms.flatMap { $0 == .same ? [$0, $0] : [$0] } : forms.filter { $0 != .same }
        }
        return GeometryLimits(
            operations: (operation.map { [$0] } ?? operations).map(\.drawn), convention: layout == .tensorflow ? .tensorflow : .pytorch,
            frameworkCallable: true, ranks: ranks, kernel: Array(1...3), stride: Array(1...maxStride), dilation: Array(1...maxDilation),
            batch: Array(1...maxBatch), channels: .totals(channels: Array(1...maxChannels), groupedShare: drawsGroups ? 0.3 : 0, singleShare: 0.2),
            paddingForms: forms, padding: Array(0...2),
            paddingModes: layout == .tensorflow ? [.zeros] : drawnPaddingModes,
            size: 1...maxSize, transposedInput: 1...max(1, min(4, maxSize)), outputPadding: drawsOutputPadding, sameInputHoldsKernel: true,
            maxWork: maxWork)
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
    private func draw(_ limits: GeometryLimits, real: Bool, _ random: inout SplitMix64) -> ConvolutionCase? {
        guard let drawn = GeometryDraw.draw(limits, using: &random), let found = drawn.convolutionOperator(limits) else { return nil }
        let op = ConvolutionCase.Operation(drawn.operation)
        // The convolution C maps x (`inChannels`) to y (`outChannels`).
        let geometry = found.convolution
        let batch = drawn.batch
        // At most maxSize² positions in any tensor: 3-D cases stay small while 1-D and 2-D ones reach maxSize.
        let positions = maxSize * maxSize
        let padded = (0..<geometry.spatialRank).map { geometry.paddingBefore[$0] + geometry.inputSize[$0] + geometry.paddingAfter[$0] }
        guard [geometry.inputSize, geometry.outputSize, padded].allSatisfy({ $0.reduce(1, *) <= positions }) else { return nil }
        // Tensors in PyTorch order first: the operand is x for conv, y otherwise.
        let operandShape = op.readsInput ? [batch, geometry.inChannels] + geometry.inputSize : [batch, geometry.outChannels] + geometry.outputSize
        let weightShape = geometry.weightShape
        guard operandShape.reduce(1, *) <= 1 << 16, weightShape.reduce(1, *) <= 1 << 16 else { return nil }
        func numbers(_ count: Int, _ random: inout SplitMix64) -> [Double] {
            real ? reals(count, &random) : quarters(count, &random)
        }
        // The operand holds one sample per column, each [C, spatial…]: the PyTorch order the data are drawn in.
        let operand = numbers(operandShape.reduce(1, *), &random)
        let weights = numbers(weightShape.reduce(1, *), &random)
        // A bias, one value per output channel, on half of the conv and conv_transpose cases.
        let biased = drawsBias && (op == .conv || op == .convTranspose) && random.int(in: 0...1) == 1
        let bias = biased ? numbers(op == .conv ? geometry.outChannels : geometry.inChannels, &random) : nil
        // conv_weight_grad: the drawn weights are not part of the case; the gradient at the output is.
        let gradOutput = op == .convWeightGrad ? numbers(geometry.rowCount * batch, &random) : nil
        do {
            let kernel = try Kernel(weights, geometry: geometry, field: "weight")
            return try ConvolutionCase(
                operation: op, layout: layout, kernel: kernel,
                operand: DenseMatrix(rowCount: operand.count / batch, columnCount: batch, values: operand), bias: bias,
                gradOutput: gradOutput.map { DenseMatrix(rowCount: geometry.rowCount, columnCount: batch, values: $0) })
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
        case .convWeightGrad: return .weightGradient
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
        case .weightGradient: self = .convWeightGrad
        }
    }
}

/// `count` multiples of 1/4 in −2 … 2: exact in Float64, and so are their products and sums here.
private func quarters(_ count: Int, _ random: inout SplitMix64) -> [Double] {
    (0..<count).map { _ in Double(random.int(in: -8...8)) / 4 }
}

/// `count` reals in [−1, 1), multiples of 2⁻⁵², so that almost none is a Float32 and their sums round.
private func reals(_ count: Int, _ random: inout SplitMix64) -> [Double] {
    (0..<count).map { _ in random.signedUnit() }
}

extension GeometryLimits.PaddingForm {
    /// The form `convmat cases --paddings` names: symmetric, asymmetric, same or valid; nil for another word.
    ///
    /// - Parameter caseName: the word.
    package init?(caseName: String) {
        switch caseName {
        case "symmetric": self = .symmetric
        case "asymmetric": self = .asymmetric
        case "same": self = .same
        case "valid": self = .valid
        default: return nil
        }
    }
}
