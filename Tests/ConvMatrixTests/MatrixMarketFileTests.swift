import Testing
import Foundation
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
@testable import ConvMatrixRendering
@testable import ConvMatrixTeaching
import ConvMatrixTestSupport
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// Reading Matrix Market files, and checking them against C: files written
/// by hand for the 1-D convolution with input 3 and kernel [w₀, w₁], whose
/// C is [[w₀, w₁, 0], [0, w₀, w₁]].
@Suite struct MatrixMarketFileTests {
    let geometry: ConvolutionGeometry
    let c: ConvolutionOperator
    let w: Kernel

    init() throws {
        geometry = try ConvolutionGeometry(inputSize: [3], kernelSize: [2])
        c = .convolution(geometry)
        w = try Kernel([1, 2], geometry: geometry)
    }

    /// C for w = [1, 2], with comments, a blank line, tabs and CRLF line ends as other tools write them.
    let right = "%%MatrixMarket matrix coordinate real general\r\n% a student's answer\r\n\r\n2 3 4\r\n1 1 1.0\r\n1\t2 2\r\n2 2 1e0\r\n2 3 2.0\r\n"

    @Test func readsCoordinateRealFiles() throws {
        let file = try MatrixMarketFile(parsing: right)
        #expect(file.rowCount == 2 && file.columnCount == 3 && file.field == .real)
        #expect(file.entries.map { [$0.row, $0.column] } == [[0, 0], [0, 1], [1, 1], [1, 2]])
        #expect(file.entries.map(\.value) == [1, 2, 1, 2])
        #expect(file.entries.map(\.line) == [5, 6, 7, 8])
    }

    @Test func theRightMatrixIsC() throws {
        let comparison = MatrixComparison(try MatrixMarketFile(parsing: right), against: c, kernel: w)
        #expect(comparison.matches)
        let inferred = MatrixComparison(try MatrixMarketFile(parsing: right), against: c, kernel: nil)
        #expect(inferred.matches)
        #expect(inferred.inferredWeights == [1, 2])
    }

