import PropertyBased
import ConvMatrix

/// Shrinking generators (swift-property-based `Generator`s) of convolution
/// geometries, kernels, inputs and whole test cases, for `propertyCheck`.
///
/// Every case is drawn from small whole numbers — rank, kernel, stride,
/// dilation, padding before and after, the input's extent above the smallest
/// that fits, output padding, groups, channels, batch, the kind of values
/// and their seed — and made into a geometry that exists: the input is
/// always at least as large as the padded kernel needs. Draws outside the
/// limits (an extent above `size`, more work than `maxWork`) are drawn again.
/// When a property fails, swift-property-based shrinks the case while the
/// property still fails: it drops spatial dimensions (any of them), writes
/// SAME and VALID as the amounts they resolve to (so that those shrink on
/// their own), and moves each number towards the lower end of its
/// `ConvolutionLimits` range, so the failure is reported with the smallest
/// geometry, channels, batch and simplest values that show it.
///
/// ```swift
/// await propertyCheck(count: 300, input: ConvolutionGenerators.cases(.conv, limits: limits)) { testCase in
///     testCase.verify(myConvolution(testCase))
/// }
/// ```
public enum ConvolutionGenerators {
    /// Whole test cases — geometry, kernel and input — for one operation in one layout.
    ///
    /// `conv` cases draw the convolution's input; `conv_transpose` cases draw
    /// the transposed convolution's input i′ and an output size PyTorch
    /// accepts (`output_padding` below max(stride, dilation); in the
    /// TensorFlow layout, an `output_shape` its rule accepts, so below the
    /// stride); `conv_input_grad` cases are the gradient of a drawn
    /// convolution. In the TensorFlow layout `groups` is always 1 (the case
    /// format's TensorFlow layout has none). Every case can be written as a
    /// case file for replay.
    ///
    /// - Parameters:
    ///   - operation: `conv`, `conv_transpose` or `conv_input_grad`.
    ///   - layout: the layout of the tensors (default PyTorch's).
    ///   - limits: what may be drawn (default: everything, up to 4 096 multiply-adds a case).
    /// - Returns: a generator whose values shrink to smaller cases.
    /// - Complexity: each case costs O(its work) to make, plus redraws of cases outside the limits.
    public static func cases(
        _ operation: ConvolutionCase.Operation, layout: ConvolutionCase.Layout = .pytorch,
        limits: ConvolutionLimits = ConvolutionLimits()
    ) -> Generator<ConvolutionTestCase, some SendableSequenceType> {
        requireUsable(limits)
        return zip(draws(limits, operation: operation, tensorflow: layout == .tensorflow), dataDraws(limits)).compactMap { draw, data -> ConvolutionTestCase? in
            guard let found = draw.convolutionOperator(operation, tensorflow: layout == .tensorflow, limits: limits) else { return nil }
            let geometry = found.convolutionOperator.convolution
            let operandCount = (operation == .conv ? geometry.columnCount : geometry.rowCount) * found.batch
            let kernelValues = data.values(count: geometry.weightCount, stream: 0)
            let operandValues = data.values(count: operandCount, stream: 1)
            guard let kernel = try? Kernel(kernelValues, geometry: geometry) else { return nil }
            return try? ConvolutionTestCase(
                operation: operation, layout: layout, kernel: kernel,
                operand: DenseMatrix(rowCount: operandCount / found.batch, columnCount: found.batch, values: operandValues))
        }
    }

    /// Geometries alone, as the operations ConvMatrix describes: `.convolution`
    /// for `conv`, `.transposed` for `conv_transpose` and `conv_input_grad`
    /// (the transpose of the drawn convolution's C). Drawn like `cases` in
    /// the PyTorch layout; the batch does not count towards `maxWork` here.
    ///
    /// - Parameters:
    ///   - operation: which operation the geometries describe.
    ///   - limits: what may be drawn.
    /// - Returns: a generator whose values shrink to smaller geometries.
    public static func operators(
        _ operation: ConvolutionCase.Operation, limits: ConvolutionLimits = ConvolutionLimits()
    ) -> Generator<ConvolutionOperator, some SendableSequenceType> {
        requireUsable(limits)
        let single = { var single = limits; single.batch = 1...1; return single }()
        return draws(single, operation: operation, tensorflow: false).compactMap { draw in
            draw.convolutionOperator(operation, tensorflow: false, limits: single)?.convolutionOperator
        }
    }

