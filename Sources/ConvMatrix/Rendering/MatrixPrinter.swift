/// Prints an operator's matrix, C or Cᵀ, for a terminal, lecture notes or
/// other programs.
///
/// - `text`: aligned columns, structural zeros as `·` (or `0`), optional
///   row/column labels and channel-block separators.
/// - `latex`: a `bmatrix` for amsmath, entries `w_{0,0}` (or
///   `w^{(o,i)}_{0,0}` with several channels) or numbers, zeros `\cdot` or
///   `0`; with block separators an `array` between `\left[ … \right]`;
///   highlighted rows/columns coloured with xcolor; optionally a whole document.
/// - `markdown`: a GitHub table, one row per output element, highlights in bold.
/// - `csv`: comma-separated, empty cells for structural zeros.
/// - `mtx`: Matrix Market `coordinate real general` (1-based), or
///   `coordinate pattern general` when there are no numeric weights.
///
/// Highlight indices count printed rows and columns (those of Cᵀ for a
/// transposed operator). Which options apply to which format, and how large
/// a matrix may be printed, is decided here (`check`), so a program using
/// the library gets the same refusals as the command line.
public struct MatrixPrinter: Sendable {
    /// The output formats.
    public enum Format: String, Sendable, CaseIterable {
        case text, latex, markdown, csv, mtx
    }

    /// Which format to write.
    public var format: Format
    /// Write structural zeros as `0` instead of a dot (field `zeros`).
    public var zerosAsDigits: Bool
    /// Use ASCII names (`w[0,1]`) in text instead of subscripts (field `ascii`).
    public var ascii: Bool
    /// Name rows and columns by the tensor element they stand for (`y(0,1)`, `x(2,3)`); text, markdown, csv.
    public var labels: Bool
    /// Separate channel blocks with lines; text and latex (field `blocks`).
    public var blockSeparators: Bool
    /// The printed row to colour (which inputs feed this output); latex and markdown.
    public var highlightedRow: Int?
    /// The printed column to colour (which outputs this input feeds); latex and markdown.
    public var highlightedColumn: Int?
    /// Wrap LaTeX into a document that compiles on its own with pdflatex.
    public var standalone: Bool
    /// Print even a matrix beyond the size limits (field `force`).
    public var force: Bool

    /// A printer for `format`.
    public init(
        format: Format, zerosAsDigits: Bool = false, ascii: Bool = false,
        labels: Bool = false, blockSeparators: Bool = false,
        highlightedRow: Int? = nil, highlightedColumn: Int? = nil, standalone: Bool = false, force: Bool = false
    ) {
        self.format = format
        self.zerosAsDigits = zerosAsDigits
        self.ascii = ascii
        self.labels = labels
        self.blockSeparators = blockSeparators
        self.highlightedRow = highlightedRow
        self.highlightedColumn = highlightedColumn
        self.standalone = standalone
        self.force = force
    }

    /// Widest matrix printed without `force` (Matrix Market has no limit).
    public static let columnLimit = 256
    /// Most cells printed without `force`.
    public static let cellLimit = 100_000
    /// Most entries written to Matrix Market without `force`: about 20 GB of text.
    public static let entryLimit = 1_000_000_000
    /// Widest LaTeX matrix without `force`: pdflatex runs out of memory (or
    /// needs a page over two metres wide) a little beyond this.
    public static let latexColumnLimit = 100

    /// The formats each option works with; anything else is refused rather than ignored.
    static let applicableFormats: [(field: String, formats: [Format])] = [
        ("labels", [.text, .markdown, .csv]),
        ("blocks", [.text, .latex]),
        ("highlight_row", [.latex, .markdown]),
        ("highlight_column", [.latex, .markdown]),
        ("standalone", [.latex]),
        ("zeros", [.text, .latex, .markdown]),
        ("ascii", [.text, .markdown, .csv]),
    ]

    /// The options that are set, by field name.
    private var setOptions: [String] {
        [("labels", labels), ("blocks", blockSeparators), ("highlight_row", highlightedRow != nil),
         ("highlight_column", highlightedColumn != nil), ("standalone", standalone), ("zeros", zerosAsDigits),
         ("ascii", ascii)].filter(\.1).map(\.0)
    }

