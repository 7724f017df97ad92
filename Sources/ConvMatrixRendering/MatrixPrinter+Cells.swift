import ConvMatrixCore
import ConvMatrixInterchange

extension MatrixPrinter {
    /// The printed matrix as cells, for a program that lays out the table
    /// itself (the explorer's HTML table): the grid the table formats walk,
    /// with the labels, entries, structural zeros and channel blocks that
    /// `render` prints in the text and Markdown formats, and none of a
    /// format's own marks (bold highlights, `░` and parentheses over padding).
    package struct Cells {
        /// The label of each printed row: `y(0,1)`, `x1(2,3)` with `labels`, else the row's number.
        package let rowLabels: [String]
        /// The label of each printed column.
        package let columnLabels: [String]
        /// Printed rows per channel block: a new block starts at every multiple of it.
        package let rowsPerBlock: Int
        /// Printed columns per channel block.
        package let columnsPerBlock: Int
        /// How a structural zero is printed: `·`, or `0` with `zerosAsDigits`.
        package let zero: String
        let grid: PrintedGrid

        /// Calls `body(row, cells)` for every printed row in order, with one
        /// cell per printed column: the entry's text (`w₀,₁`, or a number with
        /// weights), nil for a structural zero. `cells` is reused between rows.
        ///
        /// - Complexity: O(rows × columns) time; memory for one row.
        package func forEachRow(_ body: (_ row: Int, _ cells: [String?]) -> Void) {
            grid.forEachRow(body)
        }
    }

    /// The cells of the matrix of `convolutionOperator`, after the same checks
    /// as `render` (options against the format, size limits, the kernel's
    /// geometry), so that a refusal reads as the command line's.
    ///
    /// - Parameters:
    ///   - convolutionOperator: the operation; its matrix is C or Cᵀ.
    ///   - kernel: the weights of C, or nil for the symbolic matrix.
    /// - Returns: the labels, block sizes and a walk over the rows; no row is computed yet.
    /// - Throws: `RenderingError` from `check`, when `kernel` belongs to another
    ///   geometry, or when the format is not a table of text (`mtx`, `npy`, `coo-json`).
    /// - Complexity: O(nnz) to find the entries in use; the labels O(rows + columns).
    package func cells(_ convolutionOperator: ConvolutionOperator, kernel: Kernel? = nil) throws(RenderingError) -> Cells {
        try check(convolutionOperator, kernel: kernel)
        if let kernel, kernel.geometry != convolutionOperator.convolution {
            throw .invalid(field: "weights", reason: "belong to another convolution than the one printed")
        }
        if format.isBinary || format.isSparse {
            throw .invalid(field: "format", reason: "\(format.rawValue) is not a table of cells; use text, latex, markdown or csv")
        }
        let style: EntryNames.Style = format == .latex ? .latex : (ascii ? .ascii : .unicode)
        let view = try MatrixView(convolutionOperator, flip: flip, order: order, showPadding: showPadding, block: channelBlock)
        let grid = PrintedGrid(view, names: EntryNames(geometry: convolutionOperator.convolution, weights: kernel?.values, style: style))
        let latexLabels = format == .latex
        return Cells(
            rowLabels: (0..<grid.rowCount).map { labels ? grid.rowLabel($0, latexLabels) : "\($0)" },
            columnLabels: (0..<grid.columnCount).map { labels ? grid.columnLabel($0, latexLabels) : "\($0)" },
            rowsPerBlock: grid.rowBlock, columnsPerBlock: grid.columnBlock,
            zero: zerosAsDigits ? "0" : "·", grid: grid)
    }
}
