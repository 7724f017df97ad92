/// One random geometry as the whole numbers it is drawn as, and the one
/// place where such numbers are drawn and made into a convolution.
/// `verify --random` (`RandomGeometry`), `convmat cases` (`CaseGenerator`),
/// ConvMatrixTesting's shrinking generators and the tests' generators each
/// call `draw(_:using:)` with their own `GeometryLimits`;
/// `convolutionOperator(_:)` writes the numbers as `ConvolutionFields`
/// and `ConvolutionOperator(_:)` checks them.
///
/// The sizes are stored relative to what the other numbers allow, so that
/// any combination describes a geometry that exists:
///
/// - `extraInput`: a convolution's input i above the smallest the padded,
///   dilated kernel fits, i = max(lower end of `size`, d·(k − 1) + 1 − p_before − p_after) + extra
///   (no padding counted under VALID; under SAME the lower end of `size`, or
///   the span with `sameInputHoldsKernel`); a transposed convolution's input i′
///   above the lower end of `transposedInput`.
/// - `extraOutput`: a transposed output's place among the sizes its rule
///   accepts. PyTorch with numeric padding: the `output_padding` a itself,
///   0 ≤ a < max(s, d). Otherwise the offset from the smallest size
///   `TransposedOutputSizes` gives: `tensorflowSame` or `tensorflowValid`,
///   or under TensorFlow with numeric padding `convolutionMapsBack`.
///
/// A draw makes its choices in this order, each list one choice per dimension:
///
/// 1. the operation, the rank; the kernel, stride and dilation lists — and
///    stops when a dilated kernel is longer than `size` allows;
/// 2. the batch; the channels and groups (`GeometryLimits.Channels`);
/// 3. the padding form, its amounts (all before, then all after), and with
///    `frameworkCallable` the form the framework can call; then, for a
///    convolution or input gradient under the PyTorch convention whose
///    `paddingModes` hold more than zeros, the padding mode;
/// 4. per dimension the input's `extraInput` — stopping when even the
///    smallest input exceeds `size` — and for a transposed convolution then
///    per dimension its `extraOutput` (stopping when the rule accepts no size).
///
/// A draw that stops returns nil, and the caller draws again from where its
/// source of choices now stands. This is the order `convmat cases` drew in
/// before the core existed, so its files are the same for every seed
/// unless padding modes are drawn. A field still to come — a bias, a
/// weight-gradient operation — is a list in `GeometryLimits`, a number here
/// drawn after the step it depends on (as the padding mode after the
/// amounts, only where limits ask for it), and, for an operation, one more
/// `GeometryLimits.Operation` drawn like `.convolution`.
///
/// Why a record of numbers, and not a stream of choices replayed: shrinking.
/// ConvMatrixTesting draws a `GeometryDraw` through `GeneratorChoices`, on
/// the random source swift-property-based hands its generator (so that its
/// `.fixedSeed` replays the case), and shrinks the record itself: one
/// dimension fewer by removing the same entry from every list, SAME or
/// VALID written as the amounts they resolve to, each number towards the
/// low end of its range; `convolutionOperator(_:)` makes each smaller
/// record again. Because the sizes are relative (and clamped where a
/// range has narrowed), a record made smaller in any one number still
/// describes a geometry, so a failing case shrinks to the smallest one that
/// still fails. A shrunk stream of choices would not: with one dimension
/// fewer, every later choice would be read as another number.
package struct GeometryDraw: Hashable, Sendable {
    /// The operation.
    package var operation: GeometryLimits.Operation
    /// Kernel taps k per dimension; its count is the rank.
    package var kernel: [Int]
    /// Stride s per dimension.
    package var stride: [Int]
    /// Dilation d per dimension.
    package var dilation: [Int]
    /// Samples in the batch.
    package var batch: Int
    /// Channel groups (1 under TensorFlow).
    package var groups: Int
    /// Channels per group entering the convolution C.
    package var inPerGroup: Int
    /// Channels per group leaving C.
    package var outPerGroup: Int
    /// How the padding is described.
    package var paddingForm: GeometryLimits.PaddingForm
    /// Zeros before the data per dimension (numeric forms; 0 otherwise).
    package var before: [Int]
    /// Zeros after the data per dimension (used by the asymmetric form only; the symmetric form repeats `before`).
    package var after: [Int]
    /// What fills the padding (zeros unless drawn; see `GeometryLimits.paddingModes`).
    package var paddingMode: PaddingMode = .zeros
    /// The input's excess over the smallest that fits (see the type's description).
    package var extraInput: [Int]
    /// A transposed output's place among the accepted sizes (see the type's description); 0 otherwise.
    package var extraOutput: [Int]

    /// Spatial dimensions.
    package var rank: Int { kernel.count }

    /// One draw within `limits`, or nil when a step finds nothing within them.
    ///
    /// - Parameters:
    ///   - limits: what may be drawn.
    ///   - random: the source of the choices, advanced past them.
    /// - Returns: the numbers; `convolutionOperator(_:)` says whether they make a case within the limits.
    package static func draw<Choices: RandomChoices>(_ limits: GeometryLimits, using random: inout Choices) -> GeometryDraw? {
        let operation = random.element(of: limits.operations)
        let rank = random.element(of: limits.ranks)
        let kernel = (0..<rank).map { _ in random.element(of: limits.kernel) }
        var stride = (0..<rank).map { _ in random.element(of: limits.stride) }
        let dilation = (0..<rank).map { _ in random.element(of: limits.dilation) }
        guard (0..<rank).allSatisfy({ dilation[$0] * (kernel[$0] - 1) + 1 <= limits.size.upperBound }) else { return nil }
        let batch = random.element(of: limits.batch)

        var groups = 1, inPerGroup: Int, outPerGroup: Int
        switch limits.channels {
        case .perGroup(let groupChoices, let channels):
            if limits.convention == .pytorch { groups = random.element(of: groupChoices) }
            inPerGroup = random.element(of: channels)
            outPerGroup = random.element(of: channels)
        case .totals(let channels, let groupedShare, let singleShare):
            var inner = random.element(of: channels), outer = random.element(of: channels)
            if limits.convention == .pytorch && random.chance(groupedShare) {
                let common = (2...max(2, min(inner, outer))).filter { inner % $0 == 0 && outer % $0 == 0 }
                if !common.isEmpty { groups = random.element(of: common) }
            }
            if groups == 1 && random.chance(singleShare) { (inner, outer) = (1, 1) }
            (inPerGroup, outPerGroup) = (inner / groups, outer / groups)
        }

        var form = random.element(of: limits.paddingForms)
        let zeros = [Int](repeating: 0, count: rank)
        var before = zeros, after = zeros
        switch form {
        case .symmetric:
            before = (0..<rank).map { _ in random.element(of: limits.padding) }
            after = before
        case .asymmetric:
            before = (0..<rank).map { _ in random.element(of: limits.padding) }
            after = (0..<rank).map { _ in random.element(of: limits.padding) }
        case .same, .valid:
            break
        }
        if limits.frameworkCallable {
            switch limits.convention {
            case .pytorch:
                if operation != .convolution && form == .same { form = .valid }
                if operation != .convolution && form == .valid { form = .symmetric }
                // PyTorch's "same" takes stride 1 only: a convolution drawn with it keeps it, at stride 1.
                if form == .same { stride = [Int](repeating: 1, count: rank) }
            case .tensorflow:
                if rank != 2 && (form == .symmetric || form == .asymmetric) {
                    form = random.bool() ? .same : .valid
                    (before, after) = (zeros, zeros)
                }
            }
            // A form the framework cannot call is replaced; the replacement must still be one the limits allow.
            guard limits.paddingForms.contains(form) else { return nil }
        }

        var draw = GeometryDraw(
            operation: operation, kernel: kernel, stride: stride, dilation: dilation, batch: batch,
            groups: groups, inPerGroup: inPerGroup, outPerGroup: outPerGroup,
            paddingForm: form, before: before, after: after, extraInput: [], extraOutput: zeros)
        if operation != .transposed && limits.convention == .pytorch && limits.paddingModes.contains(where: { $0 != .zeros }) {
            draw.paddingMode = random.element(of: limits.paddingModes)
        }
        switch operation {
        case .convolution, .inputGradient, .weightGradient:
            for d in 0..<rank {
                let most = min(limits.extraInput.upperBound, limits.size.upperBound - draw.smallestInput(d, limits))
                guard most >= limits.extraInput.lowerBound else { return nil }
                draw.extraInput.append(random.int(in: limits.extraInput.lowerBound...most))
            }
        case .transposed:
            let inputs = limits.transposedInput
            draw.extraInput = (0..<rank).map { _ in random.int(in: 0...(inputs.upperBound - inputs.lowerBound)) }
            guard limits.outputPadding else { break }
            for d in 0..<rank {
                switch draw.outputRule(d, input: inputs.lowerBound + draw.extraInput[d], limits) {
                case .outputPadding?: draw.extraOutput[d] = random.outputPadding(stride: stride[d], dilation: dilation[d])
                case .sizes(let accepted)?: draw.extraOutput[d] = random.int(in: 0...(accepted.count - 1))
                case nil: return nil
                }
            }
        }
        return draw
    }

    /// The operation these numbers describe, or nil when they describe none
    /// within `limits` (an extent outside `size`, more work than `maxWork`).
    ///
    /// - Parameter limits: the limits the numbers were drawn within.
    /// - Returns: `.convolution` for a convolution, `.transposed` for a
    ///   transposed convolution, `.transposing(_:)` of the drawn convolution for an input gradient.
    package func convolutionOperator(_ limits: GeometryLimits) -> ConvolutionOperator? {
        guard rank >= 1, [stride, dilation, before, after, extraInput, extraOutput].allSatisfy({ $0.count == rank }) else { return nil }
        let (before, after) = amounts
        let padding: Padding = paddingForm == .same ? .same : paddingForm == .valid ? .valid : .explicit(before: before, after: after)
        let groups = limits.convention == .tensorflow ? 1 : self.groups
        // The channels of C: x has `inner`, y has `outer`.
        let inner = groups * inPerGroup, outer = groups * outPerGroup
        var fields: ConvolutionFields
        switch operation {
        case .convolution, .inputGradient, .weightGradient:
            fields = ConvolutionFields(input: (0..<rank).map { smallestInput($0, limits) + extraInput[$0] }, kernel: kernel)
            (fields.inChannels, fields.outChannels) = (inner, outer)
        case .transposed:
            let input = (0..<rank).map { limits.transposedInput.lowerBound + extraInput[$0] }
            fields = ConvolutionFields(input: input, kernel: kernel)
            fields.transposed = true
            (fields.inChannels, fields.outChannels) = (outer, inner)
            var outputPadding = [Int](), outputSize = [Int]()
            for d in 0..<rank {
                switch outputRule(d, input: input[d], limits) {
                case .outputPadding(let count)?: outputPadding.append(min(extraOutput[d], count - 1))
                case .sizes(let accepted)?: outputSize.append(accepted.lowerBound + min(extraOutput[d], accepted.count - 1))
                case nil: return nil
                }
            }
            if !outputPadding.isEmpty { fields.outputPadding = outputPadding }
            if !outputSize.isEmpty { fields.outputSize = outputSize }
        }
        fields.stride = stride
        fields.dilation = dilation
        fields.padding = padding
        fields.paddingMode = operation == .transposed ? .zeros : paddingMode
        fields.groups = groups
        guard let described = try? ConvolutionOperator(fields) else { return nil }
        let c = described.convolution
        let extents = c.inputSize + c.outputSize + (0..<rank).map { c.paddingBefore[$0] + c.inputSize[$0] + c.paddingAfter[$0] }
        guard extents.allSatisfy({ limits.size.contains($0) }) else { return nil }
        if let maxWork = limits.maxWork {
            let (work, overflow) = c.nonzeroCount.multipliedReportingOverflow(by: batch)
            guard !overflow, work <= maxWork else { return nil }
        }
        return operation == .inputGradient ? .transposing(c) : described
    }

    /// The padding amounts the form uses: `before` twice for the symmetric
    /// form, `before` and `after` for the asymmetric one, zeros for SAME and VALID.
    package var amounts: (before: [Int], after: [Int]) {
        switch paddingForm {
        case .symmetric: return (before, before)
        case .asymmetric: return (before, after)
        case .same, .valid: return ([Int](repeating: 0, count: rank), [Int](repeating: 0, count: rank))
        }
    }

    /// The smallest input of the convolution in dimension `d` that the
    /// padded, dilated kernel fits, and at least the lower end of `size`:
    /// max(lower, d·(k − 1) + 1 − p_before − p_after), with no padding
    /// under VALID; under SAME, which pads whatever the kernel needs, the
    /// lower end (or, with `sameInputHoldsKernel`, the span as under VALID).
    /// A padding mode that copies needs more input than it copies: reflect
    /// max(p_before, p_after) + 1, circular max(p_before, p_after).
    ///
    /// - Parameters:
    ///   - d: the dimension.
    ///   - limits: the limits the numbers are drawn within.
    /// - Returns: the smallest input size.
    package func smallestInput(_ d: Int, _ limits: GeometryLimits) -> Int {
        let span = dilation[d] * (kernel[d] - 1) + 1
        if paddingForm == .same && !limits.sameInputHoldsKernel { return limits.size.lowerBound }
        let (before, after) = amounts
        let copied: Int
        switch operation == .transposed ? .zeros : paddingMode {
        case .reflect: copied = max(before[d], after[d]) + 1
        case .circular: copied = max(before[d], after[d])
        case .zeros, .replicate: copied = 0
        }
        return max(limits.size.lowerBound, span - before[d] - after[d], copied)
    }

    /// How a transposed convolution's output size is chosen in one dimension.
    package enum OutputRule: Hashable, Sendable {
        /// PyTorch's `output_padding`, one of 0 ..< `count` (count = max(s, d)).
        case outputPadding(count: Int)
        /// One of these output sizes (TensorFlow's `output_shape`).
        case sizes(ClosedRange<Int>)
    }

    /// The rule for the output size in dimension `d` of a transposed
    /// convolution with input `input`, or nil when it accepts no size.
    ///
    /// - Parameters:
    ///   - d: the dimension.
    ///   - input: the transposed convolution's input i′ in that dimension.
    ///   - limits: the limits, for the convention.
    /// - Returns: PyTorch's output padding for numeric padding under
    ///   `.pytorch`; otherwise the sizes TensorFlow's `output_shape` accepts.
    package func outputRule(_ d: Int, input: Int, _ limits: GeometryLimits) -> OutputRule? {
        let numeric = paddingForm == .symmetric || paddingForm == .asymmetric
        if numeric && limits.convention == .pytorch {
            return .outputPadding(count: max(stride[d], dilation[d]))
        }
        let (before, after) = amounts
        let padding: Padding = paddingForm == .same ? .same : paddingForm == .valid ? .valid : .explicit(before: before, after: after)
        guard
            let sets = try? TransposedOutputSizes(
                input: input, kernel: kernel[d], stride: stride[d], dilation: dilation[d],
                padding: padding, paddingBefore: before[d], paddingAfter: after[d])
        else { return nil }
        switch paddingForm {
        case .same: return .sizes(sets.tensorflowSame)
        case .valid: return .sizes(sets.tensorflowValid)
        case .symmetric, .asymmetric: return sets.convolutionMapsBack.map { .sizes($0) }
        }
    }
}

extension RandomChoices {
    /// PyTorch's `output_padding` in one dimension, drawn from every value
    /// it accepts: 0 ≤ a < max(s, d) ("output padding must be smaller than
    /// either stride or dilation").
    ///
    /// - Parameters:
    ///   - stride: s in that dimension.
    ///   - dilation: d in that dimension.
    /// - Returns: a, one of 0 … max(s, d) − 1.
    package mutating func outputPadding(stride: Int, dilation: Int) -> Int {
        int(in: 0...(max(stride, dilation) - 1))
    }
}
