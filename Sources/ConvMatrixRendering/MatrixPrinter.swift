import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixPooling

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
/// - `csv`: comma-separated, empty cells for structural zeros (or `0`, so
///   that `numpy.loadtxt(f, delimiter=",")` reads a numeric matrix).
/// - `mtx`: Matrix Market `coordinate real general` (1-based), or
///   `coordinate pattern general` when there are no numeric weights, with
///   `%` comment lines that say which convolution and weights it holds.
/// - `npy`: the dense matrix in NumPy's own `.npy` format (version 1.0,
///   little-endian float64, row-major), for `numpy.load`; numeric only.
/// - `coo-json`: the nonzeros as one JSON object of coordinate lists,
///   `{"shape": [R, C], "row": […], "col": […], "data": […], …}` (0-based),
///   for `scipy.sparse.coo_matrix`; numeric only.
///
/// Highlight indices count printed rows and columns (those of Cᵀ for a
/// transposed operator). Which options apply to which format, and how large
/// a matrix may be printed, is decided here (`check`), so a program using
/// the library gets the same refusals as the command line.
public struct MatrixPrinter: Sendable {
    /// The output formats.
    public enum Format: String, Sendable, CaseIterable {
        case text, latex, markdown, csv, mtx, npy
        /// Coordinate lists in JSON (`coo-json`).
        case cooJSON = "coo-json"

        /// Whether the format is bytes rather than text (`npy`): it is written
        /// with `writeBinary(_:kernel:to:)`, not `render`.
        package var isBinary: Bool { self == .npy }

        /// Whether the format lists nonzeros only (Matrix Market, COO JSON),
        /// so that its size grows with the nonzeros, not with rows × columns.
        package var isSparse: Bool { self == .mtx || self == .cooJSON }

        /// Whether the format holds numbers only, so that a symbolic matrix
        /// (no weights) cannot be written in it.
        package var needsNumbers: Bool { self == .npy || self == .cooJSON }
    }

    /// Which format to write.
    public var format: Format
    /// Write structural zeros as `0` instead of a dot (field `zeros`).
    public var zerosAsDigits: Bool
    /// Use ASCII names (`w[0,1]`) in text instead of subscripts (field `ascii`).
    public var ascii: Bool
    /// Name rows and columns by the tensor element they stand for (`y(0,1)`,
    /// `x(2,3)`; in LaTeX `y_{(0,1)}`, `x^{(1)}_{(2,3)}` with the channel); text, latex, markdown, csv.
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
    /// True convolution (field `flip`): the kernel rotated by 180°, as MATLAB's
    /// `conv2`/`convmtx2`, SciPy's `signal.convolve2d` and `linalg.convolution_matrix`
    /// and the signal-processing textbooks define convolution; the frameworks
    /// (PyTorch, TensorFlow) compute the cross-correlation, without the flip.
    /// Entry (q, x) of the flipped C holds w[k − 1 − tap] where C holds w[tap].
    public var flip: Bool
    /// How rows and columns flatten positions (field `order`): row-major as
    /// the frameworks, or column-major as MATLAB's `X(:)` and `convmtx2`.
    public var order: MatrixOrder
    /// Print C over the padded input (field `show_padding`): one column per
    /// position of the padded input, so every row holds all its taps and the
    /// ones that fall on padding are marked; for Cᵀ one row per position of the
    /// padded output (the padded input of C), the rows the padding crops marked,
    /// and the rows `output_padding` adds marked too.
    public var showPadding: Bool
    /// Print only this channel block (field `block`): the rows of one output
    /// channel against the columns of one input channel.
    public var channelBlock: ChannelBlock?
    /// Fit the LaTeX matrix to a beamer frame, an article's text width or a
    /// given width without shrinking its type (field `fit`): tighter column
    /// separation, shorter entry names, labels at `\scriptsize` beside the
    /// brackets, and column blocks continued with `\cdots` when nothing else fits.
    public var fit: PageFit?

