import Testing
import ConvMatrix
import ConvMatrixTestSupport

/// The output-size sets of a transposed convolution against brute force:
/// every candidate size near the range is tried, and a set's members are the
/// candidates its rule accepts *by its definition* — PyTorch's range
/// formulas (`ConvTranspose*d`'s shape formula with `output_padding` below
/// max(stride, dilation); `_output_padding`'s "valid sizes range from" n "to"
/// n + stride − 1), and for TensorFlow and "maps back" a convolution run
/// window by window: the number of windows t·s + d·(k − 1) + 1 ≤ padded size,
/// with TensorFlow's own SAME padding. The geometries are random, 1-D to
/// 3-D, stride and dilation 1–4, asymmetric padding (`TestGenerators.transposedSettings`).
@Suite struct OutputSizePropertyTests {
    /// Cases per property (each case tries every candidate size in every dimension).
    static let cases = 2000

    /// Each of the five sets of every dimension is exactly what its rule accepts among all candidates.
    @Test func everySetIsWhatItsRuleAccepts() async {
        await seededPropertyCheck(count: Self.cases, input: TestGenerators.transposedSettings) { t in
            for d in 0..<t.rank {
                let sets = try TransposedOutputSizes(
                    input: t.input[d], kernel: t.kernel[d], stride: t.stride[d], dilation: t.dilation[d],
                    padding: t.rule, paddingBefore: t.before[d], paddingAfter: t.after[d])
                let brute = BruteForce(t, d)
                #expect(members(sets.tensorflowSame) == brute.tensorflowSame, "\(t), dim \(d)")
                #expect(members(sets.tensorflowValid) == brute.tensorflowValid, "\(t), dim \(d)")
                #expect(members(sets.convolutionMapsBack) == brute.mapsBack, "\(t), dim \(d)")
                if t.rule == .same {
                    // PyTorch's ConvTranspose has no SAME.
                    #expect(sets.pytorchOutputPadding == nil && sets.pytorchOutputSize == nil && sets.naturalSize == nil)
                } else {
                    #expect(sets.naturalSize == brute.natural, "\(t), dim \(d)")
                    #expect(members(sets.pytorchOutputPadding) == brute.outputPadding, "\(t), dim \(d)")
                    #expect(members(sets.pytorchOutputSize) == brute.outputSize, "\(t), dim \(d)")
                }
                // No set reaches past the candidates tried.
                for range in [sets.pytorchOutputPadding, sets.pytorchOutputSize, sets.tensorflowSame, sets.tensorflowValid, sets.convolutionMapsBack] {
                    if let range { #expect(range.upperBound < brute.limit) }
                }
            }
        }
    }

    /// A requested output size is accepted exactly when its framework's rule accepts it (PyTorch's
    /// `output_size` with numeric padding, TensorFlow's `output_shape` with SAME or VALID); an
    /// accepted size is one a convolution maps back to the input, and a refusal quotes every
    /// dimension's range as PyTorch does.
    @Test func requestedSizesFollowTheFrameworkRule() async {
        await seededPropertyCheck(count: Self.cases, skipping: 0.25, input: TestGenerators.transposedSettings) { t in
            let brute = (0..<t.rank).map { BruteForce(t, $0) }
            let accepted = brute.map { t.rule == .same ? $0.tensorflowSame : t.rule == .valid ? $0.tensorflowValid : $0.outputSize }
            guard accepted.allSatisfy({ !$0.isEmpty }) else { return false }  // the padding crops everything
            let fallback = accepted.map { $0.min()! }
            for d in 0..<t.rank {
                for candidate in 1..<brute[d].limit {
                    var requested = fallback
                    requested[d] = candidate
                    do {
                        let geometry = try TransposedConvolutionGeometry(
                            inputSize: t.input, kernelSize: t.kernel, stride: t.stride, dilation: t.dilation,
                            padding: t.rule, outputSize: requested)
                        #expect(accepted[d].contains(candidate), "\(t): accepted \(requested)")
                        #expect(geometry.outputSize == requested)
                        #expect(geometry.convolution.outputSize == t.input && !geometry.convolution.isOutputCut, "\(t): \(requested)")
                        #expect(brute[d].windows(candidate) == t.input[d], "\(t): \(requested)")
                    } catch let GeometryError.outputSizeNotAccepted(field, value, _, valid) {
                        #expect(!accepted[d].contains(candidate), "\(t): refused \(requested)")
                        #expect(field == "output_size[\(d)]" && value == candidate)
                        #expect(valid.map(\.lowerBound) == accepted.map { $0.min()! } && valid.map(\.upperBound) == accepted.map { $0.max()! })
                    }
                }
            }
            return true
        }
    }

    /// `output_padding` a is accepted exactly for 0 ≤ a < max(s, d) (when the size is at least 1);
    /// it gives n + a, and C keeps only the first i′ outputs exactly when a convolution of n + a
    /// has more windows than i′ — which happens for a ≥ s only.
    @Test func outputPaddingReachesItsSetAndCutsPastTheStride() async {
        await seededPropertyCheck(count: Self.cases, skipping: 0.75, input: TestGenerators.transposedSettings) { t in
            guard t.rule != .same && t.rule != .valid else { return false }  // output_padding needs numbers
            let brute = (0..<t.rank).map { BruteForce(t, $0) }
            guard brute.allSatisfy({ $0.natural >= 1 }) else { return false }
            for d in 0..<t.rank {
                for a in 0...max(t.stride[d], t.dilation[d]) {
                    var extra = t.input.map { _ in 0 }
                    extra[d] = a
                    let size = brute[d].natural + a
                    do {
                        let geometry = try TransposedConvolutionGeometry(
                            inputSize: t.input, kernelSize: t.kernel, stride: t.stride, dilation: t.dilation,
                            padding: t.rule, outputPadding: extra)
                        #expect(brute[d].outputPadding.contains(size), "\(t): output_padding \(extra)")
                        #expect(geometry.outputSize[d] == size && geometry.convolution.outputSize == t.input)
                        #expect(geometry.convolution.naturalOutputSize[d] == brute[d].windows(size), "\(t): output_padding \(extra)")
                        #expect(geometry.convolution.isOutputCut == (brute[d].windows(size) > t.input[d]))
                        #expect(!geometry.convolution.isOutputCut || a >= t.stride[d])
                    } catch GeometryError.outputPaddingTooLarge(let dimension, let value, _, _) {
                        #expect(a >= max(t.stride[d], t.dilation[d]) && dimension == d && value == a, "\(t): output_padding \(extra)")
                    }
                }
            }
            return true
        }
    }

    /// `convmat shape`'s sentence appears exactly when the listed sets differ.
    @Test func theReportExplainsExactlyWhenSetsDiffer() async throws {
        await seededPropertyCheck(count: Self.cases, skipping: 0.25, input: TestGenerators.transposedSettings) { t in
            guard
                let geometry = try? TransposedConvolutionGeometry(
                    inputSize: t.input, kernelSize: t.kernel, stride: t.stride, dilation: t.dilation, padding: t.rule)
            else { return false }
            let report = try ShapeReport(.transposed(geometry))
            let differ = (0..<t.rank).contains { d in
                let brute = BruteForce(t, d)
                var sets = [brute.tensorflowSame, brute.tensorflowValid, brute.mapsBack]
                if t.rule != .same { sets += [brute.outputPadding, brute.outputSize] }
                return Set(sets).count > 1
            }
            #expect((report.difference != nil) == differ, "\(t): \(report.difference ?? "no sentence")")
            #expect(report.text.contains(report.difference ?? "They differ") == (report.difference != nil))
            return true
        }
    }
}

/// The sizes in `range` (none for nil).
private func members(_ range: ClosedRange<Int>?) -> Set<Int> { range.map { Set($0) } ?? [] }

/// One dimension's sets by enumeration, from the definitions alone.
private struct BruteForce {
    let input, kernel, stride, dilation, before, after: Int
    let sameRule, validRule: Bool

