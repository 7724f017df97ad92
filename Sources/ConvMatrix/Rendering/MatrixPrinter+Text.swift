extension MatrixPrinter {
    /// Aligned text: every column as wide as its widest cell, labels on the left and on top.
    func text(_ grid: PrintedGrid) -> String {
        let zero = zerosAsDigits ? "0" : "·"
        let cellWidth = grid.cells.joined().map { ($0 ?? zero).count }.max() ?? 1
        let width = labels ? max(cellWidth, (0..<grid.columnCount).map { grid.labels.column($0).count }.max() ?? 0) : cellWidth
        let rowLabels = (0..<grid.rowCount).map { labels ? grid.labels.row($0) : "" }
        let labelWidth = rowLabels.map(\.count).max() ?? 0
        let vertical = ascii ? "|" : "│"
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
        var lines = [String]()
        if labels { lines.append(line("", (0..<grid.columnCount).map { grid.labels.column($0) })) }
        for (r, row) in grid.cells.enumerated() {
            if blockSeparators && grid.startsRowBlock(r) {
                let sample = line(rowLabels[r], row.map { $0 ?? zero })
                lines.append(String(repeating: ascii ? "-" : "─", count: sample.count))
            }
            lines.append(line(rowLabels[r], row.map { $0 ?? zero }))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
