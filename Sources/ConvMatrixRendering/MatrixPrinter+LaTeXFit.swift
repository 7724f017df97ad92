import ConvMatrixCore
import ConvMatrixInterchange

extension MatrixPrinter {
    /// The matrix as LaTeX fitted to `fit` without shrinking the type.
    ///
    /// Tries, in order, until the matrix fits the width in one piece:
    /// 1. the plain names (`w_{0,0}`) with `\arraycolsep` 3 pt, then 2 pt;
    /// 2. the indices run together (`w_{00}`), when each is one digit;
    /// 3. for a symbolic kernel of several taps, each tap by its row-major
    ///    number (`w_{4}` for w_{1,1} of a 3×3 kernel), said in a comment;
    /// and otherwise splits the columns into blocks of about equal width,
    /// stacked under each other, each block but the last continued with
    /// `\cdots`, and says so in a comment.
    ///
    /// Labels stay at `\scriptstyle` (the size of `\scriptsize`) with every
    /// character at that size: `x(0,1)` rather than `x_{(0,1)}`, whose
    /// indices would be a size smaller. The brackets enclose the entries
    /// alone: the column labels stand above them, the row labels to the left,
    /// and every column is a `\makebox` of one width in both, so that labels
    /// and entries line up. Column labels wider than their column alternate
    /// between two header rows.
    func fittedLaTeX<Target: TextOutputStream>(
        _ view: MatrixView, names latexNames: [String], weights: [Double]?, kernelVolume: Int, symbolic: Bool, fit: PageFit, to target: inout Target
    ) {
        // The namings to try, widest first, without repeats.
        var namings: [(names: [String], note: String?)] = [(latexNames, nil)]
        let joined = latexNames.map(joiningIndices)
        if joined != latexNames { namings.append((joined, nil)) }
        if symbolic && kernelVolume > 1 {
            let flat = latexNames.enumerated().map { index, name in flatName(name, tap: index % kernelVolume) }
            if flat != joined {
                namings.append((flat, flatNote(view.convolutionOperator.convolution)))
            }
        }
        let candidates = namings.map { naming in
            FittingCandidate(
                grid: PrintedGrid(view, names: EntryNames(names: naming.names, weights: weights)), note: naming.note,
                superscripts: naming.names.contains { $0.contains("^") })
        }
        fittedLaTeX(candidates, fallback: min(1, candidates.count - 1), fit: fit, to: &target)
    }

    /// One way of printing the matrix that `fittedLaTeX` may choose: its cells with one naming of the entries.
    struct FittingCandidate {
        /// The printed matrix with this naming.
        let grid: PrintedGrid
        /// A comment that explains the naming, if it needs one.
        let note: String?
        /// Whether some entry has a superscript (rows then need more room).
        let superscripts: Bool
    }

    /// The fitted LaTeX of the first candidate that fits in one piece (at a column separation of
    /// 3, 2 or 1.5 pt); when none fits, candidate `fallback`, split into column blocks.
    func fittedLaTeX<Target: TextOutputStream>(_ candidates: [FittingCandidate], fallback: Int, fit: PageFit, to target: inout Target) {
        let room = fit.room
        let available = room.width * 0.97
        var chosen: Layout?
        search: for candidate in candidates {
            for separation in [3.0, 2.0, 1.5] {
                let layout = Layout(self, candidate, separation: separation, typeSize: room.typeSize)
                if layout.width(0..<candidate.grid.columnCount) <= available {
                    chosen = layout
                    break search
                }
            }
        }
        let fallbackCandidate = FittingCandidate(grid: candidates[fallback].grid, note: nil, superscripts: candidates[fallback].superscripts)
        let grid = (chosen?.grid ?? fallbackCandidate.grid)
        var layout = chosen ?? Layout(self, fallbackCandidate, separation: 2, typeSize: room.typeSize)
        let view = (rowCount: grid.rowCount, columnCount: grid.columnCount)
        let blocks = chosen == nil ? layout.blocks(within: available) : [0..<view.columnCount]
        // Rows of names without superscripts are clear of each other at 0.9 of the line spacing.
        if let roomHeight = room.height, layout.height(blocks: blocks.count) > roomHeight, layout.stretch == 1 { layout.stretch = 0.9 }

        var header = ["% fitted by convmat --fit \(fit.argument) to \(fit.description)"]
        let oneWidth = layout.width(0..<view.columnCount)
        if blocks.count > 1 {
            let ranges = blocks.map { "\($0.lowerBound + 1)–\($0.upperBound)" }.joined(separator: ", ")
            header.append(
                "% the \(view.rowCount)×\(view.columnCount) matrix is \(emText(oneWidth)) em wide in one piece, more than the \(emText(room.width)) em of text width,"
            )
            header.append("% so it is split into \(blocks.count) column blocks (columns \(ranges)), each continued with \\cdots")
        }
        if let note = layout.note { header.append(note) }
        if let roomHeight = room.height, !layout.legend.isEmpty, layout.height(blocks: blocks.count) > roomHeight {
            // The matrix comes first: a legend that would push it off the frame is left out, and said so.
            var bare = layout
            bare.legend = []
            if bare.height(blocks: blocks.count) <= roomHeight {
                let meanings = grid.legend
                header.append(
                    "% no room for the legend under the matrix: "
                        + meanings.map { "\($0.mark.latexColour ?? ""): \($0.meaning)" }.joined(separator: "; "))
                layout = bare
            }
        }
        let height = layout.height(blocks: blocks.count)
        if let roomHeight = room.height, height > roomHeight {
            header.append(
                "% it is about \(emText(height)) em tall, more than the \(emText(roomHeight)) em of the text height: print one channel block (--block) or fewer rows"
            )
        }
        if standalone { target.write(fittedDocumentStart(fit, colour: layout.usesColour)) }
        for line in header { target.write(line + "\n") }
        let stacked = blocks.count > 1 || !layout.legend.isEmpty
        if stacked { target.write("\\begin{gathered}\n") }
        for (index, block) in blocks.enumerated() {
            let continuedBefore = index > 0, continuedAfter = index + 1 < blocks.count
            layout.write(block, openLeft: continuedBefore, openRight: continuedAfter, to: &target)
            if continuedAfter { target.write(" \\\\[1ex]\n") } else { target.write(layout.legend.isEmpty ? "\n" : " \\\\[0.5ex]\n") }
        }
        if !layout.legend.isEmpty { target.write(latexLegendBlock(layout.legend)) }
        if stacked { target.write("\\end{gathered}\n") }
        if standalone { target.write(fit == .slide ? "\\]\n\\end{frame}\n\\end{document}\n" : "\\]\n\\end{document}\n") }
    }

