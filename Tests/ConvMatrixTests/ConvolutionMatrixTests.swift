import Testing
@testable import ConvMatrix

/// The matrix C against examples worked out by hand in the seed documents.
@Suite struct ConvolutionMatrixTests {
    /// Seed 001 (Dumoulin & Visin's example): a 4×4 input and a 3×3 kernel give the
    /// 4×16 matrix whose rows are shifted copies of w₀,₀ … w₂,₂, written out here by hand.
    @Test func seedFourBySixteenMatrix() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])
        let matrix = ConvolutionMatrix(geometry: geometry)
        // Flat kernel index (3·row + column) or nil for each of the 16 columns, per row of C.
        let w: (Int, Int) -> Int? = { 3 * $0 + $1 }
        let expected: [[Int?]] = [
            [w(0,0), w(0,1), w(0,2), nil, w(1,0), w(1,1), w(1,2), nil, w(2,0), w(2,1), w(2,2), nil, nil, nil, nil, nil],
            [nil, w(0,0), w(0,1), w(0,2), nil, w(1,0), w(1,1), w(1,2), nil, w(2,0), w(2,1), w(2,2), nil, nil, nil, nil],
            [nil, nil, nil, nil, w(0,0), w(0,1), w(0,2), nil, w(1,0), w(1,1), w(1,2), nil, w(2,0), w(2,1), w(2,2), nil],
            [nil, nil, nil, nil, nil, w(0,0), w(0,1), w(0,2), nil, w(1,0), w(1,1), w(1,2), nil, w(2,0), w(2,1), w(2,2)],
        ]
        #expect(matrix.rowCount == 4)
        #expect(matrix.columnCount == 16)
        #expect(matrix.nonzeroCount == 36)
        for row in 0..<4 {
            for column in 0..<16 {
                #expect(matrix.weightIndex(row: row, column: column) == expected[row][column], "C[\(row), \(column)]")
            }
        }
    }
}
