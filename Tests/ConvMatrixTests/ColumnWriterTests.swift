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

/// The one-pass, block-parallel writer of C against independent routes:
/// the direct convolution loop applied to unit vectors, products against
/// the reference loops, and CHOLMOD's own structure check.
@Suite struct ColumnWriterTests {
    /// The numeric arrays equal the symbolic structure with the kernel looked up entry by entry.
    @Test func numericArraysEqualSymbolicStructure() async throws {
        await seededPropertyCheck(count: 300, input: TestGenerators.geometries(kernels: 1...3, extraInput: 0...6)) { geometry in
            guard let geometry else { Issue.record("the generator made an invalid geometry"); return }
            let kernel = Kernel.counting(geometry)
            let symbolic = ConvolutionMatrix(geometry: geometry)
            guard let numeric = try? SparseMatrix(convolution: kernel) else {
                Issue.record("CHOLMOD refused \(geometry)")
                return
            }
            let arrays = numeric.compressedColumns
            #expect(arrays.columnStarts == symbolic.columnStarts)
            #expect(arrays.rowIndices == symbolic.rowIndices)
            #expect(arrays.values == symbolic.values(for: kernel.values))
            #expect(symbolic.nonzeroCount == geometry.nonzeroCount)
        }
    }

    /// Column j of C is the direct convolution of the j-th unit vector, and each
    /// entry is a single kernel value, so the comparison is exact.
    @Test func columnsAreDirectConvolutionsOfUnitVectors() async throws {
        // Each column costs a direct convolution, so only matrices of up to 96 columns are checked here.
        await seededPropertyCheck(count: 300, skipping: 0.5, input: TestGenerators.geometries(kernels: 1...3, extraInput: 0...6)) { geometry in
            guard let geometry, geometry.columnCount <= 96 else { return false }
            let symbolic = ConvolutionMatrix(geometry: geometry)
            let kernel = Kernel.counting(geometry)
            let values = symbolic.values(for: kernel.values)
            for column in 0..<geometry.columnCount {
                var unit = [Double](repeating: 0, count: geometry.columnCount)
                unit[column] = 1
                var fromMatrix = [Double](repeating: 0, count: geometry.rowCount)
                for n in symbolic.columnStarts[column]..<symbolic.columnStarts[column + 1] {
                    fromMatrix[symbolic.rowIndices[n]] = values[n]
                }
                #expect(fromMatrix == directConvolution(unit, kernel: kernel), "column \(column) of \(geometry)")
            }
            return true
        }
    }

    /// A matrix big enough to be written by several threads (3-D, groups,
    /// dilation, stride, asymmetric padding): CHOLMOD accepts its structure,
    /// and both products agree with the reference loops.
    @Test func parallelBuildAgreesWithReferenceLoops() throws {
        let geometry = try ConvolutionGeometry(
            inputSize: [9, 11, 13], kernelSize: [3, 2, 3], stride: [1, 2, 1], dilation: [2, 1, 1],
            padding: .explicit(before: [2, 0, 1], after: [1, 1, 2]), inChannels: 4, outChannels: 6, groups: 2)
        #expect(geometry.nonzeroCount > ColumnWriter.parallelThreshold)
        var random = SplitMix64(seed: 20_261_124)
        print("parallelBuildAgreesWithReferenceLoops seed 20261124")
        let kernel = try Kernel(random.signedUnits(geometry.weightCount), geometry: geometry)
        let matrix = try SparseMatrix(convolution: kernel)
        try matrix.verifyStructure()
        #expect(matrix.nonzeroCount == geometry.nonzeroCount)
        let x = random.signedUnits(geometry.columnCount)
        let y = random.signedUnits(geometry.rowCount)
        let forward = try matrix.multiply(DenseMatrix(column: x)).values
        let transposed = try matrix.multiplyTransposed(DenseMatrix(column: y)).values
        #expect(maximumDifference(forward, directConvolution(x, kernel: kernel)) < 1e-12)
        #expect(maximumDifference(transposed, scatterTransposedConvolution(y, kernel: kernel)) < 1e-12)
        // The symbolic build goes through the same blocks with kernel indices instead of values.
        let symbolic = ConvolutionMatrix(geometry: geometry)
        #expect(matrix.compressedColumns.values == symbolic.values(for: kernel.values))
    }
}