    /// A document around the fitted matrix: a beamer frame for `slide`, an article otherwise.
    private func fittedDocumentStart(_ fit: PageFit, colour: Bool) -> String {
        let packages = "\\usepackage{amsmath}\n" + (colour ? "\\usepackage{xcolor}\n" : "")
        if fit == .slide {
            return "\\documentclass{beamer}\n\(packages)\\begin{document}\n\\begin{frame}\n\\[\n"
        }
        let width: String
        if case .width(let points) = fit { width = "\\usepackage[textwidth=\(formatNumber((points * 100).rounded() / 100))pt]{geometry}\n" } else { width = "" }
        return "\\documentclass[12pt]{article}\n\(width)\(packages)\\pagestyle{empty}\n\\begin{document}\n\\[\n"
    }

    /// The printed rows, their cells as LaTeX, and each column's width: what the fitted layout arranges.
    fileprivate struct Layout {
        let rows: [[String]]
        let rowLabels: [String]?
        let columnLabels: [String]?
        /// Each column's width in ems (entries, and labels unless they alternate).
        let columnWidths: [Double]
        let rowLabelWidth: Double
        let staggered: Bool
        /// `\arraycolsep` in points, and in ems.
        let separationPoints: Double
        let separation: Double
        /// `\arraystretch`: 1.3 for names with superscripts, 0.9 when that makes a split matrix fit the height.
        var stretch: Double
        let note: String?
        let usesColour: Bool
        /// The legend of the marks (padding, output_padding) under the matrix, one LaTeX line each.
        var legend: [String]
        let blockSeparators: [Bool]

        /// The printed matrix laid out.
        let grid: PrintedGrid

        init(_ printer: MatrixPrinter, _ candidate: FittingCandidate, separation separationPoints: Double, typeSize: Double) {
            let separation = separationPoints / typeSize
            let grid = candidate.grid
            self.grid = grid
            let zero = printer.zerosAsDigits ? "0" : "\\cdot"
            let marked = grid.hasMarks
            let columnMarks = marked ? (0..<grid.columnCount).map { grid.columnMark($0) } : []
            var rows = [[String]]()
            var widths = [Double](repeating: MathWidth.of(zero), count: grid.columnCount)
            grid.forEachRow { r, cells in
                let rowMark = marked ? grid.rowMark(r) : .plain
                rows.append(
                    cells.enumerated().map { column, cell in
                        let text = cell.map(latexNumber) ?? zero
                        widths[column] = max(widths[column], MathWidth.ofEntry(text))
                        let mark = marked ? grid.mark(r, column, rowMark: rowMark, columnMark: columnMarks[column]) : .plain
                        return printer.latexCell(text, row: r, column: column, rowMark: .plain, columnMark: mark)
                    })
            }
            self.rows = rows
            note = candidate.note
            legend = marked ? latexMarkLegend(grid.legend) : []
            self.separation = separation
            self.separationPoints = separationPoints
            usesColour = printer.highlightedRow != nil || printer.highlightedColumn != nil || marked
            stretch = candidate.superscripts ? 1.3 : 1
            blockSeparators = (0..<grid.columnCount).map { printer.blockSeparators && grid.startsColumnBlock($0) }
            guard printer.labels else {
                rowLabels = nil
                columnLabels = nil
                columnWidths = widths
                rowLabelWidth = 0
                staggered = false
                return
            }
            let label = { (text: String, mark: LineMark) in coloured("\\scriptstyle " + text, mark) }
            let rowLabels = (0..<grid.rowCount).map { label(grid.rowLabel($0, false), marked ? grid.rowMark($0) : .plain) }
            self.rowLabels = rowLabels
            let columnLabels = (0..<grid.columnCount).map { label(grid.columnLabel($0, false), marked ? columnMarks[$0] : .plain) }
            self.columnLabels = columnLabels
            rowLabelWidth = rowLabels.map { MathWidth.of($0) }.max() ?? 0
            let labelWidths = columnLabels.map { MathWidth.of($0) }
            let staggered = zip(labelWidths, widths).contains { $0 > $1 }
            self.staggered = staggered
            // Alternating labels may spread over half of each neighbour and its separation.
            columnWidths = zip(labelWidths, widths).map { label, entry in max(entry, staggered ? label / 2 - separation : label) }
        }

        /// The width of columns `range` as one block, in ems, continuation marks included.
        func width(_ range: Range<Int>, openLeft: Bool = false, openRight: Bool = false) -> Double {
            let entries = range.reduce(0) { $0 + columnWidths[$1] } + 2 * separation * Double(max(range.count - 1, 0))
            let brackets = 2 * 0.7
            let labels = rowLabels == nil ? 0 : rowLabelWidth + 0.3
            let continuation = (openLeft ? 1.4 : 0) + (openRight ? 1.4 : 0)
            return entries + brackets + labels + continuation
        }

        /// The height in ems: every row and header row, and the gaps between blocks.
        func height(blocks: Int) -> Double {
            let headerRows = columnLabels == nil ? 0 : (staggered ? 2 : 1)
            return Double(blocks) * (Double(rows.count) * 1.24 * stretch + Double(headerRows) * 1.0 + 1.0) + Double(blocks - 1) * 0.5
                + Double(legend.count) * 1.4
        }

        /// Column blocks of about equal width, each within `available` with its continuation marks.
        func blocks(within available: Double) -> [Range<Int>] {
            let count = columnWidths.count
            for blockCount in 2...max(2, count) {
                let size = (count + blockCount - 1) / blockCount
                let ranges = stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
                let fits = ranges.enumerated().allSatisfy { index, range in
                    width(range, openLeft: index > 0, openRight: index + 1 < ranges.count) <= available
                }
                if fits { return ranges }
            }
            return (0..<count).map { $0..<($0 + 1) }
        }

        /// Writes columns `range` as one bracketed block.
        func write<Target: TextOutputStream>(_ range: Range<Int>, openLeft: Bool, openRight: Bool, to target: inout Target) {
            var spec = "@{}"
            for column in range {
                if blockSeparators[column] && column != range.lowerBound { spec += "|" }
                spec += "c"
            }
            spec += "@{}"
            let open = openLeft ? "\\left." : "\\left["
            let close = openRight ? "\\right." : "\\right]"
            let box = { (column: Int, text: String) in "\\makebox[\(emText(columnWidths[column]))em]{$\(text)$}" }
            var lines = [String]()
            lines.append("{\\setlength{\\arraycolsep}{\(formatNumber(separationPoints))pt}\\renewcommand{\\arraystretch}{\(formatNumber(stretch))}%")
            let before = openLeft ? "\\cdots\\;" : ""
            let after = openRight ? "\\;\\cdots" : ""
            let entryRows = rows.map { row in range.map { box($0, row[$0]) }.joined(separator: " & ") }
            if let columnLabels, let rowLabels {
                // The header is aligned with the entries by a phantom bracket of the entries' height.
                let phantom = "\\hphantom{\\left[\\begin{array}{c}" + String(repeating: "\\\\", count: max(rows.count - 1, 0)) + "\\end{array}\\right.}"
                var headerRows = [String]()
                if staggered {
                    for parity in 0..<2 {
                        headerRows.append(
                            range.map { column in
                                column % 2 == parity
                                    ? "\\makebox[\(emText(columnWidths[column]))em]{\\makebox[0pt]{$\(columnLabels[column])$}}" : box(column, "")
                            }.joined(separator: " & "))
                    }
                } else {
                    headerRows.append(range.map { box($0, columnLabels[$0]) }.joined(separator: " & "))
                }
                lines.append("\\begin{array}{@{}r@{\\;}l@{}}")
                lines.append("  & \(phantom)\\begin{array}{\(spec)}")
                lines.append(headerRows.map { "    " + $0 }.joined(separator: " \\\\\n"))
                lines.append("  \\end{array} \\\\")
                lines.append("  \\begin{array}{@{}r@{}}")
                lines.append(rowLabels.map { "    " + $0 }.joined(separator: " \\\\\n"))
                lines.append("  \\end{array} & \(before)\(open)\\begin{array}{\(spec)}")
                lines.append(entryRows.map { "    " + $0 }.joined(separator: " \\\\\n"))
                lines.append("  \\end{array}\(close)\(after)")
                lines.append("\\end{array}}")
            } else {
                lines.append("\(before)\(open)\\begin{array}{\(spec)}")
                lines.append(entryRows.map { "  " + $0 }.joined(separator: " \\\\\n"))
                lines.append("\\end{array}\(close)\(after)}")
            }
            target.write(lines.joined(separator: "\n"))
        }
    }

