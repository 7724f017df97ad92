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
/// `valid`, groups, `output_padding` (up to max(stride, dilation) − 1),
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

    /// The largest number of cases one call may ask for.
    public static let countLimit = 100_000

    /// A generator with the default settings.
    public init() {}

    /// Refuses settings that cannot produce a case.
    ///
    /// - Throws: `CaseError.setting` naming the setting (`op`, `dims`, `max_size`, `max_channels`, `max_work`).
    public func check() throws(CaseError) {
        if operations.isEmpty { throw .setting(field: "op", reason: "names no operation") }
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
        for _ in 0..<Self.attempts {
            guard let drawn = draw(&random) else { continue }
            guard Checked.saturating({ () throws(GeometryError) in
                try Checked.multiply(drawn.geometry.nonzeroCount, drawn.batchSize, "work")
            }) <= maxWork else { continue }
            return drawn.document(expected: try drawn.evaluate())
        }
        throw .setting(field: "max_work", reason: "= \(maxWork) with \(field: "max_size") = \(maxSize): no case of the chosen kinds fits; allow more work or larger sizes")
    }

    /// One attempt: a case that the case format can write, or nil when the
    /// drawn numbers make none within the limits.
    private func draw(_ random: inout SplitMix64) -> ConvolutionCase? {
        let op = random.element(of: operations)
        let rank = random.element(of: ranks)
        let tensorflow = layout == .tensorflow
        let kernel = (0..<rank).map { _ in random.int(in: 1...3) }
        let stride = (0..<rank).map { _ in random.int(in: 1...3) }
        let dilation = (0..<rank).map { _ in random.int(in: 1...3) }
        let spans = (0..<rank).map { dilation[$0] * (kernel[$0] - 1) + 1 }
        guard spans.allSatisfy({ $0 <= maxSize }) else { return nil }
        let batch = random.int(in: 1...2)
        // The channels of the convolution whose C is built: x has `inner`, y has `outer`.
        var inner = random.int(in: 1...maxChannels), outer = random.int(in: 1...maxChannels)
        var groups = 1
        if !tensorflow && random.chance(0.3) {
            let common = (2...max(2, min(inner, outer))).filter { inner % $0 == 0 && outer % $0 == 0 }
            if let g = common.isEmpty ? nil : random.element(of: common) { groups = g }
        }
        if groups == 1 && random.chance(0.2) { (inner, outer) = (1, 1) }

        // The padding: a rule, or amounts before and after per dimension.
        enum Rule { case amounts([Int], [Int]), same, valid }
        var rule: Rule
        switch random.int(in: 0...5) {
        case 0: rule = .same
        case 1: rule = .valid
        case 2, 3:
            let p = (0..<rank).map { _ in random.int(in: 0...2) }
            rule = .amounts(p, p)
        default:
            rule = .amounts((0..<rank).map { _ in random.int(in: 0...2) }, (0..<rank).map { _ in random.int(in: 0...2) })
        }
        if !tensorflow && op != .conv, case .same = rule { rule = .valid }
        if !tensorflow && op != .conv, case .valid = rule { rule = .amounts([Int](repeating: 0, count: rank), [Int](repeating: 0, count: rank)) }
        if !tensorflow, case .same = rule, stride.contains(where: { $0 != 1 }) { rule = .valid }
        if tensorflow && rank != 2, case .amounts = rule { rule = random.bool() ? .same : .valid }
        let padding: Padding
        switch rule {
        case .same: padding = .same
        case .valid: padding = .valid
        case .amounts(let before, let after): padding = .explicit(before: before, after: after)
        }

        // Sizes: the convolution C maps `large` (x) to `small` (y).
        let geometry: ConvolutionGeometry
        do throws(GeometryError) {
            switch op {
            case .conv, .convInputGrad:
                var large = [Int]()
                for d in 0..<rank {
                    let (before, after): (Int, Int)
                    if case .amounts(let b, let a) = rule { (before, after) = (b[d], a[d]) } else { (before, after) = (0, 0) }
                    let smallest = max(1, spans[d] - before - after)
                    guard smallest <= maxSize else { return nil }
                    large.append(random.int(in: smallest...maxSize))
                }
                geometry = try ConvolutionGeometry(inputSize: large, kernelSize: kernel, stride: stride, dilation: dilation,
                                                   padding: padding, inChannels: inner, outChannels: outer, groups: groups)
            case .convTranspose:
                let small = (0..<rank).map { _ in random.int(in: 1...max(1, min(4, maxSize))) }
                var transposed: TransposedConvolutionGeometry
                if padding == .same || padding == .valid {
                    // TensorFlow: any size its output_shape rule accepts.
                    var sizes = [Int]()
                    for d in 0..<rank {
                        let sets = try TransposedOutputSizes(input: small[d], kernel: kernel[d], stride: stride[d],
                                                             dilation: dilation[d], padding: padding)
                        let accepted = padding == .same ? sets.tensorflowSame : sets.tensorflowValid
                        sizes.append(random.int(in: accepted))
                    }
                    transposed = try TransposedConvolutionGeometry(
                        inputSize: small, kernelSize: kernel, stride: stride, dilation: dilation, padding: padding,
                        outputSize: sizes, inChannels: outer, outChannels: inner, groups: groups)
                } else if tensorflow {
                    // TensorFlow with explicit pairs: a size the convolution with that padding maps back.
                    var sizes = [Int]()
                    for d in 0..<rank {
                        guard case .amounts(let b, let a) = rule,
                              let accepted = try TransposedOutputSizes(input: small[d], kernel: kernel[d], stride: stride[d], dilation: dilation[d],
                                                                       padding: padding, paddingBefore: b[d], paddingAfter: a[d]).convolutionMapsBack
                        else { return nil }
                        sizes.append(random.int(in: accepted))
                    }
                    transposed = try TransposedConvolutionGeometry(
                        inputSize: small, kernelSize: kernel, stride: stride, dilation: dilation, padding: padding,
                        outputSize: sizes, inChannels: outer, outChannels: inner)
                } else {
                    // PyTorch: output_padding anywhere below max(stride, dilation).
                    let extra = (0..<rank).map { random.int(in: 0...(max(stride[$0], dilation[$0]) - 1)) }
                    transposed = try TransposedConvolutionGeometry(
                        inputSize: small, kernelSize: kernel, stride: stride, dilation: dilation, padding: padding,
                        outputPadding: extra, inChannels: outer, outChannels: inner, groups: groups)
                }
                geometry = transposed.convolution
            }
        } catch {
            return nil
        }
        let extents = geometry.inputSize + geometry.outputSize
            + (0..<rank).map { geometry.paddingBefore[$0] + geometry.inputSize[$0] + geometry.paddingAfter[$0] }
        guard extents.allSatisfy({ $0 <= maxSize }) else { return nil }

        // Tensors in PyTorch order first: the operand is x for conv, y otherwise.
        let operandShape = op == .conv ? [batch, inner] + geometry.inputSize : [batch, outer] + geometry.outputSize
        let weightShape = [outer, inner / groups] + kernel
        guard operandShape.reduce(1, *) <= 1 << 16, weightShape.reduce(1, *) <= 1 << 16 else { return nil }
        // The operand holds one sample per column, each [C, spatial…]: the PyTorch order the data are drawn in.
        let operand = quarters(operandShape.reduce(1, *), &random)
        let weights = quarters(weightShape.reduce(1, *), &random)
        do {
            let kernel = try Kernel(weights, geometry: geometry, field: "weight")
            return try ConvolutionCase(operation: op, layout: layout, kernel: kernel,
                                       operand: DenseMatrix(rowCount: operand.count / batch, columnCount: batch, values: operand))
        } catch {
            return nil
        }
    }
}

/// `count` multiples of 1/4 in −2 … 2: exact in Float64, and so are their products and sums here.
private func quarters(_ count: Int, _ random: inout SplitMix64) -> [Double] {
    (0..<count).map { _ in Double(random.int(in: -8...8)) / 4 }
}
