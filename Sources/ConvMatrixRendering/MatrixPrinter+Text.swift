import ConvMatrixCore
import ConvMatrixInterchange

extension MatrixPrinter {
    /// Aligned text: every column as wide as its widest cell, labels on the left and on top.
    /// In a padding row or column (`show_padding`) a structural zero is `░` (`#` in ASCII) and
    /// an entry is in parentheses: it multiplies a zero of the padding, or is cropped away.
    /// Rows that `output_padding` adds have a `*` after their label (at the end of the row
    /// when there are no labels).
    func text<Target: TextOutputStream>(_ grid: PrintedGrid, to target: inout Target) {
        let zero = zerosAsDigits ? "0" : "·"
        let paddingZero = ascii ? "#" : "░"
        let marked = grid.hasMarks
        let widest = grid.cellTexts.map(\.count).max() ?? 1
        let cellWidth = max(zero.count, marked ? widest + 2 : widest)
        let rowLabels = labels ? (0..<grid.rowCount).map { grid.rowLabel($0, false) + (grid.rowMark($0) == .outputPadding ? "*" : "") } : []
        let width = labels ? max(cellWidth, (0..<grid.columnCount).map { grid.columnLabel($0, false).count }.max() ?? 0) : cellWidth
        let labelWidth = rowLabels.map(\.count).max() ?? 0
        let vertical = ascii ? "|" : "│"
        let columnMarks = marked ? (0..<grid.columnCount).map { grid.columnMark($0) } : []
        func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(width - text.count, 0)) + text }
        func line(_ label: String, _ texts: [String]) -> String {
            var parts = [String]()
            if labels { parts.append(pad(label, labelWidth)) }
            for (column, text) in texts.enumerated() {
                if blockSeparators && grid.startsColumnBlock(column) { parts.append(vertical) }
                parts.append(pad(text, width))
            }
            return parts.joined(separator: " ")
        }
        if labels { target.write(line("", (0..<grid.columnCount).map { grid.columnLabel($0, false) }) + "\n") }
        grid.forEachRow { r, cells in
            let label = labels ? rowLabels[r] : ""
            let paddingRow = marked && grid.rowMark(r) == .padding
            let texts = cells.enumerated().map { column, cell -> String in
                let onPadding = paddingRow || (marked && grid.mark(r, column, rowMark: .plain, columnMark: columnMarks[column]) == .padding)
                guard let cell else { return onPadding ? paddingZero : zero }
                return onPadding ? "(\(cell))" : cell
            }
            let printed = line(label, texts)
            if blockSeparators && grid.startsRowBlock(r) {
                target.write(String(repeating: ascii ? "-" : "─", count: printed.count) + "\n")
            }
            let added = !labels && marked && grid.rowMark(r) == .outputPadding ? " *" : ""
            target.write(printed + added + "\n")
        }
    }
}
