import Testing
import ConvMatrix
import ConvMatrixRendering

/// `MatrixPrinter.cells` and `MatrixOrder.rowMajorIndex(ofPrinted:size:)`, the printed grid the
/// explorer lays out as its own table, against matrices and orders written out by hand.
@Suite struct MatrixPrinterCellsTests {
    /// Input 3, kernel 2: y(t) = w₀·x(t) + w₁·x(t + 1), so C = [w₀ w₁ 0; 0 w₀ w₁].
    @Test func cellsAreTheMatrixWithItsLabelsAndZeros() throws {
        let op = ConvolutionOperator.convolution(try ConvolutionGeometry(inputSize: [3], kernelSize: [2]))
        let cells = try MatrixPrinter(format: .markdown, labels: true).cells(op)
        #expect(cells.rowLabels == ["y(0)", "y(1)"])
        #expect(cells.columnLabels == ["x(0)", "x(1)", "x(2)"])
        #expect(cells.zero == "·")
        var rows = [[String?]]()
        cells.forEachRow { _, row in rows.append(row) }
        #expect(rows == [["w₀", "w₁", nil], [nil, "w₀", "w₁"]])
    }

    /// Two channels each way, input 3, kernel 2: blocks of 2 rows (outputs per channel) and 3 columns.
    @Test func cellsCarryTheChannelBlocksAndNumbers() throws {
        let op = ConvolutionOperator.convolution(try ConvolutionGeometry(inputSize: [3], kernelSize: [2], inChannels: 2, outChannels: 2))
        let cells = try MatrixPrinter(format: .markdown, zerosAsDigits: true).cells(op, kernel: Kernel.counting(op.convolution))
        #expect((cells.rowsPerBlock, cells.columnsPerBlock) == (2, 3))
        #expect(cells.rowLabels == ["0", "1", "2", "3"])
        #expect(cells.zero == "0")
        var first = [String?]()
        cells.forEachRow { r, row in if r == 0 { first = row } }
        // Kernel 1, 2, … in PyTorch order [out, in, k]: w(0,0) = 1, 2 and w(0,1) = 3, 4.
        #expect(first == ["1", "2", nil, "3", "4", nil])
    }

    @Test func cellsRefuseWhatTheFormatRefuses() throws {
        let op = ConvolutionOperator.convolution(try ConvolutionGeometry(inputSize: [300], kernelSize: [300]))
        #expect(throws: RenderingError.self) { try MatrixPrinter(format: .markdown).cells(op) }
        let small = ConvolutionOperator.convolution(try ConvolutionGeometry(inputSize: [3], kernelSize: [2]))
        #expect(throws: RenderingError.self) { try MatrixPrinter(format: .mtx).cells(small) }
    }

    /// A 3×2 side printed column-major runs (0,0), (1,0), (2,0), (0,1), (1,1), (2,1): row-major 0, 2, 4, 1, 3, 5;
    /// a 2×2×2 one reverses the bits of the index; row-major is the index itself, channel by channel.
    @Test func printedLinesNameTheirRowMajorElements() {
        #expect((0..<6).map { MatrixOrder.columnMajor.rowMajorIndex(ofPrinted: $0, size: [3, 2]) } == [0, 2, 4, 1, 3, 5])
        #expect((0..<8).map { MatrixOrder.columnMajor.rowMajorIndex(ofPrinted: $0, size: [2, 2, 2]) } == [0, 4, 2, 6, 1, 5, 3, 7])
        #expect((0..<12).map { MatrixOrder.rowMajor.rowMajorIndex(ofPrinted: $0, size: [3, 2]) } == [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5])
        #expect((6..<12).map { MatrixOrder.columnMajor.rowMajorIndex(ofPrinted: $0, size: [3, 2]) } == [0, 2, 4, 1, 3, 5])
    }
}
