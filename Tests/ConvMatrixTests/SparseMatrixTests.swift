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

/// Products with C and Cᵀ through CHOLMOD.
@Suite struct SparseMatrixTests {
    /// The d2l example: x = 0…8 on a 3×3 grid with kernel [[0,1],[2,3]] gives [[19,25],[37,43]]
    /// (d2l's corr2d result), and Cᵀ applied to it scatters the kernel copies back.
    @Test func forwardAndTransposedProducts() throws {
        let geometry = try ConvolutionGeometry(inputSize: [3, 3], kernelSize: [2, 2])
        let matrix = try SparseMatrix(convolution: try Kernel([0, 1, 2, 3], geometry: geometry))
        let y = try matrix.multiply(DenseMatrix(column: (0..<9).map(Double.init)))
        #expect(y.values == [19, 25, 37, 43])
        // Scatter by hand: 19·K at (0,0), 25·K at (0,1), 37·K at (1,0), 43·K at (1,1), K = [[0,1],[2,3]].
        let z = try matrix.multiplyTransposed(y)
        // z[1,1] = 19·3 + 25·2 + 37·1 + 43·0 = 144, z[1,2] = 25·3 + 43·1 = 118, z[2,1] = 37·3 + 43·2 = 197.
        let expected: [Double] = [0, 19, 25, 38, 144, 118, 74, 197, 129]
        #expect(z.values == expected)
    }

    /// A batch is one column per sample, and each column is multiplied on its own.
    @Test func batchesAreColumns() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4], kernelSize: [2], stride: [2])
        let matrix = try SparseMatrix(convolution: try Kernel([1, -1], geometry: geometry))
        let batch = DenseMatrix(rowCount: 4, columnCount: 2, values: [1, 2, 3, 5, 10, 0, 0, 10])
        // Differences of neighbours at stride 2: [1−2, 3−5] and [10−0, 0−10].
        #expect(try matrix.multiply(batch).values == [-1, -2, 10, -10])
        #expect(try matrix.multiplyTransposed(DenseMatrix(rowCount: 2, columnCount: 1, values: [1, 2])).values == [1, -1, 2, -2])
    }

    /// A square C must not be read as a symmetric matrix: C for i=k=1 with 2 channels is
    /// the 2×2 weight matrix [[1,2],[3,4]] itself, and Cᵀ·e₁ is its first row.
    @Test func squareMatricesAreUnsymmetric() throws {
        let geometry = try ConvolutionGeometry(inputSize: [1], kernelSize: [1], inChannels: 2, outChannels: 2)
        let matrix = try SparseMatrix(convolution: try Kernel([1, 2, 3, 4], geometry: geometry))
        #expect(try matrix.multiply(DenseMatrix(column: [1, 0])).values == [1, 3])
        #expect(try matrix.multiplyTransposed(DenseMatrix(column: [1, 0])).values == [1, 2])
    }

    /// An operand of the wrong height is refused with CHOLMOD's invalid status, not multiplied.
    @Test func wrongOperandIsRefused() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])
        let matrix = try SparseMatrix(convolution: Kernel.counting(geometry))
        #expect(throws: CholmodError.self) { try matrix.multiply(DenseMatrix(column: [1, 2, 3])) }
        #expect(throws: CholmodError.self) { try matrix.multiplyTransposed(DenseMatrix(column: [1, 2, 3])) }
    }

    /// Compressed-column arrays that do not fit together are refused by CHOLMOD's check.
    @Test func inconsistentArraysAreRefused() {
        #expect(throws: CholmodError.self) {
            try SparseMatrix(rowCount: 2, columnCount: 2, columnStarts: [0, 1, 2], rowIndices: [0, 5], values: [1, 1])
        }
        #expect(throws: CholmodError.self) {
            try SparseMatrix(rowCount: 2, columnCount: 1, columnStarts: [0, 2], rowIndices: [1, 0], values: [1, 1])
        }
    }

    /// Kernels are checked against the geometry before anything is built.
    @Test func kernelsAreChecked() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3], inChannels: 2, outChannels: 3)
        #expect(throws: GeometryError.invalid(field: "weights", reason: "has 9 values but the kernel shape 3×2×3×3 needs 54")) {
            try Kernel([Double](repeating: 1, count: 9), geometry: geometry)
        }
        var values = [Double](repeating: 1, count: 54)
        values[7] = .nan
        #expect(throws: GeometryError.invalid(field: "weights[7]", reason: "= nan is not a finite number")) {
            try Kernel(values, geometry: geometry)
        }
    }
}
