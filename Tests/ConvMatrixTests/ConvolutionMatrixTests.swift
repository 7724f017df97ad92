import Testing
import PropertyBased
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
@testable import ConvMatrixRendering
@testable import ConvMatrixTeaching
import ConvMatrixTestSupport
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// The matrix C against examples worked out by hand in the source texts (Dumoulin & Visin; Dive into Deep Learning).
@Suite struct ConvolutionMatrixTests {
    /// Dumoulin & Visin's example: a 4×4 input and a 3×3 kernel give the
    /// 4×16 matrix whose rows are shifted copies of w₀,₀ … w₂,₂, written out here by hand.
    @Test func seedFourBySixteenMatrix() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])
        let matrix = ConvolutionMatrix(geometry: geometry)
        // Flat kernel index (3·row + column) or nil for each of the 16 columns, per row of C.
        let w: (Int, Int) -> Int? = { 3 * $0 + $1 }
        let expected: [[Int?]] = [
            [w(0, 0), w(0, 1), w(0, 2), nil, w(1, 0), w(1, 1), w(1, 2), nil, w(2, 0), w(2, 1), w(2, 2), nil, nil, nil, nil, nil],
            [nil, w(0, 0), w(0, 1), w(0, 2), nil, w(1, 0), w(1, 1), w(1, 2), nil, w(2, 0), w(2, 1), w(2, 2), nil, nil, nil, nil],
            [nil, nil, nil, nil, w(0, 0), w(0, 1), w(0, 2), nil, w(1, 0), w(1, 1), w(1, 2), nil, w(2, 0), w(2, 1), w(2, 2), nil],
            [nil, nil, nil, nil, nil, w(0, 0), w(0, 1), w(0, 2), nil, w(1, 0), w(1, 1), w(1, 2), nil, w(2, 0), w(2, 1), w(2, 2)],
        ]
        #expect(matrix.rowCount == 4)
        #expect(matrix.columnCount == 16)
        #expect(matrix.nonzeroCount == 36)
        for row in 0..<4 {
            for column in 0..<16 {
                #expect(matrix.weightIndices(row: row, column: column) == (expected[row][column].map { [$0] } ?? []), "C[\(row), \(column)]")
            }
        }
    }
}

/// The compressed-column arrays, over random geometries with asymmetric padding
/// (the definition-based properties of C are in ConvolutionMatrixPropertyTests).
@Suite struct CompressedColumnPropertyTests {
    /// Row indices strictly increase within each column, as CHOLMOD's sorted form requires,
    /// and column pointers never decrease.
    @Test func rowsAreSortedWithinColumns() async {
        await seededPropertyCheck(count: 150, input: TestGenerators.geometry) { drawn in
            guard let geometry = drawn else { Issue.record("invalid geometry"); return }
            let matrix = ConvolutionMatrix(geometry: geometry)
            #expect(zip(matrix.columnStarts, matrix.columnStarts.dropFirst()).allSatisfy { $0 <= $1 })
            for column in 0..<geometry.columnCount {
                let rows = matrix.rowIndices[matrix.columnStarts[column]..<matrix.columnStarts[column + 1]]
                #expect(zip(rows, rows.dropFirst()).allSatisfy { $0 < $1 }, "unsorted column \(column) of \(geometry)")
                #expect(rows.allSatisfy { (0..<geometry.rowCount).contains($0) }, "row out of range in \(geometry)")
            }
        }
    }

    /// The numeric matrix held by CHOLMOD has the same arrays as the symbolic structure.
    @Test func cholmodMatrixMatchesTheStructure() async throws {
        await seededPropertyCheck(count: 60, input: TestGenerators.geometry) { drawn in
            guard let geometry = drawn, let sparse = try? SparseMatrix(convolution: Kernel.counting(geometry)) else {
                Issue.record("could not build \(String(describing: drawn))"); return
            }
            let structure = ConvolutionMatrix(geometry: geometry)
            let stored = sparse.compressedColumns
            #expect(stored.columnStarts == structure.columnStarts)
            #expect(stored.rowIndices == structure.rowIndices)
            #expect(stored.values == structure.values(for: Kernel.counting(geometry).values))
        }
    }
}

/// d2l's example: a 3×3 input and the 2×2 kernel [[1,2],[3,4]] give the 4×9 matrix
/// [[1,2,0,3,4,0,0,0,0],[0,1,2,0,3,4,0,0,0],[0,0,0,1,2,0,3,4,0],[0,0,0,0,1,2,0,3,4]].
@Test func d2lFourByNineMatrix() throws {
    let geometry = try ConvolutionGeometry(inputSize: [3, 3], kernelSize: [2, 2])
    let sparse = try SparseMatrix(convolution: try Kernel([1, 2, 3, 4], geometry: geometry))
    let expected: [[Double]] = [
        [1, 2, 0, 3, 4, 0, 0, 0, 0],
        [0, 1, 2, 0, 3, 4, 0, 0, 0],
        [0, 0, 0, 1, 2, 0, 3, 4, 0],
        [0, 0, 0, 0, 1, 2, 0, 3, 4],
    ]
    var dense = [[Double]](repeating: [Double](repeating: 0, count: 9), count: 4)
    let (starts, rows, values) = sparse.compressedColumns
    for column in 0..<9 {
        for n in starts[column]..<starts[column + 1] { dense[rows[n]][column] = values[n] }
    }
    #expect(dense == expected)
}
