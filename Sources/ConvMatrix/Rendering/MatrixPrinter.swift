/// Prints C (or Cᵀ) for a terminal, lecture notes or other programs.
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
/// Highlight indices count printed rows and columns (those of Cᵀ when
/// `transposed`); an index outside the matrix highlights nothing.
public struct MatrixPrinter: Sendable {
    /// The output formats.
    public enum Format: String, Sendable, CaseIterable {
        case text, latex, markdown, csv, mtx
    }

    /// Which format to write.
    public var format: Format
    /// Print Cᵀ instead of C.
    public var transposed: Bool
    /// Write structural zeros as `0` instead of a dot.
    public var zerosAsDigits: Bool
    /// Use ASCII names (`w[0,1]`) in text instead of subscripts.
    public var ascii: Bool
    /// Name rows and columns by the tensor element they stand for (`y(0,1)`, `x(2,3)`); text, markdown, csv.
    public var labels: Bool
    /// Separate channel blocks with lines; text and latex.
    public var blockSeparators: Bool
    /// The printed row to colour (which inputs feed this output); latex and markdown.
    public var highlightedRow: Int?
    /// The printed column to colour (which outputs this input feeds); latex and markdown.
    public var highlightedColumn: Int?
    /// Wrap LaTeX into a document that compiles on its own with pdflatex.
    public var standalone: Bool

    /// A printer for `format`.
    public init(
        format: Format, transposed: Bool = false, zerosAsDigits: Bool = false, ascii: Bool = false,
        labels: Bool = false, blockSeparators: Bool = false,
        highlightedRow: Int? = nil, highlightedColumn: Int? = nil, standalone: Bool = false
    ) {
        self.format = format
        self.transposed = transposed
        self.zerosAsDigits = zerosAsDigits
        self.ascii = ascii
        self.labels = labels
        self.blockSeparators = blockSeparators
        self.highlightedRow = highlightedRow
        self.highlightedColumn = highlightedColumn
        self.standalone = standalone
    }

    /// The matrix as text; numeric when `weights` (PyTorch order) are given, symbolic otherwise.
    public func render(_ matrix: ConvolutionMatrix, weights: [Double]? = nil) -> String {
        if format == .mtx { return matrixMarket(matrix, weights: weights) }
        let grid = PrintedGrid(matrix, weights: weights, style: format == .latex ? .latex : (ascii ? .ascii : .unicode), transposed: transposed)
        switch format {
        case .text: return text(grid)
        case .latex: return latex(grid)
        case .markdown: return markdown(grid)
        case .csv: return csv(grid)
        case .mtx: return ""
        }
    }

    /// Whether printed cell (row, column) is in a highlighted row or column.
    func highlight(_ row: Int, _ column: Int) -> (row: Bool, column: Bool) {
        (row == highlightedRow, column == highlightedColumn)
    }
}

/// C or Cᵀ laid out as rows of cells (nil = structural zero), with labels
/// and channel-block sizes, ready for any of the table formats.
struct PrintedGrid {
    var cells: [[String?]]
    let labels: PositionLabels
    var rowCount: Int { cells.count }
    var columnCount: Int { cells.first?.count ?? 0 }

    init(_ matrix: ConvolutionMatrix, weights: [Double]?, style: EntryNames.Style, transposed: Bool) {
        let names = EntryNames(matrix: matrix, weights: weights, style: style)
        let rows = transposed ? matrix.columnCount : matrix.rowCount
        let columns = transposed ? matrix.rowCount : matrix.columnCount
        var cells = [[String?]](repeating: [String?](repeating: nil, count: columns), count: rows)
        for entry in matrix.entries {
            let name = names.name(ofWeight: entry.weightIndex)
            if transposed { cells[entry.column][entry.row] = name } else { cells[entry.row][entry.column] = name }
        }
        self.cells = cells
        labels = PositionLabels(geometry: matrix.geometry, transposed: transposed)
    }

    /// Whether a separator belongs before printed row `row` (a new channel block starts there).
    func startsRowBlock(_ row: Int) -> Bool { row > 0 && row % labels.rowBlock == 0 }
    /// Whether a separator belongs before printed column `column`.
    func startsColumnBlock(_ column: Int) -> Bool { column > 0 && column % labels.columnBlock == 0 }
}
