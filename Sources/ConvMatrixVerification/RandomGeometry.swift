import ConvMatrixCore

/// Random but reproducible geometries for sweeps and property tests.
///
/// Each case is drawn from a `SplitMix64` stream by `GeometryDraw` within
/// `limits`: 1–3 spatial dimensions (3 in one case of five); 1–3 groups
/// (mostly 1) of 1–2 channels each way; per dimension a kernel of 1–3,
/// stride 1–3, dilation 1–3 (mostly 1); padding valid, symmetric,
/// asymmetric (before:after) or SAME, 0–2 on a side, filled (for a
/// convolution) with zeros in half the cases and by reflect, replicate or
/// circular padding in a sixth each; inputs up to 5 above
/// the smallest the padded kernel fits, every extent at most 16; half of
/// the cases transposed, with an output padding below max(stride, dilation)
/// or, under SAME and VALID, any output size TensorFlow accepts. Draws whose
/// C would have more than `maximumWork` rows × taps or 400 columns are
/// redrawn, so the sequence for a seed is fixed and every case is small
/// enough for a sweep of thousands to take seconds.
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

    /// What a sweep draws (see the type's description).
    static let limits = GeometryLimits(
        operations: [.convolution, .transposed], ranks: [1, 1, 2, 2, 3],
        kernel: [1, 2, 3], stride: [1, 2, 3], dilation: [1, 1, 1, 1, 1, 2, 3],
        channels: .perGroup(groups: [1, 1, 1, 2, 3], channels: [1, 2]),
        paddingForms: [.valid, .symmetric, .asymmetric, .same], padding: [0, 1, 2],
        paddingModes: [.zeros, .zeros, .zeros, .reflect, .replicate, .circular],
        size: 1...16, extraInput: 0...5, transposedInput: 1...5)

    /// The next valid case from `generator`.
    ///
    /// - Parameter generator: the source of randomness, advanced past the draws.
    /// - Returns: a case that exists (draws outside the limits are drawn again) and is small enough to verify quickly.
    package static func next(using generator: inout SplitMix64) -> VerificationCase {
        while true {
            guard let drawn = GeometryDraw.draw(limits, using: &generator)?.convolutionOperator(limits) else { continue }
            let geometry = drawn.convolution
            let work = geometry.rowCount * geometry.inChannelsPerGroup * geometry.kernelVolume
            if work <= maximumWork && geometry.columnCount <= 400 { return VerificationCase(drawn, seed: generator.next() >> 12) }
        }
    }
}