    /// One entry of the LaTeX matrix with its colour: a highlighted row red, a
    /// highlighted column blue, their crossing violet; otherwise the mark of
    /// its row (over the padded output) or column (over the padded input).
    func latexCell(_ text: String, row: Int, column: Int, rowMark: LineMark, columnMark: LineMark) -> String {
        let mark = highlight(row, column)
        switch (mark.row, mark.column) {
        case (true, true): return "{\\color{violet}\(text)}"
        case (true, false): return "{\\color{red}\(text)}"
        case (false, true): return "{\\color{blue}\(text)}"
        case (false, false): return coloured(text, rowMark != .plain ? rowMark : columnMark)
        }
    }
}

/// `text` in the colour of its mark: padding grey, `output_padding` teal.
func coloured(_ text: String, _ mark: LineMark) -> String {
    guard let colour = mark.latexColour else { return text }
    return "{\\color{\(colour)}\(text)}"
}

/// The legend of a marked matrix in LaTeX math: one `\text` line per mark that appears, a square
/// of its colour and what it means, at `\scriptsize`. Empty when nothing is marked.
func latexMarkLegend(_ entries: [(mark: LineMark, meaning: String)]) -> [String] {
    entries.map { entry in
        let meaning = entry.meaning.replacing("_", with: "\\_")
        return "\\text{\\scriptsize\\textcolor{\(entry.mark.latexColour ?? "black")}{\\rule{1ex}{1ex}}\\ \(meaning)}"
    }
}