    /// A printer for `format`; every other setting starts as the plain matrix
    /// (row-major, cross-correlation, no labels or marks) and is checked
    /// against the format and the matrix by `check` before anything is printed.
    ///
    /// - Parameters:
    ///   - format: text, LaTeX, Markdown, CSV, Matrix Market, NumPy's .npy or COO JSON.
    ///   - zerosAsDigits: write structural zeros as `0` (field `zeros`) instead of `·` or an empty cell.
    ///   - ascii: only ASCII characters in text (field `ascii`).
    ///   - labels: name every row and column by its tensor element (field `labels`).
    ///   - blockSeparators: rule lines between channel blocks (field `blocks`).
    ///   - highlightedRow: a row to mark, 0-based (field `highlight_row`).
    ///   - highlightedColumn: a column to mark, 0-based (field `highlight_column`).
    ///   - standalone: LaTeX as a whole document that pdflatex compiles (field `standalone`).
    ///   - force: print past the size limits (field `force`).
    ///   - flip: true convolution, the kernel rotated by 180° (field `flip`).
    ///   - order: row-major as the frameworks, or column-major as MATLAB (field `order`).
    ///   - showPadding: C over the padded input, padding marked (field `show_padding`).
    ///   - channelBlock: print only one (output, input) channel block (field `block`).
    ///   - fit: LaTeX fitted to a slide, a page or a width without shrinking the type (field `fit`).
    public init(
        format: Format, zerosAsDigits: Bool = false, ascii: Bool = false,
        labels: Bool = false, blockSeparators: Bool = false,
        highlightedRow: Int? = nil, highlightedColumn: Int? = nil, standalone: Bool = false, force: Bool = false,
        flip: Bool = false, order: MatrixOrder = .rowMajor, showPadding: Bool = false, channelBlock: ChannelBlock? = nil,
        fit: PageFit? = nil
    ) {
        self.fit = fit
        self.flip = flip
        self.order = order
        self.showPadding = showPadding
        self.channelBlock = channelBlock
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
    package static let columnLimit = 256
    /// Most cells printed without `force`.
    package static let cellLimit = 100_000
    /// Most entries written to Matrix Market or COO JSON (and most rows walked for COO JSON)
    /// without `force`: about 20 GB of Matrix Market text.
    package static let entryLimit = 1_000_000_000
    /// Widest LaTeX matrix without `force`: pdflatex runs out of memory (or
    /// needs a page over two metres wide) a little beyond this.
    package static let latexColumnLimit = 100

    /// The formats each option works with; anything else is refused rather than ignored.
    static let applicableFormats: [(field: String, formats: [Format])] = [
        ("labels", [.text, .latex, .markdown, .csv]),
        ("flip", [.text, .latex, .markdown, .csv, .npy, .cooJSON]),
        ("order", [.text, .latex, .markdown, .csv, .npy, .cooJSON]),
        ("show_padding", [.text, .latex, .markdown]),
        ("block", [.text, .latex, .markdown, .csv, .npy, .cooJSON]),
        ("blocks", [.text, .latex]),
        ("highlight_row", [.latex, .markdown]),
        ("highlight_column", [.latex, .markdown]),
        ("standalone", [.latex]),
        ("fit", [.latex]),
        ("zeros", [.text, .latex, .markdown, .csv]),
        ("ascii", [.text, .markdown, .csv]),
    ]

    /// The options that are set, by field name.
    var setOptions: [String] {
        [
            ("labels", labels), ("blocks", blockSeparators), ("highlight_row", highlightedRow != nil),
            ("highlight_column", highlightedColumn != nil), ("standalone", standalone), ("zeros", zerosAsDigits),
            ("ascii", ascii), ("flip", flip), ("order", order != .rowMajor), ("show_padding", showPadding),
            ("block", channelBlock != nil), ("fit", fit != nil),
        ].filter(\.1).map(\.0)
    }

    /// Refuses an option the format ignores (nobody should wait for a colour
    /// that never comes), a symbolic matrix in a format of numbers (`npy`,
    /// `coo-json`), a highlight outside the matrix, and a matrix too large to
    /// print in this format unless `force` is set.
    ///
    /// - Parameters:
    ///   - convolutionOperator: the operation whose matrix would be printed.
    ///   - kernel: the weights that will be printed, or nil for the symbolic matrix.
    /// - Throws: `RenderingError` naming the option and what would be valid.
    public func check(_ convolutionOperator: ConvolutionOperator, kernel: Kernel? = nil) throws(RenderingError) {
        for (field, formats) in Self.applicableFormats where setOptions.contains(field) && !formats.contains(format) {
            throw .invalid(
                field: field,
                reason: "does not apply to \(field: "format") \(format.rawValue); it works with \(formats.map(\.rawValue).joined(separator: ", "))")
        }
        if format.needsNumbers && kernel == nil {
            throw .invalid(
                field: "format",
                reason:
                    "\(format.rawValue) holds numbers, and without \(field: "weights") the entries of \(convolutionOperator.matrixName) are symbolic names (w₀, w₁, …); give the kernel's values with \(field: "weights"), or write the positions alone with \(field: "format") mtx"
            )
        }
        let view = try MatrixView(convolutionOperator, flip: flip, order: order, showPadding: showPadding, block: channelBlock)
        try checkSize(rows: view.rowCount, columns: view.columnCount, nonzeros: convolutionOperator.convolution.nonzeroCount)
    }

    /// Refuses a matrix too large for the format (unless `force`) and a highlight outside it.
    /// `drawable`: whether `convmat draw spy` can draw the matrix's pattern instead (C can, X cannot).
    func checkSize(rows: Int, columns: Int, nonzeros: Int, drawable: Bool = true) throws(RenderingError) {
        let cells = rows.multipliedReportingOverflow(by: columns)
        if format == .latex && !force && columns > Self.latexColumnLimit {
            throw .tooLarge(
                "the matrix has \(columns) columns; LaTeX output is limited to \(Self.latexColumnLimit) (pdflatex cannot typeset much wider matrices); \(drawable ? "draw its pattern as a spy picture in TikZ" : "print a smaller geometry"), or add \(field: "force")"
            )
        }
        if format == .mtx && !force && nonzeros > Self.entryLimit {
            throw .tooLarge(
                "the matrix has \(nonzeros) nonzeros; Matrix Market output is limited to \(Self.entryLimit) entries (about 20 GB of text) unless you add \(field: "force")"
            )
        }
        // COO JSON walks the rows (three times), so their number is bounded as the entries are.
        if format == .cooJSON && !force && (nonzeros > Self.entryLimit || rows > Self.entryLimit) {
            throw .tooLarge(
                "the matrix has \(rows) rows and \(nonzeros) nonzeros; COO JSON output is limited to \(Self.entryLimit) of each (about 30 GB of text) unless you add \(field: "force")"
            )
        }
        if format == .npy {
            // The dense matrix is the file, and what numpy.load holds: the memory guard judges
            // its size (`memoryEstimate`), so only a size past 64 bits is refused here.
            if (try? Self.denseBytes(rows: rows, columns: columns)) == nil {
                throw .tooLarge(
                    "the matrix is \(rows)×\(columns); as a dense float64 array it would need more than 2⁶³ bytes; write it sparse with \(field: "format") mtx or coo-json"
                )
            }
        } else if !format.isSparse && !force && (columns > Self.columnLimit || cells.overflow || cells.partialValue > Self.cellLimit) {
            throw .tooLarge(
                "the matrix is \(rows)×\(columns), too large to print (limits: \(Self.columnLimit) columns, \(Self.cellLimit) cells); \(drawable ? "draw its pattern as a spy picture, " : "")write it with \(field: "format") mtx, or add \(field: "force")"
            )
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
    /// and each dimension's table of taps (16 bytes per input position and tap;
    /// with copies in the padding, `MemoryEstimate.gatheredTableBytes`), never the matrix. For `npy` the estimate adds the dense matrix, 8 · rows ·
    /// columns bytes: it is written a row at a time too, but `numpy.load` holds
    /// it whole, so the guard refuses a file that could not be loaded on this machine.
    ///
    /// - Parameter convolutionOperator: the operation whose matrix would be printed.
    /// - Returns: the parts, each saturating at `Int.max` rather than overflowing.
    public func memoryEstimate(_ convolutionOperator: ConvolutionOperator) -> MemoryEstimate {
        let c = convolutionOperator.convolution
        let columns =
            (try? MatrixView(convolutionOperator, flip: flip, order: order, showPadding: showPadding, block: channelBlock).columnCount)
            ?? convolutionOperator.columnCount
        var parts = [
            MemoryEstimate.items("one printed row", count: format.isSparse ? Self.sparseLineEntries(c) : columns, bytesEach: 48),
            MemoryEstimate.Part("tap tables", bytes: Self.tapTableBytes(c)),
        ]
        if format == .npy {
            let rows =
                (try? MatrixView(convolutionOperator, flip: flip, order: order, showPadding: showPadding, block: channelBlock).rowCount)
                ?? convolutionOperator.rowCount
            parts.append(MemoryEstimate.Part("the dense matrix numpy.load holds", bytes: (try? Self.denseBytes(rows: rows, columns: columns)) ?? Int.max))
        }
        return MemoryEstimate(parts)
    }

    /// The bytes of each dimension's table of taps that walking C's lines builds (`MatrixLines`): 16
    /// per input position and tap, or with copies in the padding `MemoryEstimate.gatheredTableBytes`.
    static func tapTableBytes(_ c: ConvolutionGeometry) -> Int {
        Checked.saturating { () throws(GeometryError) in
            try Checked.sum(
                try (0..<c.spatialRank).map { d throws(GeometryError) in
                    // With copies in the padding the columns are walked through every (output, tap) pair.
                    c.paddingMode == .zeros
                        ? try Checked.multiply(16, try Checked.multiply(c.inputSize[d], c.kernelSize[d], "taps"), "taps")
                        : try MemoryEstimate.gatheredTableBytes(c, dimension: d)
                }, "taps")
        }
    }

    /// Bytes of the dense float64 matrix, 8 · rows · columns: the size of an
    /// `npy` file's data, and what `numpy.load` allocates to read it.
    ///
    /// - Throws: `GeometryError.overflow` when it does not fit into 64 bits.
    static func denseBytes(rows: Int, columns: Int) throws(GeometryError) -> Int {
        try Checked.product([8, rows, columns], "bytes of the dense matrix")
    }

    /// The most (entry, tap) pairs one line of C or Cᵀ holds, bounded from the
    /// geometry: (channels per group on the other side) · (kernel volume). With
    /// copies in the padding a column also gathers the taps that read its
    /// element's copies: per dimension at most k · (positions holding the element),
    /// 3 for reflect and circular (the element and a copy on each side),
    /// max(p_before, p_after) + 1 for replicate's edge, and never more than o · k.
    static func sparseLineEntries(_ c: ConvolutionGeometry) -> Int {
        Checked.saturating { () throws(GeometryError) in
            let row = try Checked.multiply(c.inChannelsPerGroup, c.kernelVolume, "entries")
            guard c.paddingMode != .zeros else { return max(row, try Checked.multiply(c.outChannelsPerGroup, c.kernelVolume, "entries")) }
            var column = c.outChannelsPerGroup
            for d in 0..<c.spatialRank {
                let holders = c.paddingMode == .replicate ? max(c.paddingBefore[d], c.paddingAfter[d]) &+ 1 : 3
                let pairs = min(try Checked.multiply(c.kernelSize[d], holders, "entries"), try Checked.multiply(c.outputSize[d], c.kernelSize[d], "entries"))
                column = try Checked.multiply(column, pairs, "entries")
            }
            return max(row, column)
        }
    }

    /// One line naming the matrix: "C: 4×16, 36 nonzeros (convolution y = C·x)",
    /// followed by what the options change: the flipped kernel, the order,
    /// the padded view and how its marks read, the channel block.
    ///
    /// - Parameter convolutionOperator: the convolution (C) or its transpose (Cᵀ) to be printed.
    /// - Returns: the line, without a trailing newline.
    public func summary(_ convolutionOperator: ConvolutionOperator) -> String {
        let op = convolutionOperator
        guard let view = try? MatrixView(op, flip: flip, order: order, showPadding: showPadding, block: channelBlock) else {
            return "\(op.matrixName): \(op.rowCount)×\(op.columnCount), \(op.convolution.nonzeroCount) nonzeros (\(op.name) \(op.equation))"
        }
        var name = op.matrixName
        if let channelBlock {
            name = "block \(view.rows.letter)\(channelBlock.output) × \(view.columns.letter)\(channelBlock.input) of \(name)"
        }
        var line = "\(name): \(view.rowCount)×\(view.columnCount), \(view.nonzeroCount) nonzeros (\(op.name) \(op.equation))"
        if showPadding && channelBlock == nil {
            // The real matrix first, then the view: the padded columns hold taps on zeros, not entries of C.
            line =
                "\(name): \(op.rowCount)×\(op.columnCount), \(op.convolution.nonzeroCount) nonzeros (\(op.name) \(op.equation)); shown over the padded \(op.isTransposed ? "output" : "input"): \(view.rowCount)×\(view.columnCount)"
        }
        if flip { line += "; true convolution: the kernel rotated by 180° (w[k−1−j] where the frameworks have w[j])" }
        if order == .columnMajor { line += "; rows and columns in column-major order (MATLAB's X(:), first index fastest)" }
        if showPadding {
            let zero = ascii ? "#" : "░"
            let mode = op.convolution.paddingMode
            if mode != .zeros {
                // The padding holds copies: the printed matrix is C over the padded input, and C folds it.
                let (side, lines) =
                    op.isTransposed ? ("rows over the padded output (the padded input of C)", "row") : ("columns over the padded input", "column")
                line +=
                    "; \(side): \(zero) and (entries) mark the padding, which holds copies (padding_mode \(mode.rawValue)): \(labels ? "each padding \(lines)'s label names the element it copies" : "labels name the element each padding \(lines) copies"), and \(op.matrixName) adds that \(lines) onto the element's"
            } else if op.isTransposed {
                line += "; rows over the padded output (the padded input of C): \(zero) and (entries) mark the rows the padding crops"
                if (0..<view.rowCount).contains(where: { view.rows.mark($0) == .outputPadding }) { line += ", * the rows output_padding adds" }
            } else {
                line += "; columns over the padded input: \(zero) and (entries) mark the padding, where taps multiply zeros"
            }
        }
        return line
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
        try check(convolutionOperator, kernel: kernel)
        if let kernel, kernel.geometry != convolutionOperator.convolution {
            throw .invalid(field: "weights", reason: "belong to another convolution than the one printed")
        }
        switch format {
        case .mtx:
            MatrixMarketWriter(convolutionOperator).write(kernel: kernel, to: &target)
            return
        case .cooJSON:
            if let kernel { try coordinateJSON(convolutionOperator, kernel: kernel, to: &target) }
            return
        case .npy:
            throw .invalid(field: "format", reason: "npy is binary: write it with writeBinary(_:kernel:to:) to a file or standard output, not into text")
        default:
            break
        }
        let style: EntryNames.Style = format == .latex ? .latex : (ascii ? .ascii : .unicode)
        let view = try MatrixView(convolutionOperator, flip: flip, order: order, showPadding: showPadding, block: channelBlock)
        let names = EntryNames(geometry: convolutionOperator.convolution, weights: kernel?.values, style: style)
        if format == .latex, let fit {
            let c = convolutionOperator.convolution
            fittedLaTeX(view, names: names.names, weights: kernel?.values, kernelVolume: c.kernelVolume, symbolic: kernel == nil, fit: fit, to: &target)
            return
        }
        let grid = PrintedGrid(view, names: names)
        write(grid, to: &target)
    }

    /// Writes `grid` in the printer's table format.
    func write<Target: TextOutputStream>(_ grid: PrintedGrid, to target: inout Target) {
        switch format {
        case .text: text(grid, to: &target)
        case .latex: latex(grid, to: &target)
        case .markdown: markdown(grid, to: &target)
        case .csv: csv(grid, to: &target)
        case .mtx, .npy, .cooJSON: break
        }
    }

    /// Whether printed cell (row, column) is in a highlighted row or column.
    func highlight(_ row: Int, _ column: Int) -> (row: Bool, column: Bool) {
        (row == highlightedRow, column == highlightedColumn)
    }
}

/// A matrix as printed rows of cells (nil = structural zero), produced one
/// row at a time, with labels, marks and channel-block sizes: what every
/// table format walks through. Convolution matrices (`MatrixView`) and
/// pooling matrices (`PoolingMatrix`) both come as one.
struct PrintedGrid {
    let rowCount: Int
    let columnCount: Int
    /// Calls `body(row, cells)` for every printed row in order; `cells` (one per column) is
    /// reused between rows.
    let forEachRow: (_ body: (Int, [String?]) -> Void) -> Void
    /// The label of a printed row (`latex` true: in LaTeX math).
    let rowLabel: (Int, Bool) -> String
    /// The label of a printed column.
    let columnLabel: (Int, Bool) -> String
    /// What a printed row and column stand for (padding, rows output_padding adds).
    let rowMark: (Int) -> LineMark
    let columnMark: (Int) -> LineMark
    /// Printed rows and columns per channel block.
    let rowBlock: Int
    let columnBlock: Int
    /// Every distinct text a cell can hold, for column widths.
    let cellTexts: [String]
    /// Whether some cell is a structural zero.
    let hasZeros: Bool
    /// What a single printed cell stands for when its row and column do not say it: an entry of X
    /// that reads the padding (`show_padding` with `--of weights`). Nil when only lines are marked.
    var cellMark: ((_ row: Int, _ column: Int) -> LineMark)? = nil
    /// The legend's sentence for the cells `cellMark` marks as padding.
    var cellMarkMeaning: String? = nil

    /// Whether a separator belongs before printed row `row` (a new channel block starts there).
    func startsRowBlock(_ row: Int) -> Bool { row > 0 && row % rowBlock == 0 }
    /// Whether a separator belongs before printed column `column`.
    func startsColumnBlock(_ column: Int) -> Bool { column > 0 && column % columnBlock == 0 }
    /// Whether some row, column or cell is marked (padding or output_padding).
    var hasMarks: Bool {
        cellMark != nil || (0..<rowCount).contains { rowMark($0) != .plain } || (0..<columnCount).contains { columnMark($0) != .plain }
    }

    /// The mark of printed cell (row, column): its own (`cellMark`), else its row's, else its column's.
    func mark(_ row: Int, _ column: Int, rowMark: LineMark, columnMark: LineMark) -> LineMark {
        if let cellMark, case let mark = cellMark(row, column), mark != .plain { return mark }
        return rowMark != .plain ? rowMark : columnMark
    }

    /// The legend of the marks that appear: the marked lines (`LineMark.legend`), then the marked cells.
    var legend: [(mark: LineMark, meaning: String)] {
        LineMark.legend(rows: (0..<rowCount).map(rowMark), columns: (0..<columnCount).map(columnMark))
            + (cellMarkMeaning.map { [(LineMark.padding, $0)] } ?? [])
    }
}

extension PrintedGrid {
    /// The grid of a convolution matrix view, every nonzero named by `names`.
    init(_ view: MatrixView, names: EntryNames) {
        rowCount = view.rowCount
        columnCount = view.columnCount
        let columns = view.columnCount
        forEachRow = { body in
            var cells = [String?](repeating: nil, count: columns)
            view.forEachRow { row, entries in
                forEachEntry(of: entries) { column, taps in cells[column] = names.name(ofSum: taps.map { entries[$0].weightIndex }) }
                body(row, cells)
                for entry in entries { cells[entry.column] = nil }
            }
        }
        rowLabel = { view.rows.label($0, latex: $1) }
        columnLabel = { view.columns.label($0, latex: $1) }
        rowMark = { view.rows.mark($0) }
        columnMark = { view.columns.mark($0) }
        rowBlock = view.rows.volume
        columnBlock = view.columns.volume
        // The names of the kernel entries that appear (a tap that always falls on padding names no entry),
        // then the sums that copies in the padding make, in the order first met.
        var used = [Bool](repeating: false, count: names.names.count)
        var sums = [String](), seen = Set<String>()
        var nonzeros = 0
        view.forEachRow { _, entries in
            forEachEntry(of: entries) { _, taps in
                nonzeros += 1
                if taps.count == 1 {
                    used[entries[taps.lowerBound].weightIndex] = true
                } else {
                    let text = names.name(ofSum: taps.map { entries[$0].weightIndex })
                    if seen.insert(text).inserted { sums.append(text) }
                }
            }
        }
        cellTexts = zip(names.names, used).filter(\.1).map(\.0) + sums
        let cells = view.rowCount.multipliedReportingOverflow(by: view.columnCount)
        hasZeros = cells.overflow || nonzeros < cells.partialValue
    }
}
