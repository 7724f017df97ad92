extension MatrixPrinter {
    /// A GitHub table: a header of column names (numbers or labels), one row per printed row,
    /// highlighted nonzeros in bold.
    func markdown(_ grid: PrintedGrid) -> String {
        let zero = zerosAsDigits ? "0" : "·"
        let header = (0..<grid.columnCount).map { labels ? grid.labels.column($0) : "\($0)" }
        var lines = ["| | " + header.joined(separator: " | ") + " |"]
        lines.append("|---|" + String(repeating: "---|", count: grid.columnCount))
        for (r, row) in grid.cells.enumerated() {
            let name = labels ? grid.labels.row(r) : "\(r)"
            let cells = row.enumerated().map { column, cell -> String in
                guard let cell else { return zero }
                let mark = highlight(r, column)
                return mark.row || mark.column ? "**\(cell)**" : cell
            }
            lines.append("| **\(name)** | " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Comma-separated values; empty cells are structural zeros. With labels, a header row and a label column.
    func csv(_ grid: PrintedGrid) -> String {
        var lines = [String]()
        if labels { lines.append(([""] + (0..<grid.columnCount).map { grid.labels.column($0) }).map(csvField).joined(separator: ",")) }
        for (r, row) in grid.cells.enumerated() {
            let fields = row.map { $0 ?? "" }
            lines.append(((labels ? [grid.labels.row(r)] : []) + fields).map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Quotes a field that contains a comma or a quote (labels and channel names do), per RFC 4180.
    private func csvField(_ text: String) -> String {
        guard text.contains(",") || text.contains("\"") else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}