/// `w_{0,1}` as `w_{01}` when every index is one character; anything else unchanged.
func joiningIndices(_ name: String) -> String {
    guard let start = subscriptStart(name), name.hasSuffix("}") else { return name }
    let indices = name[start..<name.index(before: name.endIndex)].split(separator: ",", omittingEmptySubsequences: false)
    guard indices.count > 1, indices.allSatisfy({ $0.count == 1 }) else { return name }
    return name[..<start] + indices.joined() + "}"
}

/// `w_{1,1}` (or `w^{(o,i)}_{1,1}`) as `w_{4}`: the tap by its row-major number within the kernel.
private func flatName(_ name: String, tap: Int) -> String {
    guard let start = subscriptStart(name) else { return name }
    return name[..<start] + "\(tap)}"
}

/// Where the last subscript group `_{…}` of `name` starts (after its brace).
private func subscriptStart(_ name: String) -> String.Index? {
    guard let underscore = name.lastIndex(of: "_") else { return nil }
    let brace = name.index(after: underscore)
    guard brace < name.endIndex, name[brace] == "{" else { return nil }
    return name.index(after: brace)
}

/// The comment that says what `w_{k}` stands for.
private func flatNote(_ geometry: ConvolutionGeometry) -> String {
    let size = geometry.kernelSize
    let letters = ["i", "j", "l", "m", "n", "o"]
    let indices = (0..<size.count).map { letters[min($0, letters.count - 1)] }
    var terms = [String]()
    for d in 0..<size.count {
        let factor = size[(d + 1)...].reduce(1, *)
        terms.append(factor == 1 ? indices[d] : "\(factor)\(indices[d])")
    }
    return
        "% entries w_{k} name the kernel's taps by their row-major number: w_{k} is w_{\(indices.joined(separator: ","))} with k = \(terms.joined(separator: " + "))"
}

/// A width in ems with two decimals.
private func emText(_ value: Double) -> String {
    formatNumber((value * 100).rounded(.up) / 100)
}

/// The legend lines as one block under the matrix, left-aligned with each other (an `array`
/// of one left column when there are several), ending with a newline.
func latexLegendBlock(_ lines: [String]) -> String {
    guard lines.count > 1 else { return lines.joined() + "\n" }
    return "\\begin{array}{@{}l@{}}\n" + lines.map { "  " + $0 }.joined(separator: " \\\\\n") + "\n\\end{array}\n"
}
