import PropertyBased
import ConvMatrix

/// Property-test generators of small convolution geometries whose every
/// parameter is a shrinkable integer, so a failure shrinks towards a small
/// geometry (rank 1, kernel 1, stride 1, no padding, one channel).
package enum TestGenerators {
    /// A valid convolution: 1–3 spatial dimensions, kernel 1–4 (1–2 in 3-D),
    /// stride 1–3, dilation 1–2, padding 0–2 before and after independently,
    /// 1–3 groups of 1–2 channels each way, input at least the padded span.
    package static let geometry = zip(
        Gen<Int>.value(in: 1...3),
        Gen<Int>.value(in: 1...4).array(of: 3),
        Gen<Int>.value(in: 1...3).array(of: 3),
        Gen<Int>.value(in: 1...2).array(of: 3),
        Gen<Int>.value(in: 0...2).array(of: 6),
        Gen<Int>.value(in: 0...4).array(of: 3),
        Gen<Int>.value(in: 1...3),
        Gen<Int>.value(in: 1...2).array(of: 2)
    ).map { rank, kernel, stride, dilation, padding, extra, groups, perGroup in
        makeGeometry(rank: rank, kernel: kernel, stride: stride, dilation: dilation, padding: padding,
                     extra: extra, groups: groups, perGroup: perGroup)
    }

    /// Seeds for the data drawn by `Verifier` and the helpers below.
    package static let seed = Gen<Int>.value(in: 0...1_000_000).map { UInt64($0) }

    package static func makeGeometry(rank: Int, kernel: [Int], stride: [Int], dilation: [Int], padding: [Int],
                             extra: [Int], groups: Int, perGroup: [Int]) -> ConvolutionGeometry? {
        var kernelSize = [Int](), input = [Int]()
        for d in 0..<rank {
            let k = rank == 3 ? min(kernel[d], 2) : kernel[d]
            let span = dilation[d] * (k - 1) + 1
            kernelSize.append(k)
            input.append(max(1, span - padding[d] - padding[3 + d] + (rank == 3 ? min(extra[d], 2) : extra[d])))
        }
        return try? ConvolutionGeometry(
            inputSize: input, kernelSize: kernelSize, stride: Array(stride[0..<rank]),
            dilation: Array(dilation[0..<rank]),
            padding: .explicit(before: Array(padding[0..<rank]), after: Array(padding[3..<(3 + rank)])),
            inChannels: groups * perGroup[0], outChannels: groups * perGroup[1], groups: groups)
    }

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
