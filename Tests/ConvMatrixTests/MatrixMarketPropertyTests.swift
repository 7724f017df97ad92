import PropertyBased
import Testing
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
@testable import ConvMatrixRendering
@testable import ConvMatrixTeaching
import ConvMatrixTestSupport
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// `convmat matrix --format mtx` (MatrixPrinter's Matrix Market form) equals C, or Cᵀ, built
/// by a plain loop over outputs and kernel taps, on random geometries.
@Suite struct MatrixMarketPropertyTests {
    /// The entries of C as "row column value" lines (1-based), from the definition:
    /// C[(o, q), (c, p)] = w[o, c mod (C_in/groups), k] for every tap k with p = q·s − p_before + k·d in range.
    static func plainLoopEntries(_ g: ConvolutionGeometry, weights: [Double], transposed: Bool) -> Set<String> {
        var entries = Set<String>()
        let outStrides = rowMajorStrides(g.outputSize), inStrides = rowMajorStrides(g.inputSize)
        for o in 0..<g.outChannels {
            let group = o / g.outChannelsPerGroup
            for q in 0..<g.outputVolume {
                let qIndex = (0..<g.spatialRank).map { (q / outStrides[$0]) % g.outputSize[$0] }
                for i in 0..<g.inChannelsPerGroup {
                    for k in 0..<g.kernelVolume {
                        let kIndex = (0..<g.spatialRank).map { (k / rowMajorStrides(g.kernelSize)[$0]) % g.kernelSize[$0] }
                        var column = (group * g.inChannelsPerGroup + i) * g.inputVolume
                        var inside = true
                        for d in 0..<g.spatialRank {
                            let p = qIndex[d] * g.stride[d] - g.paddingBefore[d] + kIndex[d] * g.dilation[d]
                            if p < 0 || p >= g.inputSize[d] { inside = false; break }
                            column += p * inStrides[d]
                        }
                        guard inside else { continue }
                        let row = o * g.outputVolume + q
                        let value = weights[(o * g.inChannelsPerGroup + i) * g.kernelVolume + k]
                        entries.insert(transposed ? "\(column + 1) \(row + 1) \(value)" : "\(row + 1) \(column + 1) \(value)")
                    }
                }
            }
        }
        return entries
    }

    @Test func matrixMarketEqualsThePlainLoop() async {
        await seededPropertyCheck(count: 80, input: TestGenerators.geometry, Gen.bool) { drawn, transposed throws in
            guard let geometry = drawn else { Issue.record("invalid geometry"); return }
            // Distinct, non-integer weights so that a misplaced tap cannot go unnoticed.
            let weights = (0..<geometry.weightCount).map { Double($0) + 0.5 }
            let text = try MatrixPrinter(format: .mtx).render(
                transposed ? .transposing(geometry) : .convolution(geometry), kernel: try Kernel(weights, geometry: geometry))
            let lines = text.split(separator: "\n").map(String.init)
            let expected = Self.plainLoopEntries(geometry, weights: weights, transposed: transposed)
            let size = transposed ? "\(geometry.columnCount) \(geometry.rowCount)" : "\(geometry.rowCount) \(geometry.columnCount)"
            #expect(lines.first == "%%MatrixMarket matrix coordinate real general")
            let sizeLine = lines.first { !$0.hasPrefix("%") }
            #expect(sizeLine == "\(size) \(expected.count)", "\(geometry)")
            let body = lines.drop { $0 != sizeLine }.dropFirst()
            #expect(Set(body) == expected, "\(geometry), transposed \(transposed)")
            #expect(body.count == expected.count, "duplicate entries in \(geometry)")
        }
    }
}
