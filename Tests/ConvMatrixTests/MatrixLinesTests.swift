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

/// The row and column walks that printing streams through, against C as the
/// column writer builds it (ConvolutionMatrix): the same nonzeros, in order.
@Suite struct MatrixLinesTests {
    /// Every row walk lists the entries of that row of C by increasing column; every
    /// column walk lists those of that column by increasing row (rank 1–3, groups,
    /// stride, dilation, asymmetric padding).
    @Test func walksListCsNonzerosInOrder() async {
        await seededPropertyCheck(count: 150, input: TestGenerators.geometry) { geometry in
            guard let geometry else { Issue.record("the generator made an invalid geometry"); return }
            let matrix = ConvolutionMatrix(geometry: geometry)
            var byColumn = [[Int]]()
            MatrixLines(geometry).forEachColumn { column, entries in
                for entry in entries { byColumn.append([entry.row, column, entry.weightIndex]) }
            }
            #expect(byColumn == matrix.entries.map { [$0.row, $0.column, $0.weightIndex] }, "\(geometry)")
            var byRow = [[Int]]()
            MatrixLines(geometry).forEachRow { row, entries in
                for entry in entries { byRow.append([row, entry.column, entry.weightIndex]) }
            }
            let rowMajor = matrix.entries.map { [$0.row, $0.column, $0.weightIndex] }.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
            #expect(byRow == rowMajor, "\(geometry)")
        }
    }
}
