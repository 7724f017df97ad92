import ConvMatrixCore
import ConvMatrixInterchange

extension MatrixPrinter {
    /// A GitHub table: a header of column names (numbers or labels), one row per printed row,
    /// highlighted nonzeros in bold. Over the padded input a structural zero of a padding
    /// row or column is `░` and its entries are in parentheses; rows `output_padding` adds
    /// have a `*` after their name.
    func markdown<Target: TextOutputStream>(_ grid: PrintedGrid, to target: inout Target) {
        let zero = zerosAsDigits ? "0" : "·"
        let marked = grid.hasMarks
        let columnMarks = marked ? (0..<grid.columnCount).map { grid.columnMark($0) } : []
        let header = (0..<grid.columnCount).map { labels ? grid.columnLabel($0, false) : "\($0)" }
        target.write("| | " + header.joined(separator: " | ") + " |\n")
        target.write("|---|" + String(repeating: "---|", count: grid.columnCount) + "\n")
        grid.forEachRow { r, row in
            let rowMark = marked ? grid.rowMark(r) : .plain
            let name = (labels ? grid.rowLabel(r, false) : "\(r)") + (rowMark == .outputPadding ? "*" : "")
            let cells = row.enumerated().map { column, cell -> String in
                let onPadding = rowMark == .padding || (marked && grid.mark(r, column, rowMark: .plain, columnMark: columnMarks[column]) == .padding)
                guard let cell else { return onPadding ? "░" : zero }
                let mark = highlight(r, column)
                let text = onPadding ? "(\(cell))" : cell
                return mark.row || mark.column ? "**\(text)**" : text
            }
            target.write("| **\(name)** | " + cells.joined(separator: " | ") + " |\n")
        }
    }

    /// Comma-separated values; empty cells (or `0` with `zerosAsDigits`) are structural zeros.
    /// With labels, a header row and a label column.
    func csv<Target: TextOutputStream>(_ grid: PrintedGrid, to target: inout Target) {
        if labels {
            target.write(([""] + (0..<grid.columnCount).map { grid.columnLabel($0, false) }).map(csvField).joined(separator: ",") + "\n")
        }
        grid.forEachRow { r, row in
            let fields = row.map { $0 ?? (zerosAsDigits ? "0" : "") }
            target.write(((labels ? [grid.rowLabel(r, false)] : []) + fields).map(csvField).joined(separator: ",") + "\n")
        }
    }

    /// Quotes a field that contains a comma or a quote (labels and channel names do), per RFC 4180.
    private func csvField(_ text: String) -> String {
        guard text.contains(",") || text.contains("\"") else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}
