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
        let drawn = limits.geometryLimits(operation, tensorflow: layout == .tensorflow)
        return zip(draws(limits, drawn), dataDraws(limits)).compactMap { draw, data -> ConvolutionTestCase? in
            guard let draw, let found = draw.convolutionOperator(drawn) else { return nil }
            let geometry = found.convolution
            let operandCount = (operation == .conv ? geometry.columnCount : geometry.rowCount) * draw.batch
            let kernelValues = data.values(count: geometry.weightCount, stream: 0)
            let operandValues = data.values(count: operandCount, stream: 1)
            guard let kernel = try? Kernel(kernelValues, geometry: geometry) else { return nil }
            return try? ConvolutionTestCase(
                operation: operation, layout: layout, kernel: kernel,
                operand: DenseMatrix(rowCount: operandCount / draw.batch, columnCount: draw.batch, values: operandValues))
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
        let single = {
            var single = limits; single.batch = 1...1; return single
        }()
        let drawn = single.geometryLimits(operation, tensorflow: false)
        return draws(single, drawn).compactMap { draw in draw?.convolutionOperator(drawn) }
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

    /// The whole numbers a geometry is made of (`GeometryDraw`, ConvMatrix's one geometry draw), drawn
    /// on swift-property-based's random source, with their own shrinker (`GeometryDraw.shrunk`); nil
    /// where a draw finds nothing within the limits, which the generator then draws again.
    static func draws(_ limits: ConvolutionLimits, _ drawn: GeometryLimits) -> Generator<GeometryDraw?, [GeometryDraw?]> {
        Generator(
            run: { random in GeometryDraw.draw(drawn, generator: &random) },
            shrink: { draw in draw?.shrunk(limits, drawn) ?? [] })
    }

    /// The kind of values and their seed.
    static func dataDraws(_ limits: ConvolutionLimits) -> Generator<DataDraw, some SendableSequenceType> {
        zip(Gen<Int>.value(in: 0...limits.values.rawValue), Gen<UInt64>.value(in: 0...UInt64(UInt32.max)))
            .map { kind, seed in DataDraw(kind: ConvolutionValues(rawValue: kind) ?? .reals, seed: seed) }
    }
}

extension ConvolutionLimits {
    /// What `GeometryDraw` may draw for one operation in one layout: every
    /// range as the list of its numbers, channels per group, the convolution's
    /// input up to the whole `size` range above the smallest that fits, a
    /// transposed convolution's input anywhere in `size`, TensorFlow's rules
    /// (no groups, `output_shape`) in its layout and PyTorch's otherwise.
    ///
    /// - Parameters:
    ///   - operation: the operation of every case.
    ///   - tensorflow: whether the cases are in TensorFlow's layout.
    /// - Returns: the limits of the core's draw.
    func geometryLimits(_ operation: ConvolutionCase.Operation, tensorflow: Bool) -> GeometryLimits {
        GeometryLimits(
            operations: [operation.drawn], convention: tensorflow ? .tensorflow : .pytorch,
            ranks: Array(ranks), kernel: Array(kernel), stride: Array(stride), dilation: Array(dilation), batch: Array(batch),
            channels: .perGroup(groups: Array(groups), channels: Array(channelsPerGroup)),
            paddingForms: paddingForms.map(\.drawn), padding: Array(padding),
            paddingModes: tensorflow || operation == .convTranspose ? [.zeros] : paddingModes,
            size: size, extraInput: 0...(size.upperBound - size.lowerBound), transposedInput: size,
            outputPadding: outputPadding, maxWork: maxWork)
    }
}

extension ConvolutionLimits.PaddingForm {
    /// The same form as `GeometryDraw` draws it.
    var drawn: GeometryLimits.PaddingForm {
        switch self {
        case .asymmetric: return .asymmetric
        case .symmetric: return .symmetric
        case .same: return .same
        case .valid: return .valid
        }
    }
}

extension GeometryDraw {
    /// One draw within `limits` on any random number generator (swift-property-based's own, so
    /// that its `.fixedSeed` replays the case), which is advanced past the draw's choices.
    static func draw<Source: RandomNumberGenerator>(_ limits: GeometryLimits, generator: inout Source) -> GeometryDraw? {
        var choices = GeneratorChoices(generator)
        defer { generator = choices.generator }
        return draw(limits, using: &choices)
    }

