import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixPooling

extension MatrixPrinter {
    /// Refuses what a pooling matrix cannot be printed with: the options
    /// that belong to convolutions (`flip`, `show_padding`), Matrix Market,
    /// npy and COO JSON, an option the format ignores, and a matrix too large for the format.
    ///
    /// - Parameter pooling: the pooling matrix (or its transpose) that would be printed.
    /// - Throws: `RenderingError` naming the option and what would be valid.
    package func check(_ pooling: PoolingMatrix) throws(RenderingError) {
        if flip { throw .invalid(field: "flip", reason: "applies to convolutions; a pooling window has no kernel to rotate") }
        if showPadding {
            throw .invalid(
                field: "show_padding",
                reason:
                    "applies to convolutions; pooling windows read no padding into the matrix (padding is −∞ for max and counted in the divisor for average)")
        }
        if fit != nil {
            throw .invalid(field: "fit", reason: "applies to convolution matrices; a pooling matrix prints in LaTeX at its natural width")
        }
        if format.isSparse || format.isBinary {
            throw .invalid(
                field: "format", reason: "\(format.rawValue) is written for convolution matrices; print a pooling matrix as text, latex, markdown or csv")
        }
        for (field, formats) in Self.applicableFormats where setOptions.contains(field) && !formats.contains(format) {
            throw .invalid(
                field: field,
                reason: "does not apply to \(field: "format") \(format.rawValue); it works with \(formats.map(\.rawValue).joined(separator: ", "))")
        }
        let (rows, columns) = poolingSpaces(pooling)
        if let channelBlock {
            for value in [channelBlock.output, channelBlock.input] where !(0..<pooling.geometry.channels).contains(value) {
                throw .invalid(
                    field: "block",
                    reason:
                        "= \(channelBlock.output),\(channelBlock.input) names channel \(value), but the layer has channels 0 to \(pooling.geometry.channels - 1)"
                )
            }
        }
        try checkSize(rows: rows.count, columns: columns.count, nonzeros: 0)
    }

    /// A lower bound on the bytes the pooling matrix takes in this format (see `outputBytes(_:)` for C).
    ///
    /// - Parameter pooling: the pooling matrix (or its transpose) that would be printed.
    /// - Returns: bytes, saturating at `Int.max`.
    package func outputBytes(_ pooling: PoolingMatrix) -> Int {
        let (rows, columns) = poolingSpaces(pooling)
        return outputBytes(rows: rows.count, columns: columns.count, nonzeros: 0)
    }

    /// One line naming the pooling matrix: "A: 4×16, 16 nonzeros (average pooling y = A·x)".
    ///
    /// - Parameter pooling: the average-pooling matrix A, the max-pooling selection S(x), or a transpose.
    /// - Returns: the line, without a trailing newline; with `channelBlock`, the block's size and nonzeros.
    /// - Complexity: O(nonzeros) time, memory for one row.
    public func summary(_ pooling: PoolingMatrix) -> String {
        let (rows, columns) = poolingSpaces(pooling)
        var nonzeros = 0
        pooling.forEachRow { row, entries in
            if let printed = rows.printedIndex(row), printed >= 0 {
                nonzeros += entries.filter { columns.printedIndex($0.column) != nil }.count
            }
        }
        let name = channelBlock.map { "block \(rows.letter)\($0.output) × \(columns.letter)\($0.input) of \(pooling.matrixName)" } ?? pooling.matrixName
        var line = "\(name): \(rows.count)×\(columns.count), \(nonzeros) nonzeros (\(pooling.equation))"
        if order == .columnMajor { line += "; rows and columns in column-major order (MATLAB's X(:), first index fastest)" }
        return line
    }

    /// The peak memory of printing a pooling matrix: one printed row (48 bytes a column).
    ///
    /// - Parameter pooling: the matrix to be printed.
    /// - Returns: the estimate, to check against a limit before `render` starts.
    public func memoryEstimate(_ pooling: PoolingMatrix) -> MemoryEstimate {
        MemoryEstimate([MemoryEstimate.items("one printed row", count: poolingSpaces(pooling).columns.count, bytesEach: 48)])
    }

    /// The pooling matrix (or its transpose) as one string (see `render(_:to:)`).
    ///
    /// - Parameter pooling: the matrix to print.
    /// - Returns: the whole text in this printer's format.
    /// - Throws: `RenderingError` from `check`.
    /// - Complexity: O(rows × columns) time and memory for the text.
    public func render(_ pooling: PoolingMatrix) throws(RenderingError) -> String {
        var text = ""
        try render(pooling, to: &text)
        return text
    }

    /// The pooling matrix (or its transpose) as text: average pooling's
    /// entries as fractions 1/|window| (`\tfrac` in LaTeX, decimals in CSV),
    /// max pooling's selection as 1.
    ///
    /// - Parameters:
    ///   - pooling: the matrix to print.
    ///   - target: where the text goes, a row at a time.
    /// - Throws: `RenderingError` from `check`.
    /// - Complexity: O(rows × columns) time; memory for one printed row.
    public func render<Target: TextOutputStream>(_ pooling: PoolingMatrix, to target: inout Target) throws(RenderingError) {
        try check(pooling)
        let (rows, columns) = poolingSpaces(pooling)
        let format = self.format
        func text(_ divisor: Int) -> String {
            if divisor == 1 { return "1" }
            switch format {
            case .latex: return "\\tfrac{1}{\(divisor)}"
            case .csv: return formatNumber(1 / Double(divisor))
            default: return "1/\(divisor)"
            }
        }
        var divisors = Set<Int>()
        pooling.forEachRow { _, entries in for entry in entries { divisors.insert(entry.divisor) } }
        let grid = PrintedGrid(
            rowCount: rows.count, columnCount: columns.count,
            forEachRow: { body in
                var cells = [String?](repeating: nil, count: columns.count)
                var entries = [(column: Int, divisor: Int)]()
                var placed = [Int]()
                for row in 0..<rows.count {
                    pooling.entries(ofRow: rows.walkedIndex(row), into: &entries)
                    placed.removeAll(keepingCapacity: true)
                    for entry in entries {
                        guard let column = columns.printedIndex(entry.column) else { continue }
                        cells[column] = text(entry.divisor)
                        placed.append(column)
                    }
                    body(row, cells)
                    for column in placed { cells[column] = nil }
                }
            },
            rowLabel: { rows.label($0, latex: $1) }, columnLabel: { columns.label($0, latex: $1) },
            rowMark: { _ in .plain }, columnMark: { _ in .plain },
            rowBlock: rows.volume, columnBlock: columns.volume,
            cellTexts: divisors.sorted().map(text), hasZeros: true)
        write(grid, to: &target)
    }

    /// The printed rows and columns of a pooling matrix: outputs y and inputs x (swapped for the transpose).
    private func poolingSpaces(_ pooling: PoolingMatrix) -> (rows: LineSpace, columns: LineSpace) {
        let g = pooling.geometry
        let zeros = [Int](repeating: 0, count: g.spatialRank)
        func space(_ letter: String, _ size: [Int], _ channel: Int?) -> LineSpace {
            LineSpace(
                letter: letter, channels: g.channels, onlyChannel: channel, size: size, offset: zeros, inner: size,
                added: zeros, order: order, namesChannel: g.channels > 1)
        }
        let outputs = space("y", g.outputSize, pooling.isTransposed ? channelBlock?.input : channelBlock?.output)
        let inputs = space("x", g.inputSize, pooling.isTransposed ? channelBlock?.output : channelBlock?.input)
        return pooling.isTransposed ? (inputs, outputs) : (outputs, inputs)
    }
}
