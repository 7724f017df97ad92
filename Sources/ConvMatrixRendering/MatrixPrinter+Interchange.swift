import ConvMatrixCore
import ConvMatrixInterchange

extension MatrixPrinter {
    /// The bytes of the operator's matrix in a binary format (`npy`), as
    /// `writeBinary(_:kernel:to:)` streams them to a file: what `numpy.load`
    /// reads as an R×C float64 array.
    ///
    /// - Parameters:
    ///   - convolutionOperator: the operation; its matrix is C or Cᵀ.
    ///   - kernel: the weights of C (a `.npy` file holds numbers only).
    /// - Returns: the whole file, header and rows.
    /// - Throws: `RenderingError` from `check`, when the format is not binary,
    ///   or when `kernel` belongs to another geometry.
    /// - Complexity: O(rows × columns) time and memory.
    public func renderBytes(_ convolutionOperator: ConvolutionOperator, kernel: Kernel) throws(RenderingError) -> [UInt8] {
        var bytes = [UInt8]()
        try writeBinary(convolutionOperator, kernel: kernel, to: &bytes)
        return bytes
    }

    /// Writes the operator's matrix in a binary format (`npy`): NumPy's
    /// `.npy` version 1.0 (`NumPyFormat`), the dense matrix as float64,
    /// row-major, one row at a time, so that memory holds one row and never
    /// the whole matrix. `numpy.load(f)` reads it as an R×C array.
    ///
    /// The rows and columns are those printed: C or Cᵀ, with `flip`,
    /// `order` and `channelBlock` applied as in the text formats.
    ///
    /// - Parameters:
    ///   - convolutionOperator: the operation; its matrix is C or Cᵀ.
    ///   - kernel: the weights of C (a `.npy` file holds numbers only).
    ///   - target: where the bytes go (a `TextOutput`, a `[UInt8]`).
    /// - Throws: `RenderingError` from `check`, when the format is not binary,
    ///   or when `kernel` belongs to another geometry.
    /// - Complexity: O(rows × columns) time; O(columns) memory.
    package func writeBinary<Target: BinaryOutputStream>(
        _ convolutionOperator: ConvolutionOperator, kernel: Kernel, to target: inout Target
    ) throws(RenderingError) {
        try check(convolutionOperator, kernel: kernel)
        guard format.isBinary else {
            throw .invalid(field: "format", reason: "\(format.rawValue) is text: write it with render(_:kernel:to:)")
        }
        if kernel.geometry != convolutionOperator.convolution {
            throw .invalid(field: "weights", reason: "belong to another convolution than the one printed")
        }
        let view = try MatrixView(convolutionOperator, flip: flip, order: order, showPadding: showPadding, block: channelBlock)
        target.write(bytes: NumPyFormat.header(shape: [view.rowCount, view.columnCount]))
        let weights = kernel.values
        var values = [Double](repeating: 0, count: view.columnCount)
        var bytes = [UInt8]()
        bytes.reserveCapacity(8 * view.columnCount)
        view.forEachRow { _, entries in
            // Taps that copies in the padding gather into one entry add up.
            for entry in entries { values[entry.column] += weights[entry.weightIndex] }
            bytes.removeAll(keepingCapacity: true)
            for value in values { NumPyFormat.appendLittleEndian(value, to: &bytes) }
            target.write(bytes: bytes)
            for entry in entries { values[entry.column] = 0 }
        }
    }

    /// The `coo-json` form: one JSON object whose coordinate lists load with
    /// `scipy.sparse.coo_matrix((d["data"], (d["row"], d["col"])), shape=d["shape"])`:
    ///
    /// ```
    /// {"shape": [R, C], "matrix": "C", "geometry": {"operation": "convolution", "input": [3], …},
    ///  "weights": [1.0, 2.0], "command": "convmat matrix … --format coo-json",
    ///  "order": "row-major", "flip": false, "block": null,
    ///  "row": [0, 0, 1, 1], "col": [0, 1, 1, 2], "data": [1.0, 2.0, 1.0, 2.0]}
    /// ```
    ///
    /// Indices are 0-based, entries row by row (columns increasing within a
    /// row for the row-major order); numbers go through `JSONWriting.number`.
    /// The three lists are written one after another, each from its own walk
    /// over the rows, so that memory holds one row of C, never the matrix.
    ///
    /// - Complexity: O(nnz) time (three walks); memory for one row.
    func coordinateJSON<Target: TextOutputStream>(
        _ convolutionOperator: ConvolutionOperator, kernel: Kernel, to target: inout Target
    ) throws(RenderingError) {
        let view = try MatrixView(convolutionOperator, flip: flip, order: order, showPadding: showPadding, block: channelBlock)
        let description = MatrixFileDescription(convolutionOperator: convolutionOperator, weights: kernel.values)
        let command = description.command(
            extra: ConvolutionFields.viewArguments(flip: flip, order: order, block: channelBlock) + ConvolutionFields.formatArguments(format))
        let block = channelBlock.map { JSONWriting.integers([$0.output, $0.input]) } ?? "null"
        let head = JSONWriting.object([
            ("shape", JSONWriting.integers([view.rowCount, view.columnCount])),
            ("matrix", JSONWriting.string(convolutionOperator.isTransposed ? "C^T" : "C")),
            ("geometry", description.fieldsJSON),
            ("weights", JSONWriting.numbers(kernel.values)),
            ("command", JSONWriting.string(command)),
            ("order", JSONWriting.string(order.rawValue)),
            ("flip", flip ? "true" : "false"),
            ("block", block),
        ])
        target.write(String(head.dropLast()))
        let weights = kernel.values
        // One item per entry: the taps that copies in the padding gather into one entry are summed.
        let lists: [(String, (Int, Int, ArraySlice<(column: Int, weightIndex: Int)>) -> String)] = [
            ("row", { row, _, _ in "\(row)" }),
            ("col", { _, column, _ in "\(column)" }),
            ("data", { _, _, taps in JSONWriting.number(taps.reduce(0) { $0 + weights[$1.weightIndex] }) }),
        ]
        for (key, text) in lists {
            target.write(",\n \(JSONWriting.string(key)): [")
            var first = true
            var line = ""
            view.forEachRow { row, entries in
                line.removeAll(keepingCapacity: true)
                forEachEntry(of: entries) { column, taps in
                    if !first { line += ", " }
                    first = false
                    line += text(row, column, entries[taps])
                }
                target.write(line)
            }
            target.write("]")
        }
        target.write("}\n")
    }
}

extension ConvolutionFields {
    /// The flag of a matrix format: `--format npy`.
    static func formatArguments(_ format: MatrixPrinter.Format) -> [String] { ["--format", format.rawValue] }
}
