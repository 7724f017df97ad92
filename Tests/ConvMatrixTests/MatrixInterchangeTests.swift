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

/// The formats other programs read — csv with zeros, NumPy's `.npy`, COO JSON and Matrix Market
/// with its comment lines — against bytes and text written out by hand. C for input 3 and kernel
/// [1, 2] is [[1, 2, 0], [0, 1, 2]] (y(t) = w₀·x(t) + w₁·x(t + 1)); Tests/Interchange/
/// check_matrix_formats.py reads the same formats with numpy and SciPy.
@Suite struct MatrixInterchangeTests {
    let c: ConvolutionOperator
    let kernel: Kernel

    init() throws {
        c = .convolution(try ConvolutionGeometry(inputSize: [3], kernelSize: [2]))
        kernel = try Kernel([1, 2], geometry: c.convolution)
    }

    /// `--format csv --zeros`: every cell a number, as numpy.loadtxt(f, delimiter=",") needs.
    @Test func csvWithZerosHasNoEmptyCells() throws {
        #expect(try MatrixPrinter(format: .csv, zerosAsDigits: true).render(c, kernel: kernel) == "1,2,0\n0,1,2\n")
        #expect(try MatrixPrinter(format: .csv).render(c, kernel: kernel) == "1,2,\n,1,2\n")
    }

    /// The .npy preamble from the format's specification (numpy.lib.format, version 1.0): magic
    /// \x93NUMPY, version 1 0, header length 118 as little-endian uint16 (0x76 0x00), the dict,
    /// 58 spaces and a newline: 6 + 2 + 2 + 59 + 58 + 1 = 128 bytes, a multiple of 64.
    @Test func npyHeaderBytesAreNumPys() {
        let dictionary = Array("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }".utf8)
        #expect(dictionary.count == 59)
        let expected: [UInt8] =
            [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 0x01, 0x00, 0x76, 0x00]
            + dictionary + [UInt8](repeating: 0x20, count: 58) + [0x0A]
        #expect(NumPyFormat.header(shape: [2, 3]) == expected)
        // A 1-D shape is a one-element tuple, and a dict that would end exactly on 64 bytes gets 64 spaces, as numpy.save pads.
        #expect(Array(NumPyFormat.header(shape: [7]).dropFirst(10).prefix(57)) == Array("{'descr': '<f8', 'fortran_order': False, 'shape': (7,), }".utf8))
        for shape in [[1, 1], [12, 345], [1_000_000, 123_456_789], [7]] {
            let header = NumPyFormat.header(shape: shape)
            let length = Int(header[8]) | Int(header[9]) << 8
            #expect(header.count % 64 == 0 && header.count == 10 + length && header.last == 0x0A)
        }
    }

