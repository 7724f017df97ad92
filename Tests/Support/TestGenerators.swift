import PropertyBased
import ConvMatrix

/// The tests' one generator of convolution geometries, with knobs for what a
/// property needs. The geometries come from ConvMatrix's one geometry draw
/// (`GeometryDraw`, within the limits below); every number is small, so any
/// failing case is small enough to read; `seededPropertyCheck` fixes the
/// cases, so a failure is replayed by rerunning the test (there is no shrinking).
package enum TestGenerators {
    /// A valid convolution: 1–3 spatial dimensions, kernel 1–4, stride 1–3,
    /// dilation 1–2, padding 0–2 before and after independently, 1–3 groups
    /// of 1–2 channels each way, an input 0–4 above the smallest the padded
    /// kernel fits, and C with at most `maximumNonzeros` nonzeros.
    package static var geometry: Generator<ConvolutionGeometry?, some SendableSequenceType> { geometries() }

    /// The most nonzeros of C a drawn convolution has: what keeps 3-D cases small.
    package static let maximumNonzeros = 20_000

    /// Convolutions of `ranks` spatial dimensions (at most 3) with kernels of
    /// `kernels` taps, stride 1–3, dilation 1–2, padding 0–2 on each side
    /// independently (filled as one of `paddingModes`, zeros unless asked),
    /// `groups` groups of 1–2 channels each way, an input
    /// `extraInput` larger than the padded kernel span needs, and at most
    /// `maximumNonzeros` nonzeros. Nil only when a thousand draws in a row
    /// find nothing within these limits.
    package static func geometries(
        ranks: ClosedRange<Int> = 1...3, kernels: ClosedRange<Int> = 1...4,
        groups: ClosedRange<Int> = 1...3, extraInput: ClosedRange<Int> = 0...4, paddingModes: [PaddingMode] = [.zeros]
    ) -> Generator<ConvolutionGeometry?, some SendableSequenceType> {
        let limits = GeometryLimits(
            operations: [.convolution], ranks: Array(ranks), kernel: Array(kernels), stride: [1, 2, 3], dilation: [1, 2],
            channels: .perGroup(groups: Array(groups), channels: [1, 2]), paddingForms: [.asymmetric], padding: [0, 1, 2],
            paddingModes: paddingModes, size: 1...64, extraInput: extraInput, transposedInput: 1...1, maxWork: maximumNonzeros)
        return Generator { random -> ConvolutionGeometry? in
            // One output of the check's generator seeds the draw, so the choices themselves go through
            // SplitMix64's fixed mapping and the cases stay the same whatever the standard library's.
            var choices = SplitMix64(seed: random.next())
            for _ in 0..<1000 {
                if let drawn = GeometryDraw.draw(limits, using: &choices)?.convolutionOperator(limits) { return drawn.convolution }
            }
            return nil
        }
    }

    /// The settings of a transposed convolution for the output-size
    /// properties: 1–3 spatial dimensions, input i′ 1–5, kernel 1–4,
    /// stride 1–4, dilation 1–4 (so dilation above, at and below the
    /// stride), padding 0–3 before and after independently, and the padding
    /// rule: numbers (two cases in four), SAME or VALID. Any of these may
    /// describe no transposed convolution (the padding may crop everything);
    /// the properties say what they expect then.
    package static var transposedSettings: Generator<TransposedSettings, some SendableSequenceType> {
        zip(
            Gen<Int>.value(in: 1...3),
            Gen<Int>.value(in: 1...5).array(of: 3),
            Gen<Int>.value(in: 1...4).array(of: 3),
            Gen<Int>.value(in: 1...4).array(of: 3),
            Gen<Int>.value(in: 1...4).array(of: 3),
            Gen<Int>.value(in: 0...3).array(of: 6),
            Gen<Int>.value(in: 0...3)
        ).map { (rank: Int, input: [Int], kernel: [Int], stride: [Int], dilation: [Int], padding: [Int], rule: Int) -> TransposedSettings in
            TransposedSettings(rank: rank, input: input, kernel: kernel, stride: stride, dilation: dilation, padding: padding, rule: rule)
        }
    }

    /// Seeds for the data drawn by `Verifier` and the helpers below.
    package static let seed = Gen<Int>.value(in: 0...1_000_000).map { UInt64($0) }

    /// Whole numbers in −4…4 drawn from `seed` (exact arithmetic in every route).
    package static func integers(_ count: Int, seed: UInt64) -> [Double] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in Double(generator.int(in: -4...4)) }
    }

    /// A kernel of whole numbers in −4…4 for `geometry`.
    package static func integerKernel(_ geometry: ConvolutionGeometry, seed: UInt64) throws -> Kernel {
        try Kernel(integers(geometry.weightCount, seed: seed), geometry: geometry)
    }
}

/// The largest absolute difference between two arrays (∞ if their lengths differ).
package func maximumDifference(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

extension SplitMix64 {
    /// The next `count` reals in [−1, 1).
    package mutating func signedUnits(_ count: Int) -> [Double] {
        (0..<count).map { _ in signedUnit() }
    }
}

/// Per-dimension settings of a transposed convolution (see `TestGenerators.transposedSettings`).
package struct TransposedSettings: Sendable, CustomStringConvertible {
    /// i′, k, s, d per dimension.
    package let input, kernel, stride, dilation: [Int]
    /// The numeric padding before and after (zero for SAME and VALID, whose amounts depend on the size).
    package let before, after: [Int]
    /// `.explicit(before:after:)`, `.same` or `.valid`.
    package let rule: Padding

    /// The first `rank` of each drawn list; `padding` holds three amounts before, then three after;
    /// `rule` 0 or 1 means numbers, 2 SAME, 3 VALID.
    init(rank: Int, input: [Int], kernel: [Int], stride: [Int], dilation: [Int], padding: [Int], rule: Int) {
        self.input = Array(input[0..<rank])
        self.kernel = Array(kernel[0..<rank])
        self.stride = Array(stride[0..<rank])
        self.dilation = Array(dilation[0..<rank])
        let numeric = rule < 2
        let zeros = [Int](repeating: 0, count: rank)
        before = numeric ? Array(padding[0..<rank]) : zeros
        after = numeric ? Array(padding[3..<(3 + rank)]) : zeros
        self.rule = numeric ? .explicit(before: before, after: after) : rule == 2 ? .same : .valid
    }

    package var rank: Int { input.count }

    package var description: String {
        "input \(input) kernel \(kernel) stride \(stride) dilation \(dilation) padding \(rule)"
    }
}