    /// Refuses an option the format ignores (nobody should wait for a colour
    /// that never comes), a highlight outside the matrix, and a matrix too
    /// large to print in this format unless `force` is set.
    ///
    /// - Parameter convolutionOperator: the operation whose matrix would be printed.
    /// - Throws: `RenderingError` naming the option and what would be valid.
    public func check(_ convolutionOperator: ConvolutionOperator) throws(RenderingError) {
        for (field, formats) in Self.applicableFormats where setOptions.contains(field) && !formats.contains(format) {
            throw .invalid(field: field, reason: "does not apply to \(field: "format") \(format.rawValue); it works with \(formats.map(\.rawValue).joined(separator: ", "))")
        }
        let rows = convolutionOperator.rowCount, columns = convolutionOperator.columnCount
        let cells = rows.multipliedReportingOverflow(by: columns)
        if format == .latex && !force && columns > Self.latexColumnLimit {
            throw .tooLarge("the matrix has \(columns) columns; LaTeX output is limited to \(Self.latexColumnLimit) (pdflatex cannot typeset much wider matrices); draw its pattern as a spy picture in TikZ, or add \(field: "force")")
        }
        if format == .mtx && !force && convolutionOperator.convolution.nonzeroCount > Self.entryLimit {
            throw .tooLarge("the matrix has \(convolutionOperator.convolution.nonzeroCount) nonzeros; Matrix Market output is limited to \(Self.entryLimit) entries (about 20 GB of text) unless you add \(field: "force")")
        }
        if format != .mtx && !force && (columns > Self.columnLimit || cells.overflow || cells.partialValue > Self.cellLimit) {
            throw .tooLarge("the matrix is \(rows)×\(columns), too large to print (limits: \(Self.columnLimit) columns, \(Self.cellLimit) cells); draw its pattern as a spy picture, write it with \(field: "format") mtx, or add \(field: "force")")
        }
        for (field, value, limit, what) in [("highlight_row", highlightedRow, rows, "row"), ("highlight_column", highlightedColumn, columns, "column")] {
            if let value, !(0..<limit).contains(value) {
                throw .invalid(field: field, reason: "= \(value) must be between 0 and \(limit - 1), a printed \(what) of the \(rows)×\(columns) matrix")
            }
        }
    }

    /// The peak memory of printing the matrix of `convolutionOperator`:
    /// printing streams one row at a time (`render(_:kernel:to:)`), so it
    /// holds one printed row (48 bytes a column, the cells and their text)
    /// and each dimension's table of taps (16 bytes per input position and tap),
    /// never the matrix.
    public func memoryEstimate(_ convolutionOperator: ConvolutionOperator) -> MemoryEstimate {
        let c = convolutionOperator.convolution
        let tables = Checked.saturating { () throws(GeometryError) in
            try Checked.sum(try (0..<c.spatialRank).map { d throws(GeometryError) in try Checked.multiply(c.inputSize[d], c.kernelSize[d], "taps") }, "taps")
        }
        return MemoryEstimate([
            MemoryEstimate.items("one printed row", count: format == .mtx ? c.inChannelsPerGroup * c.kernelVolume : convolutionOperator.columnCount, bytesEach: 48),
            MemoryEstimate.items("tap tables", count: tables, bytesEach: 16),
        ])
    }

    /// One line naming the matrix: "C: 4×16, 36 nonzeros (convolution y = C·x)".
    public func summary(_ convolutionOperator: ConvolutionOperator) -> String {
        let op = convolutionOperator
        return "\(op.matrixName): \(op.rowCount)×\(op.columnCount), \(op.convolution.nonzeroCount) nonzeros (\(op.name) \(op.equation))"
    }

    /// The operator's matrix as text: numeric with `kernel`, symbolic (every
    /// nonzero named by the kernel entry it copies) without.
    ///
    /// - Parameters:
    ///   - convolutionOperator: the operation; its matrix is C or Cᵀ.
    ///   - kernel: the weights of C, or nil for the symbolic matrix.
    /// - Returns: the whole printed matrix, ending with a newline.
    /// - Throws: `RenderingError` from `check`, or when `kernel` belongs to another geometry.
    /// - Complexity: O(rows × columns) for the table formats, O(nnz) for Matrix Market.
    public func render(_ convolutionOperator: ConvolutionOperator, kernel: Kernel? = nil) throws(RenderingError) -> String {
        var text = ""
        try render(convolutionOperator, kernel: kernel, to: &text)
        return text
    }

