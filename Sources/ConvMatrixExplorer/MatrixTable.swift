import ConvMatrix

/// The printed matrix as an HTML table the page can link: `MatrixPrinter`'s
/// cells (its labels, entries and structural zeros, with flip and order, as
/// `convmat matrix --labels` prints them), plus each row's nonzero columns.
///
/// Rows are `<tr data-row="r">`, cells `<td data-row="r" data-col="c">`,
/// headers `<th data-col="c">` and `<th data-row="r">`; cells that start a
/// channel block carry the classes `block-top` / `block-left`, structural
/// zeros `zero`. A symbolic entry's indices are HTML, so that they can be set
/// larger than Unicode's subscript digits: `w₀,₂` is `w<sub>0,2</sub>`, and
/// with several channels `w(1,0)₀,₂` is `w` with `(1,0)` above `0,2` (as the
/// LaTeX export writes `w^{(1,0)}_{0,2}`); the cell's `aria-label` keeps the
/// printer's text. Every cell is focusable (`tabindex="-1"`, the first one `0`)
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
                html += "<td data-row=\"\(r)\" data-col=\"\(c)\"\(classAttribute) tabindex=\"\(focus)\"\(entry.map(Self.entryHTML) ?? ">" + zero)</td>"
            }
            pattern.append(nonzeros)
            html += "</tr>"
        }
        html += "</tbody></table>"
        self.html = html
        self.pattern = pattern
    }

    /// The end of a `<td` start tag and the cell's content for a printed entry: numbers as they
    /// are, a symbolic name with its indices as HTML and its text as the `aria-label`.
    static func entryHTML(_ entry: String) -> String {
        guard let first = entry.firstIndex(where: { subscriptDigits[$0] != nil }),
            entry[first...].allSatisfy({ subscriptDigits[$0] != nil || $0 == "," })
        else { return ">" + xmlEscaped(entry) }
        let taps = String(entry[first...].map { subscriptDigits[$0] ?? $0 })
        var base = entry[..<first]
        var channels = ""
        if base.hasSuffix(")"), let open = base.lastIndex(of: "(") {
            channels = String(base[open...])
            base = base[..<open]
        }
        let indices =
            channels.isEmpty
            ? "<sub>\(taps)</sub>" : "<span class=\"indices\"><sup>\(xmlEscaped(channels))</sup><sub>\(taps)</sub></span>"
        return " aria-label=\"\(xmlEscaped(entry))\">\(xmlEscaped(String(base)))\(indices)"
    }
}

/// Unicode's subscript digits and the digits they stand for.
private let subscriptDigits: [Character: Character] = [
    "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9",
]