    /// Kernels for one geometry, in PyTorch order [C_out, C_in/groups, k…],
    /// with values of kinds up to `values`, shrinking towards all ones.
    ///
    /// - Parameters:
    ///   - geometry: the convolution the kernel belongs to.
    ///   - values: the most general kind of numbers (default `.reals`).
    /// - Returns: a generator of kernels.
    public static func kernels(
        for geometry: ConvolutionGeometry, values: ConvolutionValues = .reals
    ) -> Generator<Kernel, some SendableSequenceType> {
        self.values(count: geometry.weightCount, kinds: values).compactMap { try? Kernel($0, geometry: geometry) }
    }

    /// Arrays of `count` numbers (an input, a gradient, a kernel in any
    /// layout) of kinds up to `kinds`, shrinking towards all ones.
    ///
    /// - Parameters:
    ///   - count: how many numbers (at least 0).
    ///   - kinds: the most general kind of numbers (default `.reals`).
    /// - Returns: a generator of arrays.
    public static func values(
        count: Int, kinds: ConvolutionValues = .reals
    ) -> Generator<[Double], some SendableSequenceType> {
        var limits = ConvolutionLimits()
        limits.values = kinds
        return dataDraws(limits).map { $0.values(count: max(count, 0), stream: 0) }
    }

    /// Stops with the limits' problems, which would make every draw fail.
    static func requireUsable(_ limits: ConvolutionLimits) {
        let problems = limits.problems
        precondition(problems.isEmpty, "ConvolutionLimits: " + problems.joined(separator: "; "))
    }

    /// The whole numbers a geometry is made of, with their own shrinker (`GeometryDraw.shrunk`).
    static func draws(_ limits: ConvolutionLimits, operation: ConvolutionCase.Operation,
                      tensorflow: Bool) -> Generator<GeometryDraw, [GeometryDraw]> {
        Generator(
            run: { random in GeometryDraw(limits: limits, using: &random) },
            shrink: { $0.shrunk(operation, tensorflow: tensorflow, limits: limits) })
    }

    /// The kind of values and their seed.
    static func dataDraws(_ limits: ConvolutionLimits) -> Generator<DataDraw, some SendableSequenceType> {
        zip(Gen<Int>.value(in: 0...limits.values.rawValue), Gen<UInt64>.value(in: 0...UInt64(UInt32.max)))
            .map { kind, seed in DataDraw(kind: ConvolutionValues(rawValue: kind) ?? .reals, seed: seed) }
    }
}

/// The numbers of one drawn geometry (three of each list; the first `rank` are used).
struct GeometryDraw: Sendable {
    var rank, form, groups, inPerGroup, outPerGroup, batch: Int
    var kernel, stride, dilation, before, after, extra, outputPadding: [Int]

    /// The ranges the numbers are drawn from.
    static func ranges(_ limits: ConvolutionLimits) -> (scalars: [ClosedRange<Int>], lists: [ClosedRange<Int>]) {
        let maximumOutputPadding = limits.outputPadding ? max(limits.stride.upperBound, limits.dilation.upperBound) - 1 : 0
        return ([limits.ranks, 0...(limits.paddingForms.count - 1), limits.groups, limits.channelsPerGroup, limits.channelsPerGroup, limits.batch],
                [limits.kernel, limits.stride, limits.dilation, limits.padding, limits.padding,
                 0...(limits.size.upperBound - limits.size.lowerBound), 0...maximumOutputPadding])
    }

    init(limits: ConvolutionLimits, using random: inout any SeededRandomNumberGenerator) {
        let (scalars, lists) = Self.ranges(limits)
        let s = scalars.map { Int.random(in: $0, using: &random) }
        let l = lists.map { range in (0..<3).map { _ in Int.random(in: range, using: &random) } }
        (rank, form, groups, inPerGroup, outPerGroup, batch) = (s[0], s[1], s[2], s[3], s[4], s[5])
        (kernel, stride, dilation, before, after, extra, outputPadding) = (l[0], l[1], l[2], l[3], l[4], l[5], l[6])
    }