    /// Smaller draws to try after a failure, most shrunk first. Each is smaller
    /// in (rank, padding form, padding mode, sum of the numbers above their lower
    /// bounds), compared in that order, so shrinking ends:
    ///
    /// 1. one dimension fewer, any of them (its entry leaves every list);
    /// 2. SAME or VALID written as the amounts they resolve to (the same
    ///    geometry, so the failure stays, and the amounts then shrink on their own);
    /// 3. a padding mode earlier in `paddingModes` (towards zeros);
    /// 4. each number that matters for this geometry, towards the low end of its range.
    ///
    /// - Parameters:
    ///   - limits: the user's limits, whose ranges' low ends the numbers move towards.
    ///   - drawn: the same limits as the draw took them.
    /// - Returns: the candidates; those that describe no case are skipped by the generator.
    func shrunk(_ limits: ConvolutionLimits, _ drawn: GeometryLimits) -> [GeometryDraw?] {
        var candidates = [GeometryDraw]()
        if rank > limits.ranks.lowerBound {
            for dropped in 0..<rank {
                var smaller = self
                let lists: [WritableKeyPath<GeometryDraw, [Int]>] = [\.kernel, \.stride, \.dilation, \.before, \.after, \.extraInput, \.extraOutput]
                for list in lists {
                    smaller[keyPath: list].remove(at: dropped)
                }
                candidates.append(smaller)
            }
        }
        let forms = drawn.paddingForms
        let form = forms.firstIndex(of: paddingForm) ?? 0
        let inputExcess = 0...(limits.size.upperBound - limits.size.lowerBound)
        let outputExcess = 0...(limits.outputPadding ? max(limits.stride.upperBound, limits.dilation.upperBound) - 1 : 0)
        if paddingForm == .same || paddingForm == .valid,
            let numeric = forms.firstIndex(of: .asymmetric), numeric < form,
            let found = convolutionOperator(drawn)
        {
            let c = found.convolution
            var explicit = self
            explicit.paddingForm = .asymmetric
            var fits = true
            for d in 0..<rank {
                explicit.before[d] = c.paddingBefore[d]
                explicit.after[d] = c.paddingAfter[d]
                fits = fits && limits.padding.contains(c.paddingBefore[d]) && limits.padding.contains(c.paddingAfter[d])
                if operation == .transposed, case .transposed(let t) = found {
                    explicit.extraOutput[d] = t.outputPadding[d]
                    fits = fits && outputExcess.contains(t.outputPadding[d])
                } else if operation != .transposed {
                    explicit.extraInput[d] = c.inputSize[d] - explicit.smallestInput(d, drawn)
                    fits = fits && inputExcess.contains(explicit.extraInput[d])
                }
            }
            if fits { candidates.append(explicit) }
        }
        func lower(_ value: Int, in range: ClosedRange<Int>) -> [Int] {
            let low = max(range.lowerBound, min(0, range.upperBound))
            guard value > low else { return [] }
            return Array(Set([low, low + (value - low) / 2, value - 1])).filter { $0 < value }.sorted()
        }
        for index in lower(form, in: 0...(forms.count - 1)) {
            var smaller = self
            smaller.paddingForm = forms[index]
            candidates.append(smaller)
        }
        let modes = drawn.paddingModes
        if let mode = modes.firstIndex(of: paddingMode) {
            for index in lower(mode, in: 0...(modes.count - 1)) where modes[index] != paddingMode {
                var smaller = self
                smaller.paddingMode = modes[index]
                candidates.append(smaller)
            }
        }
        let scalars: [(WritableKeyPath<GeometryDraw, Int>, ClosedRange<Int>)] = [
            (\.groups, limits.groups), (\.inPerGroup, limits.channelsPerGroup), (\.outPerGroup, limits.channelsPerGroup), (\.batch, limits.batch),
        ]
        for (scalar, range) in scalars {
            for value in lower(self[keyPath: scalar], in: range) {
                var smaller = self
                smaller[keyPath: scalar] = value
                candidates.append(smaller)
            }
        }
        // Which lists matter: padding amounts only for numeric padding (after only when asymmetric),
        // the output's place only for a transposed convolution.
        let numeric = paddingForm == .asymmetric || paddingForm == .symmetric
        let lists: [(WritableKeyPath<GeometryDraw, [Int]>, ClosedRange<Int>, Bool)] = [
            (\.kernel, limits.kernel, true), (\.stride, limits.stride, true), (\.dilation, limits.dilation, true),
            (\.before, limits.padding, numeric), (\.after, limits.padding, paddingForm == .asymmetric),
            (\.extraInput, inputExcess, true), (\.extraOutput, outputExcess, operation == .transposed),
        ]
        for (list, range, relevant) in lists where relevant {
            for d in 0..<rank {
                for value in lower(self[keyPath: list][d], in: range) {
                    var smaller = self
                    smaller[keyPath: list][d] = value
                    candidates.append(smaller)
                }
            }
        }
        return candidates
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
