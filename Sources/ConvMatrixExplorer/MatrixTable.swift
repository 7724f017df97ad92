import ConvMatrix

/// The printed matrix as an HTML table the page can link: `MatrixPrinter`'s
/// cells (its labels, entries and structural zeros, with flip and order, as
/// `convmat matrix --labels` prints them), plus each row's nonzero columns.
///
/// Rows are `<tr data-row="r">`, cells `<td data-row="r" data-col="c">`,
/// headers `<th data-col="c">` and `<th data-row="r">`; cells that start a
/// channel block carry the classes `block-top` / `block-left`, structural
/// zeros `zero`. Every cell is focusable (`tabindex="-1"`, the first one `0`)
/// so the page can move through them with the arrow keys.
struct MatrixTable {
    /// The `<table>` element.
    let html: String
    /// For each printed row, the printed columns of its nonzeros.
    let pattern: [[Int]]

    /// Lays out `cells` (`MatrixPrinter.cells`) as a table.
    ///
    /// - Complexity: O(rows × columns).
    init(_ cells: MatrixPrinter.Cells) {
        func startsBlock(_ index: Int, every size: Int) -> Bool { index > 0 && size > 0 && index % size == 0 }
        var html = "<table class=\"matrix\"><thead><tr><th class=\"corner\"></th>"
        for (c, label) in cells.columnLabels.enumerated() {
            let block = startsBlock(c, every: cells.columnsPerBlock) ? " class=\"block-left\"" : ""
            html += "<th scope=\"col\" data-col=\"\(c)\"\(block) tabindex=\"-1\">\(xmlEscaped(label))</th>"
        }
        html += "</tr></thead><tbody>"
        var pattern = [[Int]]()
        let zero = xmlEscaped(cells.zero)
        cells.forEachRow { r, row in
            let top = startsBlock(r, every: cells.rowsPerBlock)
            html +=
                "<tr data-row=\"\(r)\"\(top ? " class=\"block-top\"" : "")><th scope=\"row\" data-row=\"\(r)\" tabindex=\"-1\">\(xmlEscaped(cells.rowLabels[r]))</th>"
            var nonzeros = [Int]()
            for (c, entry) in row.enumerated() {
                var classes = [String]()
                if entry == nil { classes.append("zero") } else { nonzeros.append(c) }
                if startsBlock(c, every: cells.columnsPerBlock) { classes.append("block-left") }
                let classAttribute = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
                let focus = r == 0 && c == 0 ? "0" : "-1"
                html += "<td data-row=\"\(r)\" data-col=\"\(c)\"\(classAttribute) tabindex=\"\(focus)\">\(entry.map(xmlEscaped) ?? zero)</td>"
            }
            pattern.append(nonzeros)
            html += "</tr>"
        }
        html += "</tbody></table>"
        self.html = html
        self.pattern = pattern
    }
}