    private var scalars: [Int] {
        get { [rank, form, groups, inPerGroup, outPerGroup, batch] }
        set { (rank, form, groups, inPerGroup, outPerGroup, batch) = (newValue[0], newValue[1], newValue[2], newValue[3], newValue[4], newValue[5]) }
    }

    private var lists: [[Int]] {
        get { [kernel, stride, dilation, before, after, extra, outputPadding] }
        set { (kernel, stride, dilation, before, after, extra, outputPadding) = (newValue[0], newValue[1], newValue[2], newValue[3], newValue[4], newValue[5], newValue[6]) }
    }

    /// Smaller draws to try after a failure, most shrunk first. Each is smaller
    /// in (rank, padding form, sum of the numbers above their lower bounds),
    /// compared in that order, so shrinking ends:
    ///
    /// 1. one dimension fewer, any of them (its numbers move to the unused end);
    /// 2. SAME or VALID written as the amounts they resolve to (the same
    ///    geometry, so the failure stays, and the amounts then shrink on their own);
    /// 3. each number that matters for this geometry, towards the low end of its range.
    func shrunk(_ operation: ConvolutionCase.Operation, tensorflow: Bool, limits: ConvolutionLimits) -> [GeometryDraw] {
        let (scalarRanges, listRanges) = Self.ranges(limits)
        var candidates = [GeometryDraw]()
        if rank > limits.ranks.lowerBound {
            for dropped in 0..<rank {
                var smaller = self
                smaller.rank -= 1
                smaller.lists = lists.map { list in
                    var moved = list
                    let value = moved.remove(at: dropped)
                    moved.insert(value, at: rank - 1)
                    return moved
                }
                candidates.append(smaller)
            }
        }
        let currentForm = limits.paddingForms[form]
        if currentForm == .same || currentForm == .valid,
           let numeric = limits.paddingForms.firstIndex(of: .asymmetric), numeric < form,
           let found = convolutionOperator(operation, tensorflow: tensorflow, limits: limits) {
            let c = found.convolutionOperator.convolution
            var explicit = self
            explicit.form = numeric
            var fits = true
            for d in 0..<rank {
                explicit.before[d] = c.paddingBefore[d]
                explicit.after[d] = c.paddingAfter[d]
                fits = fits && listRanges[3].contains(c.paddingBefore[d]) && listRanges[4].contains(c.paddingAfter[d])
                if operation == .convTranspose, case .transposed(let t) = found.convolutionOperator {
                    explicit.outputPadding[d] = t.outputPadding[d]
                    fits = fits && listRanges[6].contains(t.outputPadding[d])
                } else if operation != .convTranspose {
                    let span = c.dilation[d] * (c.kernelSize[d] - 1) + 1
                    explicit.extra[d] = c.inputSize[d] - max(limits.size.lowerBound, span - c.paddingBefore[d] - c.paddingAfter[d])
                    fits = fits && listRanges[5].contains(explicit.extra[d])
                }
            }
            if fits { candidates.append(explicit) }
        }
        func lower(_ value: Int, in range: ClosedRange<Int>) -> [Int] {
            let low = max(range.lowerBound, min(0, range.upperBound))
            guard value > low else { return [] }
            return Array(Set([low, low + (value - low) / 2, value - 1])).filter { $0 < value }.sorted()
        }
        for index in 1..<scalarRanges.count {
            for value in lower(scalars[index], in: scalarRanges[index]) {
                var smaller = self
                smaller.scalars[index] = value
                candidates.append(smaller)
            }
        }
        let numeric = currentForm == .asymmetric || currentForm == .symmetric
        // Which lists matter: padding amounts only for numeric padding (after only when asymmetric),
        // output padding only for a transposed convolution.
        let relevant = [true, true, true, numeric, currentForm == .asymmetric, true, operation == .convTranspose]
        for (index, range) in listRanges.enumerated() where relevant[index] {
            for d in 0..<rank {
                for value in lower(lists[index][d], in: range) {
                    var smaller = self
                    smaller.lists[index][d] = value
                    candidates.append(smaller)
                }
            }
        }
        return candidates
    }

