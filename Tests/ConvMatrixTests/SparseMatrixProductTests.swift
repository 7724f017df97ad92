import Testing
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
@testable import ConvMatrixRendering
@testable import ConvMatrixTeaching
import ConvMatrixTestSupport

/// Products with several columns (padded leading dimension inside) against the reference loops.
@Suite struct SparseMatrixProductTests {
    /// 8×16 input, 4 → 4 channels: 512 columns, a multiple of 2⁸ — the case where CHOLMOD's
    /// four columns would share cache sets. For 1 to 5 samples (every remainder modulo 4),
    /// each column of C·X and Cᵀ·Y equals the direct and scatter loops on that sample.
    @Test func batchedProductsMatchReferenceLoops() throws {
        let geometry = try ConvolutionGeometry(inputSize: [8, 16], kernelSize: [3, 3], padding: .symmetric([1]), inChannels: 4, outChannels: 4)
        var random = SplitMix64(seed: 7)
        print("batchedProductsMatchReferenceLoops seed 7")
        let kernel = try Kernel(random.signedUnits(geometry.weightCount), geometry: geometry)
        let matrix = try SparseMatrix(convolution: kernel)
        for samples in 1...5 {
            let x = DenseMatrix(rowCount: geometry.columnCount, columnCount: samples, values: random.signedUnits(geometry.columnCount * samples))
            let y = DenseMatrix(rowCount: geometry.rowCount, columnCount: samples, values: random.signedUnits(geometry.rowCount * samples))
            let forward = try matrix.multiply(x), transposed = try matrix.multiplyTransposed(y)
            #expect(forward.rowCount == geometry.rowCount && forward.columnCount == samples)
            #expect(transposed.rowCount == geometry.columnCount && transposed.columnCount == samples)
            for sample in 0..<samples {
                #expect(maximumDifference(forward.column(sample), directConvolution(x.column(sample), kernel: kernel)) < 1e-12)
                #expect(maximumDifference(transposed.column(sample), scatterTransposedConvolution(y.column(sample), kernel: kernel)) < 1e-12)
            }
        }
    }

    /// The padded leading dimension is the next odd number of 8-double lines: 2048 → 2056, 9 → 24, 1 → 8.
    @Test func paddedLeadingDimension() {
        #expect(SparseMatrix.paddedLeadingDimension(2048) == 2056)
        #expect(SparseMatrix.paddedLeadingDimension(2056) == 2056)
        #expect(SparseMatrix.paddedLeadingDimension(9) == 24)
        #expect(SparseMatrix.paddedLeadingDimension(1) == 8)
    }
}