    /// The whole file: the preamble, then 1, 2, 0, 0, 1, 2 as little-endian float64, row by row
    /// (1.0 = 0x3FF0000000000000, 2.0 = 0x4000000000000000).
    @Test func npyFileIsTheHeaderAndTheRowsAsFloat64() throws {
        var bytes = [UInt8]()
        try MatrixPrinter(format: .npy).writeBinary(c, kernel: kernel, to: &bytes)
        let one: [UInt8] = [0, 0, 0, 0, 0, 0, 0xF0, 0x3F], two: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0x40], zero = [UInt8](repeating: 0, count: 8)
        #expect(bytes == NumPyFormat.header(shape: [2, 3]) + one + two + zero + zero + one + two)
        // Cᵀ is 3×2: [[1, 0], [2, 1], [0, 2]].
        var transposed = [UInt8]()
        try MatrixPrinter(format: .npy).writeBinary(.transposing(c.convolution), kernel: kernel, to: &transposed)
        #expect(transposed == NumPyFormat.header(shape: [3, 2]) + one + zero + two + one + zero + two)
    }

    /// The COO JSON form, whole: shape, the geometry's fields, the weights, the command, the
    /// view, and the 0-based coordinates row by row.
    @Test func cooJSONListsTheNonzeros() throws {
        #expect(
            try MatrixPrinter(format: .cooJSON).render(c, kernel: kernel) == """
                {"shape": [2, 3], "matrix": "C", "geometry": {"operation": "convolution", "input": [3], "output": [2], "kernel": [2], "stride": [1], \
                "padding_before": [0], "padding_after": [0], "dilation": [1], "in_channels": 1, "out_channels": 1, "groups": 1, "weight_shape": [1, 1, 2]}, \
                "weights": [1.0, 2.0], "command": "convmat matrix --input 3 --kernel 2 --padding valid --weights 1,2 --format coo-json", "order": "row-major", "flip": false, "block": null,
                 "row": [0, 0, 1, 1],
                 "col": [0, 1, 1, 2],
                 "data": [1.0, 2.0, 1.0, 2.0]}

                """)
        let flipped = try MatrixPrinter(format: .cooJSON, flip: true).render(c, kernel: kernel)
        #expect(flipped.contains(#""command": "convmat matrix --input 3 --kernel 2 --padding valid --weights 1,2 --flip --format coo-json""#))
        #expect(flipped.contains(#""data": [2.0, 1.0, 2.0, 1.0]}"#))
    }

    /// A transposed, padded, strided operator: the comment lines name its fields, and
    /// MatrixMarketReader reads the file back past them, entry for entry.
    @Test func matrixMarketCommentsDescribeTheFileAndAreReadBack() throws {
        let fields = ConvolutionFields(input: [2], kernel: [3])
        var transposedFields = fields
        transposedFields.stride = [2]
        transposedFields.padding = .symmetric([1])
        transposedFields.outputPadding = [1]
        transposedFields.transposed = true
        let op = try ConvolutionOperator(transposedFields)
        let weights = try Kernel([1, -2, 0.5], geometry: op.convolution)
        let text = try MatrixPrinter(format: .mtx).render(op, kernel: weights)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(
            Array(lines.prefix(6)) == [
                "%%MatrixMarket matrix coordinate real general",
                "% ConvMatrix: transposed convolution matrix C^T",
                "% command: convmat matrix --input 2 --kernel 3 --stride 2 --padding 1 --transposed --output-padding 1 --weights 1,-2,0.5 --format mtx",
                "% geometry: transposed convolution, input 2, output 4, kernel 3, stride 2, padding_before 1, padding_after 1, dilation 1, output_padding 1, in_channels 1, out_channels 1, groups 1",
                "% rows: outputs z [out_channels, positions...], columns: inputs y [in_channels, positions...], row-major, 1-based",
                "% weights: 1,-2,0.5 (shape 1x1x3, PyTorch order [out_channels, in_channels/groups, kernel...])",
            ])
        var reader = try MatrixMarketReader(lines: lines.makeIterator())
        #expect(reader.header.rowCount == 4 && reader.header.columnCount == 2 && reader.header.sizeLine == 7)
        let file = try reader.readEntries()
        // Cᵀ by hand: C (2×4) has row q at columns 2q − 1 + k, so Cᵀ[2q − 1 + k][q] = w[k] inside 0..<4.
        let entries = file.entries.map { "\($0.row),\($0.column)=\(formatNumber($0.value ?? .nan))" }.sorted()
        #expect(entries == ["0,0=-2", "1,0=0.5", "1,1=1", "2,1=-2", "3,1=0.5"])
        #expect(MatrixComparison(file, against: op, kernel: weights).matches)
    }

    /// A zero weight: `--format mtx` writes its entries with value 0, and `--check` accepts them,
    /// as it accepts a file that leaves them out; a nonzero where C holds the 0 is still a difference.
    @Test func aZeroWeightIsMetByAStoredZeroOrByNoEntry() throws {
        let zero = try Kernel([0, 2], geometry: c.convolution)
        let written = try MatrixPrinter(format: .mtx).render(c, kernel: zero)
        #expect(written.hasSuffix("2 3 4\n1 1 0.0\n1 2 2.0\n2 2 0.0\n2 3 2.0\n"))
        var reader = try MatrixMarketReader(lines: written.split(separator: "\n").makeIterator())
        #expect(MatrixComparison(try reader.readEntries(), against: c, kernel: zero).matches)
        let leftOut = "%%MatrixMarket matrix coordinate real general\n2 3 2\n1 2 2\n2 3 2\n"
        var short = try MatrixMarketReader(lines: leftOut.split(separator: "\n").makeIterator())
        #expect(MatrixComparison(try short.readEntries(), against: c, kernel: zero).matches)
        let wrong = "%%MatrixMarket matrix coordinate real general\n2 3 3\n1 1 5\n1 2 2\n2 3 2\n"
        var extra = try MatrixMarketReader(lines: wrong.split(separator: "\n").makeIterator())
        let verdict = MatrixComparison(try extra.readEntries(), against: c, kernel: zero)
        #expect(verdict.differences.map { "\($0.row),\($0.column): \($0.expected) \($0.found)" } == ["0,0: 0 5"])
    }

    /// More weights than one 1024-character line holds: the command names them W and they
    /// continue over lines of at most 100 characters, each ending with a comma but the last.
    @Test func longWeightsContinueOverShortLines() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3], inChannels: 8, outChannels: 8)
        let values = (0..<geometry.weightCount).map { Double($0) }
        let lines = MatrixMarketWriter(.convolution(geometry)).commentLines(kernel: try Kernel(values, geometry: geometry))
        #expect(
            lines[1]
                == "% command: convmat matrix --input 4x4 --kernel 3 --padding valid --in-channels 8 --out-channels 8 --weights W --format mtx (W: the weights below, joined)"
        )
        #expect(lines[4] == "% weights (shape 8x8x3x3, PyTorch order [out_channels, in_channels/groups, kernel...]), 576 values:")
        let continued = lines.dropFirst(5)
        #expect(continued.allSatisfy { $0.hasPrefix("% ") && $0.count <= 100 })
        #expect(continued.dropLast().allSatisfy { $0.hasSuffix(",") } && !(continued.last ?? ",").hasSuffix(","))
        #expect(continued.map { $0.dropFirst(2) }.joined() == values.map(formatNumber).joined(separator: ","))
    }

    /// What a format of numbers cannot hold, and what a npy file may not be, is refused by `check`.
    @Test func refusalsNameTheField() throws {
        let spell: (String) -> String = { "--" + $0.replacing("_", with: "-") }
        func message(_ printer: MatrixPrinter, kernel: Kernel?) -> String? {
            do { try printer.check(c, kernel: kernel); return nil } catch { return error.message(spellingFields: spell) }
        }
        #expect(
            message(MatrixPrinter(format: .npy), kernel: nil)?.hasPrefix("--format npy holds numbers, and without --weights the entries of C are symbolic")
                == true)
        #expect(message(MatrixPrinter(format: .cooJSON), kernel: nil)?.hasPrefix("--format coo-json holds numbers") == true)
        #expect(
            message(MatrixPrinter(format: .npy, labels: true), kernel: kernel)
                == "--labels does not apply to --format npy; it works with text, latex, markdown, csv")
        #expect(
            message(MatrixPrinter(format: .npy, zerosAsDigits: true), kernel: kernel)
                == "--zeros does not apply to --format npy; it works with text, latex, markdown, csv")
        #expect(
            message(MatrixPrinter(format: .cooJSON, showPadding: true), kernel: kernel)
                == "--show-padding does not apply to --format coo-json; it works with text, latex, markdown")
        #expect(message(MatrixPrinter(format: .csv, zerosAsDigits: true, labels: true), kernel: kernel) == nil)
        // No column limit for npy: the memory guard judges its dense size (8 bytes a cell).
        let wide: ConvolutionOperator = .convolution(try ConvolutionGeometry(inputSize: [64, 64], kernelSize: [3, 3]))
        let wideKernel = try Kernel([Double](repeating: 1, count: 9), geometry: wide.convolution)
        #expect(throws: Never.self) { try MatrixPrinter(format: .npy).check(wide, kernel: wideKernel) }
        #expect(
            MatrixPrinter(format: .npy).memoryEstimate(wide).parts.contains(MemoryEstimate.Part("the dense matrix numpy.load holds", bytes: 8 * 3844 * 4096)))
    }
}