    /// The classic mistake: the kernel flipped in the second row, and an entry in the wrong column.
    @Test func aWrongMatrixListsWhereItDiffers() throws {
        let wrong = """
            %%MatrixMarket matrix coordinate integer general
            2 3 4
            1 1 1
            1 2 2
            2 1 9
            2 3 1

            """
        let comparison = MatrixComparison(try MatrixMarketFile(parsing: wrong), against: c, kernel: w)
        #expect(!comparison.matches)
        // (row, column) 0-based: C[1,1] = w₀ = 1 is missing, C[1,2] = w₁ = 2 holds 1, C[1,0] should be 0 but holds 9.
        #expect(
            comparison.differences == [
                .init(row: 1, column: 0, expected: "0", found: "9"),
                .init(row: 1, column: 1, expected: "1", found: "0"),
                .init(row: 1, column: 2, expected: "2", found: "1"),
            ])
        #expect(
            comparison.report(limit: 2, limitName: "--max-differences") == """
                NO: the file differs from C at 3 positions
                (row, column) 1-based as in the file, the output ← input it links: expected, found
                  (2, 1) y(1) ← x(0): expected 0, found 9
                  (2, 2) y(1) ← x(1): expected 1, found 0
                … and 1 more (raise --max-differences to see them)

                """)
    }

    /// Without weights a numeric file must hold one value per kernel entry.
    @Test func inconsistentCopiesOfAKernelEntryAreFound() throws {
        let text = "%%MatrixMarket matrix coordinate real general\n2 3 4\n1 1 1\n1 2 2\n2 2 3\n2 3 2\n"
        let comparison = MatrixComparison(try MatrixMarketFile(parsing: text), against: c, kernel: nil)
        #expect(comparison.differences == [.init(row: 1, column: 1, expected: "w₀ = 1 as in its other copies", found: "3")])
        #expect(comparison.inferredWeights == nil)
    }

    /// Cᵀ is 3×2: a pattern file of C itself has the wrong shape, its transpose is right.
    @Test func patternFilesAndTheTranspose() throws {
        let transpose = "%%MatrixMarket matrix coordinate pattern general\n3 2 4\n1 1\n2 1\n2 2\n3 2\n"
        #expect(MatrixComparison(try MatrixMarketFile(parsing: transpose), against: .transposing(geometry), kernel: nil).matches)
        let asC = MatrixComparison(try MatrixMarketFile(parsing: transpose), against: c, kernel: nil)
        #expect(!asC.matches && asC.expectedShape == (2, 3) && asC.foundShape == (3, 2))
    }

    @Test(arguments: [
        ("%%MatrixMarket matrix array real general\n2 3\n", 1, "only 'matrix coordinate' files"),
        ("%%MatrixMarket matrix coordinate complex general\n", 1, "field 'complex'"),
        ("%%MatrixMarket matrix coordinate real symmetric\n", 1, "symmetry 'symmetric'"),
        ("2 3 1\n1 1 1\n", 1, "does not start with the header"),
        ("%%MatrixMarket matrix coordinate real general\n% only comments\n", 2, "ends before the size line"),
        ("%%MatrixMarket matrix coordinate real general\n2 3\n", 2, "should be the size line"),
        ("%%MatrixMarket matrix coordinate real general\n2 3 2\n1 1 1\n3 1 1\n", 4, "position (3, 1) outside the declared 2×3 matrix"),
        ("%%MatrixMarket matrix coordinate real general\n2 3 2\n1 1 1\n% note\n1 1 2\n", 5, "repeats position (1, 1) already given on line 3"),
        ("%%MatrixMarket matrix coordinate real general\n2 3 2\n1 1 1\n", 3, "declared 2 entries but the file has only 1"),
        ("%%MatrixMarket matrix coordinate real general\n2 3 1\n1 1 1\n2 2 2\n", 4, "beyond the 1 declared"),
        ("%%MatrixMarket matrix coordinate integer general\n2 3 1\n1 1 1.5\n", 3, "not a finite whole number"),
        ("%%MatrixMarket matrix coordinate real general\n2 3 1\n1 1 nan\n", 3, "not a finite number"),
        ("%%MatrixMarket matrix coordinate pattern general\n2 3 1\n1 1 1\n", 3, "'row column' for a pattern file"),
        ("%%MatrixMarket matrix coordinate real general\n2 3 7\n", 2, "declares 7 entries, more than the 2×3 matrix has"),
    ])
    func malformedFilesNameTheLine(text: String, line: Int, reason: String) {
        #expect {
            _ = try MatrixMarketFile(parsing: text)
        } throws: { error in
            guard let error = error as? MatrixMarketError else { return false }
            return error.line == line && error.description.contains(reason)
        }
    }

    /// Sizes whose product exceeds 64 bits are read, not trapped on: the duplicate check
    /// must not flatten (row, column) into one Int. (3·10⁹)² ≈ 9·10¹⁸ fits; (4·10⁹)² does not.
    @Test func hugeDeclaredSizesDoNotOverflow() throws {
        let text = "%%MatrixMarket matrix coordinate real general\n4000000000 4000000000 2\n3999999999 3999999999 1\n4000000000 1 2\n"
        let file = try MatrixMarketFile(parsing: text)
        #expect(file.entries.map { [$0.row, $0.column] } == [[3_999_999_998, 3_999_999_998], [3_999_999_999, 0]])
        #expect {
            _ = try MatrixMarketFile(
                parsing: "%%MatrixMarket matrix coordinate real general\n4000000000 4000000000 2\n3999999999 4000000000 1\n3999999999 4000000000 1\n")
        } throws: { error in
            (error as? MatrixMarketError) == MatrixMarketError(line: 4, reason: "repeats position (3999999999, 4000000000) already given on line 3")
        }
    }

    /// Hands out `head`, then junk lines for ever, counting every line taken.
    final class Source: IteratorProtocol {
        let head: [Substring]
        private(set) var taken = 0
        init(_ head: [Substring]) { self.head = head }
        func next() -> Substring? {
            taken += 1
            return taken <= head.count ? head[taken - 1] : "junk that is not an entry"
        }
    }

    /// The reader stops at the size line, so a wrong size is known before any entry is read.
    @Test func theHeaderIsReadWithoutTheEntries() throws {
        let source = Source(["%%MatrixMarket matrix coordinate integer general", "% a comment", "", "3 2 4"])
        let reader = try MatrixMarketReader(lines: source)
        #expect(source.taken == 4)
        let header = reader.header
        #expect(header.field == .integer && header.rowCount == 3 && header.columnCount == 2 && header.entryCount == 4 && header.sizeLine == 4)
        // C for input 3 and kernel 2 is 2×3 (see the suite's comment); its transpose is 3×2.
        let verdict = try #require(MatrixComparison(sizeOf: reader.header, against: c))
        #expect(!verdict.matches)
        #expect(verdict.report(limit: 10) == "NO: the file is 3×2 but C is 2×3\n")
        #expect(MatrixComparison(sizeOf: reader.header, against: .transposing(geometry)) == nil)
        #expect(source.taken == 4)
    }

    /// A first line that is not a Matrix Market banner is refused before line 2 is read.
    @Test func aWrongBannerIsRefusedAfterOneLine() {
        let source = Source(["junk"])
        #expect(throws: MatrixMarketError(line: 1, reason: "does not start with the header %%MatrixMarket matrix coordinate real general")) {
            _ = try MatrixMarketReader(lines: source)
        }
        #expect(source.taken == 1)
    }

    /// A long line is quoted by its first 60 characters, so the refusal stays one readable line.
    @Test func longLinesAreQuotedShort() {
        let junk = String(repeating: "x", count: 100_000)
        #expect(
            throws: MatrixMarketError(
                line: 2, reason: "should be the size line 'rows columns entries' with positive whole numbers, found \"\(String(repeating: "x", count: 60))…\"")
        ) {
            _ = try MatrixMarketFile(parsing: "%%MatrixMarket matrix coordinate real general\n\(junk)\n")
        }
    }
}
