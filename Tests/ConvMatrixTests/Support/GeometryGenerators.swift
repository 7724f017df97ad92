import PropertyBased
@testable import ConvMatrix

/// Random valid convolution geometries for property tests: 1–3 spatial
/// dimensions, small sizes, groups, stride, dilation and asymmetric padding.
/// The input is always at least the kernel span, so every draw is valid.
enum GeometryGenerators {
    /// The raw draws behind one geometry; its description replays it.
    struct Draw: Sendable, CustomStringConvertible {
        var rank: Int
        var kernel: [Int], stride: [Int], dilation: [Int], before: [Int], after: [Int], extra: [Int]
        var inPerGroup: Int, outPerGroup: Int, groups: Int

        /// The geometry these draws describe.
        func geometry() throws -> ConvolutionGeometry {
            let spans = (0..<rank).map { dilation[$0] * (kernel[$0] - 1) + 1 }
            return try ConvolutionGeometry(
                inputSize: (0..<rank).map { max(spans[$0] + extra[$0] - before[$0] - after[$0], 1) },
                kernelSize: Array(kernel.prefix(rank)), stride: Array(stride.prefix(rank)),
                dilation: Array(dilation.prefix(rank)),
                padding: .explicit(before: Array(before.prefix(rank)), after: Array(after.prefix(rank))),
                inChannels: inPerGroup * groups, outChannels: outPerGroup * groups, groups: groups)
        }

        var description: String {
            "rank \(rank) kernel \(kernel) stride \(stride) dilation \(dilation) padding \(before)/\(after) extra \(extra) channels \(inPerGroup)·\(groups)→\(outPerGroup)·\(groups)"
        }
    }

    /// Draws for small geometries.
    static let draws = zip(
        Gen.int(in: 1...3),
        Gen.int(in: 1...3).array(of: 3),
        Gen.int(in: 1...3).array(of: 3),
        Gen.int(in: 1...2).array(of: 3),
        Gen.int(in: 0...2).array(of: 3),
        Gen.int(in: 0...2).array(of: 3),
        Gen.int(in: 0...4).array(of: 3),
        zip(Gen.int(in: 1...2), Gen.int(in: 1...2), Gen.int(in: 1...2))
    ).map { rank, kernel, stride, dilation, before, after, extra, channels in
        Draw(rank: rank, kernel: kernel, stride: stride, dilation: dilation, before: before, after: after,
             extra: extra, inPerGroup: channels.0, outPerGroup: channels.1, groups: channels.2)
    }
}
