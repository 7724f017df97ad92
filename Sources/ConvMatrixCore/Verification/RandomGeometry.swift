/// Random but reproducible geometries for sweeps and property tests.
///
/// Each case is drawn from a `SplitMix64` stream: 1–3 spatial dimensions;
/// 1–3 groups of 1–2 channels each way; per dimension a kernel of 1–3 (1–5
/// in 1-D), stride 1–3, dilation 1–3 (mostly 1); padding valid, symmetric,
/// asymmetric (before:after) or SAME; half of the cases transposed, with an
/// output padding below max(stride, dilation). Draws that do not form a
/// valid geometry, or whose C would have more than `maximumWork`
/// rows × taps, are redrawn, so the sequence for a seed is fixed and
/// every case is small enough for a sweep of thousands to take seconds.
public enum RandomGeometry {
    /// Upper limit on rows of C × taps per row for a generated case.
    package static let maximumWork = 3000

    /// The largest sweep a command runs: a million cases take about five
    /// minutes in a release build, so anything larger is refused up front.
    package static let largestSweep = 1_000_000

    /// The `count` cases of the sweep with `seed`, drawn one at a time as the sequence is iterated.
    ///
    /// - Parameters:
    ///   - count: the number of cases.
    ///   - seed: the seed; the same seed gives the same cases on every machine.
    /// - Returns: a lazy sequence; no case is drawn before it is asked for.
    public static func sweep(count: Int, seed: UInt64) -> Sweep {
        Sweep(generator: SplitMix64(seed: seed), remaining: max(count, 0))
    }

    /// The cases of one sweep; every iteration starts again from the seed.
    public struct Sweep: Sequence, IteratorProtocol, Sendable {
        var generator: SplitMix64
        var remaining: Int

        /// The next case, or nil after the last.
        ///
        /// - Returns: the case, whose data seed is drawn from the sweep's generator.
        public mutating func next() -> VerificationCase? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            return RandomGeometry.next(using: &generator)
        }
    }

    /// The next valid case from `generator`.
    ///
    /// - Parameter generator: the source of randomness, advanced past the draws.
    /// - Returns: a case that exists (invalid draws are drawn again) and is small enough to verify quickly.
    package static func next(using generator: inout SplitMix64) -> VerificationCase {
        while true {
            let (fields, seed) = draw(using: &generator)
            guard let drawn = try? ConvolutionOperator(fields) else { continue }
            let geometry = drawn.convolution
            let work = geometry.rowCount * geometry.inChannelsPerGroup * geometry.kernelVolume
            if work <= maximumWork && geometry.columnCount <= 400 { return VerificationCase(drawn, seed: seed) }
        }
    }

    /// One draw of every field, not yet checked, and the seed of the case's data.
    static func draw(using generator: inout SplitMix64) -> (fields: ConvolutionFields, seed: UInt64) {
        let rank = [1, 1, 2, 2, 3][generator.int(in: 0...4)]
        let groups = [1, 1, 1, 2, 3][generator.int(in: 0...4)]
        let inChannels = groups * generator.int(in: 1...2)
        let outChannels = groups * generator.int(in: 1...2)
        let transposed = generator.chance(0.5)
        var kernel = [Int](), stride = [Int](), dilation = [Int](), input = [Int]()
        for _ in 0..<rank {
            kernel.append(generator.int(in: 1...(rank == 1 ? 5 : 3)))
            stride.append(generator.int(in: 1...3))
            dilation.append(generator.chance(0.7) ? 1 : generator.int(in: 2...3))
        }
        let paddingKind = generator.int(in: 0...3)
        let padding: Padding
        switch paddingKind {
        case 0:
            padding = .valid
        case 1:
            padding = .symmetric((0..<rank).map { _ in generator.int(in: 0...2) })
        case 2:
            var before = [Int](), after = [Int]()
            for _ in 0..<rank {
                before.append(generator.int(in: 0...2))
                after.append(generator.int(in: 0...2))
            }
            padding = .explicit(before: before, after: after)
        default:
            padding = .same
        }
        var outputPadding: [Int]?
        let limit = rank == 3 ? 3 : 5
        if transposed {
            for _ in 0..<rank { input.append(generator.int(in: 1...limit)) }
            if paddingKind == 1 || paddingKind == 2 {
                outputPadding = (0..<rank).map { d in generator.int(in: 0...(max(stride[d], dilation[d]) - 1)) }
            }
        } else {
            for d in 0..<rank {
                let span = dilation[d] * (kernel[d] - 1) + 1
                input.append(generator.int(in: max(1, span - 2)...(span + limit)))
            }
        }
        var fields = ConvolutionFields(input: input, kernel: kernel)
        fields.stride = stride
        fields.dilation = dilation
        fields.padding = padding
        // The channel counts drawn are the convolution's; a transposed one has them the other way round.
        fields.inChannels = transposed ? outChannels : inChannels
        fields.outChannels = transposed ? inChannels : outChannels
        fields.groups = groups
        fields.outputPadding = outputPadding
        fields.transposed = transposed
        return (fields, generator.next() >> 12)
    }
}
