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

/// With the opt-in policy installed, CHOLMOD's large blocks start on huge-page boundaries, and CHOLMOD still works with them.
@Suite struct HugePageAllocationTests {
    /// C's arrays of 4 MiB or more start on a 2 MiB boundary (so the kernel can back them
    /// with huge pages) and C is still right. 256×256, 3×3, padding 1: nnz = (3·256 − 2)² =
    /// 586756, so the row indices and values take 4.69 MB each; C·x is checked against the
    /// direct loop on a ramp.
    @Test func largeArraysStartOnHugePageBoundaries() throws {
        HugePageAllocation.install()
        let geometry = try ConvolutionGeometry(inputSize: [256, 256], kernelSize: [3, 3], padding: .symmetric([1]))
        #expect(geometry.nonzeroCount == 586756)
        let kernel = try Kernel((1...9).map(Double.init), geometry: geometry)
        let c = try SparseMatrix(convolution: kernel)
        let sparse = c.storage.pointee
        for (name, address) in [("row indices", Int(bitPattern: sparse.i)), ("values", Int(bitPattern: sparse.x))] {
            #expect(address % HugePageAllocation.alignment == 0, "\(name) at \(address)")
        }
        let x = (0..<geometry.columnCount).map { Double($0 % 97) - 48 }
        #expect(try c.multiply(DenseMatrix(column: x)).values == directConvolution(x, kernel: kernel))
    }
    /// CHOLMOD allocates, reallocates and frees large aligned blocks in another context:
    /// AᵀA + λI for a 1-D C with 300000 columns (kernel 3, padding 1: nnz = 3·300000 − 2,
    /// so its row indices and values take 7.2 MB each) factorizes, and the solution x of
    /// (CᵀC + λI)x = b satisfies Cᵀ(Cx) + λx = b to rounding.
    @Test func aFactorizationOnAlignedBlocksSolves() throws {
        HugePageAllocation.install()
        let n = 300_000, shift = 0.5
        let geometry = try ConvolutionGeometry(inputSize: [n], kernelSize: [3], padding: .symmetric([1]))
        #expect(geometry.nonzeroCount == 3 * n - 2)
        let c = try SparseMatrix(convolution: try Kernel([0.25, 0.5, 0.25], geometry: geometry))
        let factor = try CholeskyFactor(normalEquationsOf: c, shift: shift)
        let b = (0..<n).map { Double($0 % 11) - 5 }
        let x = try factor.solve(DenseMatrix(column: b)).values
        let cx = try c.multiply(DenseMatrix(column: x))
        let normal = try c.multiplyTransposed(cx).values
        let residual = zip(zip(normal, x), b).map { abs($0.0 + shift * $0.1 - $1) }.max() ?? .infinity
        #expect(residual < 1e-9)
    }
}
