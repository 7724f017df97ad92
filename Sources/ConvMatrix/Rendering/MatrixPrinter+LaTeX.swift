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
    func latex<Target: TextOutputStream>(_ grid: PrintedGrid, to target: inout Target) {
        let zero = zerosAsDigits ? "0" : "\\cdot"
        var lines = [String]()
        let columns = grid.columnCount
        let usesArray = blockSeparators
        if usesArray {
            var spec = ""
            for column in 0..<columns {
                if grid.startsColumnBlock(column) { spec += "|" }
                spec += "c"
            }
            // Taller rows (and a strut under each \hline) keep the lines clear of superscripts like w^{(o,i)}.
            lines.append("\\renewcommand{\\arraystretch}{1.3}")
            lines.append("\\left[\\begin{array}{\(spec)}")
        } else {
            if columns > 10 { lines.append("\\setcounter{MaxMatrixCols}{\(columns)}") }
            lines.append("\\begin{bmatrix}")
        }
        // The page of a standalone document is sized before the matrix is written.
        if standalone { target.write(documentStart(grid, zero: zero)) }
        for line in lines { target.write(line + "\n") }
        grid.forEachRow { r, row in
            let cells = row.enumerated().map { column, cell -> String in
                let text = cell.map(latexNumber) ?? zero
                let mark = highlight(r, column)
                switch (mark.row, mark.column) {
                case (true, true): return "{\\color{violet}\(text)}"
                case (true, false): return "{\\color{red}\(text)}"
                case (false, true): return "{\\color{blue}\(text)}"
                case (false, false): return text
                }
            }
            let prefix = usesArray && grid.startsRowBlock(r) ? "  \\hline \\rule{0pt}{3ex}" : "  "
            let end = r + 1 < grid.rowCount ? " \\\\" : ""
            target.write(prefix + cells.joined(separator: " & ") + end + "\n")
        }
        target.write((usesArray ? "\\end{array}\\right]" : "\\end{bmatrix}") + "\n")
        if standalone { target.write("\\]\n\\end{document}\n") }
    }

    /// The start of a standalone document, up to `\[`: a page sized to the
    /// matrix, generously — about 0.16 cm per visible character of the widest
    /// entry (LaTeX markup _ ^ { } not counted) plus the column separation.
    private func documentStart(_ grid: PrintedGrid, zero: String) -> String {
        let usesColour = highlightedRow != nil || highlightedColumn != nil
        let names = grid.namesInUse
        let hasZeros = grid.convolutionOperator.convolution.nonzeroCount < grid.rowCount * grid.columnCount
        let widest = (names.map(visibleLength) + (hasZeros ? [visibleLength(zero)] : [])).max() ?? 1
        let width = max(8, 2 + Int((Double(grid.columnCount) * (0.45 + 0.16 * Double(widest))).rounded(.up)))
        let height = max(4, 3 + Int((Double(grid.rowCount) * 0.6).rounded(.up)))
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
