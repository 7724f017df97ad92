import ConvMatrixCore
import ConvMatrixInterchange

extension MatrixPrinter {
    /// The matrix as LaTeX math: a `bmatrix` (amsmath), or with block
    /// separators an `array` with `|` between column blocks and `\hline`
    /// between row blocks inside `\left[ … \right]`.
    ///
    /// amsmath's matrices hold at most `MaxMatrixCols` = 10 columns, so a
    /// wider matrix raises the counter first; the snippet then compiles as is.
    /// Highlighted entries use `\color` (xcolor): the row red, the column
    /// blue, their crossing violet. A standalone document gets a page sized
    /// to the matrix (geometry), so wide matrices do not run off the page.
    ///
    /// With labels the matrix becomes a labelled `array`: a header row of
    /// column labels (`x_{(2,3)}`, `x^{(1)}_{(2,3)}` with the channel), a
    /// first column of row labels, rules between labels and entries, and no
    /// brackets (they cannot enclose part of an array). It compiles with
    /// amsmath alone. Over the padded input (`show_padding`) the padding
    /// columns, or for Cᵀ the cropped rows, are grey, and the rows
    /// `output_padding` adds are teal (xcolor).
    func latex<Target: TextOutputStream>(_ grid: PrintedGrid, to target: inout Target) {
        let zero = zerosAsDigits ? "0" : "\\cdot"
        var lines = [String]()
        let columns = grid.columnCount
        let usesArray = blockSeparators || labels
        let marked = grid.hasMarks
        let columnMarks = marked ? (0..<columns).map { grid.columnMark($0) } : []
        let legend = marked ? latexMarkLegend(grid.legend) : []
        // A legend goes under the matrix, the two stacked by amsmath's gathered.
        if !legend.isEmpty { lines.append("\\begin{gathered}") }
        if usesArray {
            var spec = labels ? "r|" : ""
            for column in 0..<columns {
                if blockSeparators && grid.startsColumnBlock(column) { spec += "|" }
                spec += "c"
            }
            // Taller rows (and a strut under each \hline) keep the lines clear of superscripts like w^{(o,i)}.
            lines.append("\\renewcommand{\\arraystretch}{1.3}")
            lines.append(labels ? "\\begin{array}{\(spec)}" : "\\left[\\begin{array}{\(spec)}")
            if labels {
                let header = (0..<columns).map { column in
                    coloured("\\scriptstyle " + grid.columnLabel(column, true), marked ? columnMarks[column] : .plain)
                }
                lines.append("   & " + header.joined(separator: " & ") + " \\\\ \\hline")
            }
        } else {
            if columns > 10 { lines.append("\\setcounter{MaxMatrixCols}{\(columns)}") }
            lines.append("\\begin{bmatrix}")
        }
        // The page of a standalone document is sized before the matrix is written.
        if standalone { target.write(documentStart(grid, zero: zero)) }
        for line in lines { target.write(line + "\n") }
        grid.forEachRow { r, row in
            let rowMark = marked ? grid.rowMark(r) : .plain
            let cells = row.enumerated().map { column, cell -> String in
                latexCell(
                    cell.map(latexNumber) ?? zero, row: r, column: column, rowMark: .plain,
                    columnMark: marked ? grid.mark(r, column, rowMark: rowMark, columnMark: columnMarks[column]) : .plain)
            }
            let label = labels ? coloured(grid.rowLabel(r, true), rowMark) + " & " : ""
            let prefix = usesArray && blockSeparators && grid.startsRowBlock(r) ? "  \\hline \\rule{0pt}{3ex}" : "  "
            let end = r + 1 < grid.rowCount ? " \\\\" : ""
            target.write(prefix + label + cells.joined(separator: " & ") + end + "\n")
        }
        target.write((usesArray ? (labels ? "\\end{array}" : "\\end{array}\\right]") : "\\end{bmatrix}") + (legend.isEmpty ? "\n" : " \\\\[0.5ex]\n"))
        if !legend.isEmpty { target.write(latexLegendBlock(legend) + "\\end{gathered}\n") }
        if standalone { target.write("\\]\n\\end{document}\n") }
    }

    /// The start of a standalone document, up to `\[`: a page sized to the
    /// matrix, generously — about 0.16 cm per visible character of the widest
    /// entry or label (LaTeX markup _ ^ { } not counted) plus the column separation.
    private func documentStart(_ grid: PrintedGrid, zero: String) -> String {
        let usesColour = highlightedRow != nil || highlightedColumn != nil || grid.hasMarks
        let names = grid.cellTexts
        let columnLabels = labels ? (0..<grid.columnCount).map { visibleLength(grid.columnLabel($0, true)) * 3 / 4 } : []
        let widest = (names.map(visibleLength) + (grid.hasZeros ? [visibleLength(zero)] : []) + columnLabels).max() ?? 1
        let labelWidth = labels ? Double((0..<grid.rowCount).map { visibleLength(grid.rowLabel($0, true)) }.max() ?? 0) * 0.2 + 0.5 : 0
        let legend = grid.hasMarks ? grid.legend : []
        let legendWidth = Double(legend.map { $0.meaning.count + 3 }.max() ?? 0) * 0.17
        let matrixWidth = Double(grid.columnCount) * (0.45 + 0.16 * Double(widest)) + labelWidth
        let width = max(8, 2 + Int(max(matrixWidth, legendWidth).rounded(.up)))
        let height = max(4, 3 + Int((Double(grid.rowCount + (labels ? 1 : 0) + legend.count) * 0.6).rounded(.up)))
        return """
            \\documentclass{article}
            \\usepackage[paperwidth=\(width)cm,paperheight=\(height)cm,margin=1cm]{geometry}
            \\usepackage{amsmath}
            \(usesColour ? "\\usepackage{xcolor}\n" : "")\\pagestyle{empty}
            \\begin{document}
            \\[

            """
    }
}

/// Roughly how many characters an entry shows when typeset: `w_{0,0}` shows
/// four, `\cdot` one.
private func visibleLength(_ entry: String) -> Int {
    entry.replacing("\\cdot", with: "·").filter { !"_^{}".contains($0) }.count
}

/// A number in scientific notation written for LaTeX math: `1.5e-05` becomes
/// `1.5 \times 10^{-5}`; anything else (names, plain numbers) is unchanged.
func latexNumber(_ entry: String) -> String {
    let parts = entry.split(separator: "e", maxSplits: 1)
    guard parts.count == 2, Double(entry) != nil, let exponent = Int(parts[1]) else { return entry }
    return "\(parts[0]) \\times 10^{\(exponent)}"
}
