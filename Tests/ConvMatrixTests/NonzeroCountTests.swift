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

/// The closed-form nonzero count against hand counts and brute-force enumeration.
@Suite struct NonzeroCountTests {
    /// Dumoulin & Visin: a 4×4 input and a 3×3 kernel give 4 rows of 9 taps.
    @Test func seedFourByFour() throws {
        #expect(try NonzeroCount.of(ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])) == 36)
    }

    /// Input 5, kernel 3, padding 1: the border outputs lose one tap, 2 + 3 + 3 + 3 + 2 = 13;
    /// with stride 2 the outputs 0, 1, 2 read positions −1…1, 1…3, 3…5: 2 + 3 + 2 = 7.
    /// Two channels in, three out, one group: 2·3·13 = 78.
    @Test func paddedOneDimensionalCountsByHand() throws {
        #expect(try NonzeroCount.of(ConvolutionGeometry(inputSize: [5], kernelSize: [3], padding: .symmetric([1]))) == 13)
        #expect(try NonzeroCount.of(ConvolutionGeometry(inputSize: [5], kernelSize: [3], stride: [2], padding: .symmetric([1]))) == 7)
        #expect(try NonzeroCount.of(ConvolutionGeometry(inputSize: [5], kernelSize: [3], padding: .symmetric([1]), inChannels: 2, outChannels: 3)) == 78)
    }

    /// Input 1, kernel 10⁹, padding 10⁹ on both sides: output o reads position o − 10⁹ + k,
    /// which is the single input position 0 exactly when 1 ≤ o ≤ 10⁹, so there are 10⁹ pairs.
    /// A loop over outputs and taps (10¹⁸ steps) would never finish; the floor sums answer at once.
    @Test func hugeKernelAndPaddingCountInstantly() throws {
        let geometry = try ConvolutionGeometry(inputSize: [1], kernelSize: [1_000_000_000], padding: .symmetric([1_000_000_000]))
        #expect(try NonzeroCount.of(geometry) == 1_000_000_000)
    }

    /// Random single dimensions, including strides and dilations larger than the
    /// kernel and paddings larger than the input, against direct enumeration of
    /// every (output, tap) pair.
    @Test func matchesEnumerationOfPairs() async {
        let dimensions = zip(
            Gen.int(in: 1...12), Gen.int(in: 1...6), Gen.int(in: 1...5), Gen.int(in: 1...4),
            Gen.int(in: 0...9), Gen.int(in: 0...9)
        ).map { input, kernel, stride, dilation, before, after in
            try? ConvolutionGeometry(
                inputSize: [input], kernelSize: [kernel], stride: [stride], dilation: [dilation],
                padding: .explicit(before: [before], after: [after]))
        }
        // Kernels wider than the padded input make no geometry and are skipped.
        await seededPropertyCheck(count: 500, skipping: 0.4, input: dimensions) { geometry in
            guard let geometry else { return false }
            var pairs = 0
            for o in 0..<geometry.outputSize[0] {
                for k in 0..<geometry.kernelSize[0] {
                    let position = o * geometry.stride[0] - geometry.paddingBefore[0] + k * geometry.dilation[0]
                    if position >= 0 && position < geometry.inputSize[0] { pairs += 1 }
                }
            }
            #expect((try? NonzeroCount.of(geometry)) == pairs, "\(geometry)")
            return true
        }
    }

    /// Whole geometries (rank 1–3, groups): the closed form equals the geometry's own count.
    @Test func matchesGeometryCount() async {
        await seededPropertyCheck(count: 300, input: TestGenerators.geometries(kernels: 1...3, extraInput: 0...6)) { geometry in
            guard let geometry else { Issue.record("the generator made an invalid geometry"); return }
            #expect((try? NonzeroCount.of(geometry)) == geometry.nonzeroCount)
        }
    }

    /// The per-dimension pairs, found from whichever side is shorter, are exactly those of
    /// the definition x = o·s − p + k·d with 0 ≤ x < i, 0 ≤ o < n, 0 ≤ k < K (enumerated here
    /// over every o and k), including strides and dilations that share factors and outputs
    /// that outnumber the inputs.
    @Test func pairsFromEitherSideAreTheDefinitionsPairs() async {
        await seededPropertyCheck(
            count: 600, input: Gen.int(in: 1...9), Gen.int(in: 1...12), Gen.int(in: 1...6), Gen.int(in: 1...6),
            Gen.int(in: 1...6), Gen.int(in: 0...12)
        ) { i, n, K, s, d, p in
            var expected = [[Int]]()
            for o in 0..<n {
                for k in 0..<K {
                    let x = o * s - p + k * d
                    if x >= 0 && x < i { expected.append([o, x]) }
                }
            }
            var found = [[Int]]()
            NonzeroCount.forEachPair(input: i, output: n, kernel: K, stride: s, dilation: d, paddingBefore: p) { found.append([$0, $1]) }
            #expect(
                found.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) },
                "i \(i) n \(n) K \(K) s \(s) d \(d) p \(p)")
        }
    }

    /// A dimension with 10¹⁵ outputs and 8 inputs is walked over its 8 inputs.
    @Test func hugePaddingIsWalkedOverTheInputs() throws {
        var pairs = [[Int]]()
        NonzeroCount.forEachPair(
            input: 8, output: 2_000_000_000_000_008, kernel: 1, stride: 1, dilation: 1,
            paddingBefore: 1_000_000_000_000_000
        ) { pairs.append([$0, $1]) }
        // Output o reads input o − 10¹⁵: the 8 inputs are read by outputs 10¹⁵ … 10¹⁵ + 7.
        #expect(pairs == (0..<8).map { [1_000_000_000_000_000 + $0, $0] })
    }
}