    /// The operation these numbers describe within `limits`, and the batch, or nil when they describe none.
    func convolutionOperator(_ operation: ConvolutionCase.Operation, tensorflow: Bool,
                             limits: ConvolutionLimits) -> (convolutionOperator: ConvolutionOperator, batch: Int)? {
        let kernel = Array(self.kernel[0..<rank]), stride = Array(self.stride[0..<rank]), dilation = Array(self.dilation[0..<rank])
        let form = limits.paddingForms[form]
        let zeros = [Int](repeating: 0, count: rank)
        let before = form == .symmetric || form == .asymmetric ? Array(self.before[0..<rank]) : zeros
        let after = form == .asymmetric ? Array(self.after[0..<rank]) : form == .symmetric ? before : zeros
        let padding: Padding = form == .same ? .same : form == .valid ? .valid : .explicit(before: before, after: after)
        let groups = tensorflow ? 1 : self.groups
        // The channels of C: x has `inner`, y has `outer`.
        let inner = groups * inPerGroup, outer = groups * outPerGroup
        let smallest = limits.size.lowerBound
        let result: ConvolutionOperator
        do throws(GeometryError) {
            switch operation {
            case .conv, .convInputGrad:
                var input = [Int]()
                for d in 0..<rank {
                    let span = dilation[d] * (kernel[d] - 1) + 1
                    // SAME pads whatever the kernel needs; otherwise the padded input must hold the dilated kernel.
                    let fits = form == .same ? 1 : span - before[d] - after[d]
                    input.append(max(smallest, fits) + extra[d])
                }
                let geometry = try ConvolutionGeometry(
                    inputSize: input, kernelSize: kernel, stride: stride, dilation: dilation, padding: padding,
                    inChannels: inner, outChannels: outer, groups: groups)
                result = operation == .conv ? .convolution(geometry) : .transposing(geometry)
            case .convTranspose:
                let input = (0..<rank).map { smallest + extra[$0] }
                // TensorFlow's output_shape must map back to the input, so its output padding stays below the stride.
                let extraOutput = (0..<rank).map { d in
                    min(outputPadding[d], (tensorflow ? stride[d] : max(stride[d], dilation[d])) - 1)
                }
                if form == .same || form == .valid {
                    var sizes = [Int]()
                    for d in 0..<rank {
                        let sets = try TransposedOutputSizes(input: input[d], kernel: kernel[d], stride: stride[d],
                                                             dilation: dilation[d], padding: padding)
                        let accepted = form == .same ? sets.tensorflowSame : sets.tensorflowValid
                        sizes.append(min(accepted.lowerBound + extraOutput[d], accepted.upperBound))
                    }
                    result = .transposed(try TransposedConvolutionGeometry(
                        inputSize: input, kernelSize: kernel, stride: stride, dilation: dilation, padding: padding,
                        outputSize: sizes, inChannels: outer, outChannels: inner, groups: groups))
                } else {
                    result = .transposed(try TransposedConvolutionGeometry(
                        inputSize: input, kernelSize: kernel, stride: stride, dilation: dilation, padding: padding,
                        outputPadding: extraOutput, inChannels: outer, outChannels: inner, groups: groups))
                }
            }
        } catch {
            return nil
        }
        let c = result.convolution
        let extents = c.inputSize + c.outputSize + (0..<rank).map { c.paddingBefore[$0] + c.inputSize[$0] + c.paddingAfter[$0] }
        guard extents.allSatisfy({ limits.size.contains($0) }) else { return nil }
        let (work, overflow) = c.nonzeroCount.multipliedReportingOverflow(by: batch)
        guard !overflow, work <= limits.maxWork else { return nil }
        return (result, batch)
    }
}

/// The kind of the values of a case and the seed they are drawn from.
struct DataDraw: Sendable {
    let kind: ConvolutionValues
    let seed: UInt64

    /// `count` values of this kind from stream `stream` of the seed (0 the kernel, 1 the operand).
    func values(count: Int, stream: UInt64) -> [Double] {
        var random = SplitMix64(seed: seed &* 2 &+ stream)
        switch kind {
        case .ones: return [Double](repeating: 1, count: count)
        case .integers: return (0..<count).map { _ in Double(random.int(in: -4...4)) }
        case .quarters: return (0..<count).map { _ in Double(random.int(in: -8...8)) / 4 }
        case .reals: return (0..<count).map { _ in random.signedUnit() }
        }
    }
}