    init(_ t: TransposedSettings, _ d: Int) {
        (input, kernel, stride, dilation, before, after) = (t.input[d], t.kernel[d], t.stride[d], t.dilation[d], t.before[d], t.after[d])
        sameRule = t.rule == .same
        validRule = t.rule == .valid
    }

    /// The kernel's extent.
    var span: Int { dilation * (kernel - 1) + 1 }
    /// PyTorch's documented shape formula with output_padding 0.
    var natural: Int { (input - 1) * stride - before - after + dilation * (kernel - 1) + 1 }
    /// Candidates 1..<limit hold every member of every set.
    var limit: Int { (input + 1) * stride + span + before + after + max(stride, dilation) + 2 }
    var candidates: Range<Int> { 1..<limit }

    /// Windows of a convolution over `size` inputs padded by `before` and `after`: every t ≥ 0
    /// whose window t·s … t·s + span − 1 lies inside the padded input, counted one by one.
    func windows(_ size: Int, before: Int, after: Int) -> Int {
        var t = 0
        while t * stride + span <= before + size + after { t += 1 }
        return t
    }

    /// Windows with the padding of this dimension's own rule.
    func windows(_ size: Int) -> Int {
        if sameRule { return sameWindows(size) }
        return windows(size, before: before, after: after)
    }

    /// TensorFlow's SAME: output ⌈size/s⌉, total padding max((out − 1)·s + span − size, 0), the odd one at the end.
    func sameWindows(_ size: Int) -> Int {
        let out = (size + stride - 1) / stride
        let total = max((out - 1) * stride + span - size, 0)
        return windows(size, before: total / 2, after: total - total / 2)
    }

    /// Sizes n + a for every output_padding a PyTorch accepts, a < max(s, d), that are at least 1.
    var outputPadding: Set<Int> { Set((0..<max(stride, dilation)).map { natural + $0 }.filter { $0 >= 1 }) }
    /// `_output_padding`: min_size = n, max_size = n + s − 1; sizes below 1 make no tensor.
    var outputSize: Set<Int> { Set(candidates.filter { $0 >= natural && $0 <= natural + stride - 1 }) }
    /// TensorFlow's output_shape under SAME: the SAME convolution of that size gives the input back.
    var tensorflowSame: Set<Int> { Set(candidates.filter { sameWindows($0) == input }) }
    /// TensorFlow's output_shape under VALID: the unpadded convolution gives the input back.
    var tensorflowValid: Set<Int> { Set(candidates.filter { windows($0, before: 0, after: 0) == input }) }
    /// The convolution with this dimension's padding rule gives the input back.
    var mapsBack: Set<Int> {
        if sameRule { return tensorflowSame }
        if validRule { return tensorflowValid }
        return Set(candidates.filter { windows($0, before: before, after: after) == input })
    }
}
