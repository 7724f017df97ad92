import _Differentiation
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

/// The backward-pass route: automatic differentiation of ⟨y, conv(x)⟩.
@Suite struct BackwardPassTests {
    /// 1-D, worked by hand: conv of x (5) with w = [1, 10, 100] gives 3 outputs; with y = [1, 0, 2]
    /// the gradient is 1·w placed at 0 plus 2·w placed at 2: [1, 10, 102, 20, 200].
    @Test func handWorkedGradient() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5], kernelSize: [3])
        let kernel = try Kernel([1, 10, 100], geometry: geometry)
        #expect(backwardPassTransposedConvolution([1, 0, 2], kernel: kernel) == [1, 10, 102, 20, 200])
    }

    /// Dive into Deep Learning, stride 2: the gradient route gives the same 4×4 as the book.
    @Test func d2lStrideTwo() throws {
        let geometry = try TransposedConvolutionGeometry(inputSize: [2, 2], kernelSize: [2, 2], stride: [2])
        let kernel = try Kernel([0, 1, 2, 3], geometry: geometry.convolution)
        #expect(
            backwardPassTransposedConvolution([0, 1, 2, 3], kernel: kernel)
                == [0, 0, 0, 1, 0, 0, 2, 3, 0, 2, 0, 3, 4, 6, 6, 9])
    }

    /// The sparse gradient against Swift's own dense `Array` derivative on the same forward loop
    /// (written here a second time, over `[Double]`), for a strided, padded, dilated 2-D geometry.
    @Test func agreesWithDenseArrayDifferentiation() throws {
        let geometry = try ConvolutionGeometry(
            inputSize: [5, 4], kernelSize: [2, 3], stride: [2, 1], dilation: [1, 2], padding: .explicit(before: [1, 0], after: [0, 2]),
            inChannels: 2, outChannels: 2, groups: 2)
        let kernel = try TestGenerators.integerKernel(geometry, seed: 7)
        let y = TestGenerators.integers(geometry.rowCount, seed: 8)
        let dense = gradient(at: [Double](repeating: 0, count: geometry.columnCount)) { x in denseDirectPairing(x, y, kernel) }
        #expect(backwardPassTransposedConvolution(y, kernel: kernel) == dense.base)
    }

    /// Values built from shared buffers keep their own terms: appending to one does not change another.
    @Test func sparseGradientValuesStayIndependent() {
        let a = SparseGradient(index: 0, value: 1)
        let ab = a + SparseGradient(index: 1, value: 2)
        let ac = a + SparseGradient(index: 2, value: 3)
        let abd = ab + SparseGradient(index: 3, value: 4)
        #expect(a.dense(length: 4) == [1, 0, 0, 0])
        #expect(ab.dense(length: 4) == [1, 2, 0, 0])
        #expect(ac.dense(length: 4) == [1, 0, 3, 0])
        #expect(abd.dense(length: 4) == [1, 2, 0, 4])
        #expect((abd - ab).dense(length: 4) == [0, 0, 0, 4])
        #expect(ab + .zero == ab)
        #expect(ab != ac)
    }
}

/// ⟨y, conv(x)⟩ over a plain `[Double]`, whose derivative Swift supplies (dense, O(n) per read).
@differentiable(reverse,wrt: x)
private func denseDirectPairing(_ x: [Double], _ y: [Double], _ kernel: Kernel) -> Double {
    let g = kernel.geometry
    let w = kernel.values
    var total = 0.0
    var row = 0
    for o in 0..<g.outChannels {
        let group = o / g.outChannelsPerGroup
        for q0 in 0..<g.outputSize[0] {
            for q1 in 0..<g.outputSize[1] {
                var sum = 0.0
                for i in 0..<g.inChannelsPerGroup {
                    for k0 in 0..<g.kernelSize[0] {
                        for k1 in 0..<g.kernelSize[1] {
                            let p0 = q0 * g.stride[0] - g.paddingBefore[0] + k0 * g.dilation[0]
                            let p1 = q1 * g.stride[1] - g.paddingBefore[1] + k1 * g.dilation[1]
                            if p0 >= 0 && p0 < g.inputSize[0] && p1 >= 0 && p1 < g.inputSize[1] {
                                let channel = group * g.inChannelsPerGroup + i
                                let tap = ((o * g.inChannelsPerGroup + i) * g.kernelSize[0] + k0) * g.kernelSize[1] + k1
                                sum = sum + w[tap] * x[(channel * g.inputSize[0] + p0) * g.inputSize[1] + p1]
                            }
                        }
                    }
                }
                total = total + y[row] * sum
                row += 1
            }
        }
    }
    return total
}
