extension MatrixPrinter {
    /// A GitHub table: a header of column names (numbers or labels), one row per printed row,
    /// highlighted nonzeros in bold.
    func markdown<Target: TextOutputStream>(_ grid: PrintedGrid, to target: inout Target) {
        let zero = zerosAsDigits ? "0" : "·"
        let header = (0..<grid.columnCount).map { labels ? grid.labels.column($0) : "\($0)" }
        target.write("| | " + header.joined(separator: " | ") + " |\n")
        target.write("|---|" + String(repeating: "---|", count: grid.columnCount) + "\n")
        grid.forEachRow { r, row in
            let name = labels ? grid.labels.row(r) : "\(r)"
            let cells = row.enumerated().map { column, cell -> String in
                guard let cell else { return zero }
                let mark = highlight(r, column)
                return mark.row || mark.column ? "**\(cell)**" : cell
            }
            target.write("| **\(name)** | " + cells.joined(separator: " | ") + " |\n")
        }
    }

    /// Comma-separated values; empty cells are structural zeros. With labels, a header row and a label column.
    func csv<Target: TextOutputStream>(_ grid: PrintedGrid, to target: inout Target) {
        if labels {
            target.write(([""] + (0..<grid.columnCount).map { grid.labels.column($0) }).map(csvField).joined(separator: ",") + "\n")
        }
        grid.forEachRow { r, row in
            let fields = row.map { $0 ?? "" }
            target.write(((labels ? [grid.labels.row(r)] : []) + fields).map(csvField).joined(separator: ",") + "\n")
        }
    }

    /// Quotes a field that contains a comma or a quote (labels and channel names do), per RFC 4180.
    private func csvField(_ text: String) -> String {
        guard text.contains(",") || text.contains("\"") else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}
