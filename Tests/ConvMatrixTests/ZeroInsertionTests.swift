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

/// The zero-insertion route against the worked examples of Dive into Deep Learning and Dumoulin & Visin.
@Suite struct ZeroInsertionTests {
    /// Dive into Deep Learning: input [[0,1],[2,3]], kernel [[0,1],[2,3]], stride 1 → [[0,0,1],[0,4,6],[4,12,9]].
    @Test func d2lStrideOne() throws {
        let geometry = try TransposedConvolutionGeometry(inputSize: [2, 2], kernelSize: [2, 2])
        let kernel = try Kernel([0, 1, 2, 3], geometry: geometry.convolution)
        #expect(zeroInsertionTransposedConvolution([0, 1, 2, 3], kernel: kernel) == [0, 0, 1, 0, 4, 6, 4, 12, 9])
    }

    /// Dive into Deep Learning: the same with stride 2 gives the 4×4 [[0,0,0,1],[0,0,2,3],[0,2,0,3],[4,6,6,9]].
    @Test func d2lStrideTwo() throws {
        let geometry = try TransposedConvolutionGeometry(inputSize: [2, 2], kernelSize: [2, 2], stride: [2])
        let kernel = try Kernel([0, 1, 2, 3], geometry: geometry.convolution)
        #expect(
            zeroInsertionTransposedConvolution([0, 1, 2, 3], kernel: kernel)
                == [0, 0, 0, 1, 0, 0, 2, 3, 0, 2, 0, 3, 4, 6, 6, 9])
    }

    /// Dive into Deep Learning: padding 1 removes the border of the 3×3 result, leaving [[4]].
    /// Here the equivalent convolution's padding d(k−1) − p = 0.
    @Test func d2lPaddingOne() throws {
        let geometry = try TransposedConvolutionGeometry(inputSize: [2, 2], kernelSize: [2, 2], padding: .symmetric([1]))
        let kernel = try Kernel([0, 1, 2, 3], geometry: geometry.convolution)
        #expect(ZeroInsertion(geometry: geometry.convolution).paddingBefore == [0, 0])
        #expect(zeroInsertionTransposedConvolution([0, 1, 2, 3], kernel: kernel) == [4])
    }

    /// Dumoulin & Visin: i = 6, k = 3, s = 2, p = 1 has o = 3 and a = (i + 2p − k) mod s = 1; the
    /// equivalent convolution inserts s − 1 = 1 zero, pads k − p − 1 = 1 before and 1 + a = 2 after,
    /// and the output size o′ = s(i′ − 1) + a + k − 2p = 6.
    @Test func seedOneOutputPaddingExample() throws {
        let geometry = try ConvolutionGeometry(inputSize: [6, 6], kernelSize: [3, 3], stride: [2], padding: .symmetric([1]))
        #expect(geometry.outputSize == [3, 3])
        let plan = ZeroInsertion(geometry: geometry)
        #expect(plan.insertedZeros == [1, 1])
        #expect(plan.outputPadding == [1, 1])
        #expect(plan.paddingBefore == [1, 1])
        #expect(plan.paddingAfter == [2, 2])
        #expect(plan.expandedSize == [8, 8])

        // y = 1…9 and w = 1…9; expected by the definition z[u,v] = Σ w[a,b]·y[q,r] over 2q − 1 + a = u, 2r − 1 + b = v.
        let y = (1...9).map(Double.init)
        let w = (1...9).map(Double.init)
        var expected = [Double](repeating: 0, count: 36)
        for q in 0..<3 {
            for r in 0..<3 {
                for a in 0..<3 {
                    for b in 0..<3 {
                        let u = 2 * q - 1 + a, v = 2 * r - 1 + b
                        if (0..<6).contains(u) && (0..<6).contains(v) { expected[6 * u + v] += w[3 * a + b] * y[3 * q + r] }
                    }
                }
            }
        }
        #expect(zeroInsertionTransposedConvolution(y, kernel: try Kernel(w, geometry: geometry)) == expected)
    }

    /// Dumoulin & Visin: the transpose of a 3×3 convolution on 4×4 (s = 1, p = 0) is a convolution of the
    /// 2×2 input padded with k − 1 = 2 zeros on every side.
    @Test func seedOneFullPadding() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])
        let plan = ZeroInsertion(geometry: geometry)
        #expect(plan.paddingBefore == [2, 2])
        #expect(plan.paddingAfter == [2, 2])
        #expect(
            plan.expand([1, 2, 3, 4]) == [
                0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0,
                0, 0, 1, 2, 0, 0,
                0, 0, 3, 4, 0, 0,
                0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0,
            ])
    }

    /// Padding larger than d(k − 1) makes the equivalent padding negative: the zero-inserted input is cropped.
    /// A 1-tap kernel with padding 1 on a 3-element input keeps only the middle element, times w.
    @Test func negativePaddingCrops() throws {
        let geometry = try TransposedConvolutionGeometry(inputSize: [3], kernelSize: [1], padding: .symmetric([1]))
        #expect(ZeroInsertion(geometry: geometry.convolution).paddingBefore == [-1])
        let kernel = try Kernel([5], geometry: geometry.convolution)
        #expect(zeroInsertionTransposedConvolution([1, 2, 3], kernel: kernel) == [10])
    }

    /// Channels are swapped and the kernel flipped: for 1 → 2 channels with a 2-tap kernel, output channel
    /// c of the transpose is Σ_o y_o ⋆ w[o, c], worked by hand: y = [1, 2] (one channel, 2 positions),
    /// w[0,0] = [1, 10], w[1,0] = [100, 1000] seen from the convolution with C_in = 1, C_out = 2.
    @Test func channelsSwapAndKernelFlips() throws {
        let geometry = try ConvolutionGeometry(inputSize: [3], kernelSize: [2], inChannels: 1, outChannels: 2)
        let kernel = try Kernel([1, 10, 100, 1000], geometry: geometry)
        #expect(ZeroInsertion(geometry: geometry).equivalentKernel(kernel.values) == [10, 1, 1000, 100])
        // y = [channel 0: 1, 2; channel 1: 3, 4]; z[t] = Σ_o Σ_k w[o,k]·y[o, t − k].
        let z = zeroInsertionTransposedConvolution([1, 2, 3, 4], kernel: kernel)
        let expected: [Double] = [1 * 1 + 100 * 3, 10 * 1 + 1 * 2 + 1000 * 3 + 100 * 4, 10 * 2 + 1000 * 4]
        #expect(z == expected)
    }

    /// For every transposed convolution described with an output_padding, the zero-insertion's a is that output_padding.
    @Test func outputPaddingMatchesTransposedGeometry() throws {
        for stride in 1...3 {
            for a in 0..<stride {
                let geometry = try TransposedConvolutionGeometry(
                    inputSize: [3, 2], kernelSize: [3, 2], stride: [stride], padding: .symmetric([1]), outputPadding: [a])
                #expect(ZeroInsertion(geometry: geometry.convolution).outputPadding == [a, a])
            }
        }
    }
}
