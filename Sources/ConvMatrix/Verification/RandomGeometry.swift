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
    public static let maximumWork = 3000

    /// The `count` cases of the sweep with `seed`, drawn one at a time as the sequence is iterated.
    public static func sweep(count: Int, seed: UInt64) -> Sweep {
        Sweep(generator: SplitMix64(seed: seed), remaining: max(count, 0))
    }

    /// The cases of one sweep; every iteration starts again from the seed.
    public struct Sweep: Sequence, IteratorProtocol, Sendable {
        var generator: SplitMix64
        var remaining: Int

        /// The next case, or nil after the last.
        public mutating func next() -> VerificationCase? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            return RandomGeometry.next(using: &generator)
        }
    }

    /// The next valid case from `generator`.
    public static func next(using generator: inout SplitMix64) -> VerificationCase {
        while true {
            let candidate = draw(using: &generator)
            guard let geometry = try? candidate.geometry().convolution else { continue }
            let work = geometry.rowCount * geometry.inChannelsPerGroup * geometry.kernelVolume
            if work <= maximumWork && geometry.columnCount <= 400 { return candidate }
        }
    }

    /// One draw of every parameter, not yet checked.
    static func draw(using generator: inout SplitMix64) -> VerificationCase {
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
        var padding: String
        switch paddingKind {
        case 0:
            padding = "valid"
        case 1:
            padding = (0..<rank).map { _ in "\(generator.int(in: 0...2))" }.joined(separator: "x")
        case 2:
            padding = (0..<rank).map { _ in "\(generator.int(in: 0...2)):\(generator.int(in: 0...2))" }.joined(separator: "x")
        default:
            padding = "same"
        }
        var outputPadding = "0"
        let limit = rank == 3 ? 3 : 5
        if transposed {
            for _ in 0..<rank { input.append(generator.int(in: 1...limit)) }
            if paddingKind == 1 || paddingKind == 2 {
                outputPadding = (0..<rank).map { d in
                    "\(generator.int(in: 0...(max(stride[d], dilation[d]) - 1)))"
                }.joined(separator: "x")
            }
        } else {
            for d in 0..<rank {
                let span = dilation[d] * (kernel[d] - 1) + 1
                input.append(generator.int(in: max(1, span - 2)...(span + limit)))
            }
        }
        // All-equal lists are written once ("2" for 2x2x2), as a person would type them.
        let text = { (values: [Int]) in
            Set(values).count == 1 ? "\(values[0])" : values.map(String.init).joined(separator: "x")
        }
        if !padding.contains(":"), let first = padding.split(separator: "x").first,
           padding.split(separator: "x").allSatisfy({ $0 == first }) {
            padding = String(first)
        }
        return VerificationCase(
            input: input.map(String.init).joined(separator: "x"), kernel: text(kernel), stride: text(stride), padding: padding,
            dilation: text(dilation), inChannels: transposed ? outChannels : inChannels,
            outChannels: transposed ? inChannels : outChannels, groups: groups,
            outputPadding: text(outputPadding.split(separator: "x").compactMap { Int($0) }),
            transposed: transposed, seed: generator.next() >> 12)
    }
}