    /// Writes the operator's matrix to `target` a row (or, for Matrix
    /// Market, an entry) at a time, so that memory holds one printed row and
    /// never the whole matrix or its text.
    ///
    /// - Parameters:
    ///   - convolutionOperator: the operation; its matrix is C or Cᵀ.
    ///   - kernel: the weights of C, or nil for the symbolic matrix.
    ///   - target: where the text goes (a `TextOutput`, a `String`).
    /// - Throws: `RenderingError` from `check`, or when `kernel` belongs to another geometry.
    /// - Complexity: O(rows × columns) time for the table formats, O(nnz) for
    ///   Matrix Market; O(columns) memory (one printed row).
    public func render<Target: TextOutputStream>(
        _ convolutionOperator: ConvolutionOperator, kernel: Kernel? = nil, to target: inout Target
    ) throws(RenderingError) {
        try check(convolutionOperator)
        if let kernel, kernel.geometry != convolutionOperator.convolution {
            throw .invalid(field: "weights", reason: "belong to another convolution than the one printed")
        }
        if format == .mtx {
            MatrixMarketWriter(convolutionOperator).write(kernel: kernel, to: &target)
            return
        }
        let style: EntryNames.Style = format == .latex ? .latex : (ascii ? .ascii : .unicode)
        let grid = PrintedGrid(convolutionOperator, names: EntryNames(geometry: convolutionOperator.convolution, weights: kernel?.values, style: style))
        switch format {
        case .text: text(grid, to: &target)
        case .latex: latex(grid, to: &target)
        case .markdown: markdown(grid, to: &target)
        case .csv: csv(grid, to: &target)
        case .mtx: break
        }
    }

    /// Whether printed cell (row, column) is in a highlighted row or column.
    func highlight(_ row: Int, _ column: Int) -> (row: Bool, column: Bool) {
        (row == highlightedRow, column == highlightedColumn)
    }
}

/// The operator's matrix as printed rows of cells (nil = structural zero),
/// produced one row at a time, with labels and channel-block sizes: what
/// every table format walks through.
struct PrintedGrid {
    let convolutionOperator: ConvolutionOperator
    let names: EntryNames
    let labels: PositionLabels
    var rowCount: Int { convolutionOperator.rowCount }
    var columnCount: Int { convolutionOperator.columnCount }

    init(_ convolutionOperator: ConvolutionOperator, names: EntryNames) {
        self.convolutionOperator = convolutionOperator
        self.names = names
        labels = PositionLabels(convolutionOperator)
    }

    /// Calls `body(row, cells)` for every printed row in order; `cells` (one
    /// per column) is reused between rows.
    func forEachRow(_ body: (Int, [String?]) -> Void) {
        var cells = [String?](repeating: nil, count: columnCount)
        convolutionOperator.forEachMatrixRow { row, entries in
            for entry in entries { cells[entry.column] = names.name(ofWeight: entry.weightIndex) }
            body(row, cells)
            for entry in entries { cells[entry.column] = nil }
        }
    }

    /// The names of the kernel entries that appear in the matrix (a tap that
    /// always falls on padding names no entry).
    var namesInUse: [String] {
        var used = [Bool](repeating: false, count: names.names.count)
        convolutionOperator.forEachMatrixRow { _, entries in
            for entry in entries { used[entry.weightIndex] = true }
        }
        return zip(names.names, used).filter(\.1).map(\.0)
    }

    /// Whether a separator belongs before printed row `row` (a new channel block starts there).
    func startsRowBlock(_ row: Int) -> Bool { row > 0 && row % labels.rowBlock == 0 }
    /// Whether a separator belongs before printed column `column`.
    func startsColumnBlock(_ column: Int) -> Bool { column > 0 && column % labels.columnBlock == 0 }
}
