extension MatrixPrinter {
    /// Aligned text: every column as wide as its widest cell, labels on the left and on top.
    func text<Target: TextOutputStream>(_ grid: PrintedGrid, to target: inout Target) {
        let zero = zerosAsDigits ? "0" : "·"
        let cellWidth = max(zero.count, grid.namesInUse.map(\.count).max() ?? 1)
        let width = labels ? max(cellWidth, (0..<grid.columnCount).map { grid.labels.column($0).count }.max() ?? 0) : cellWidth
        let labelWidth = labels ? (0..<grid.rowCount).map { grid.labels.row($0).count }.max() ?? 0 : 0
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
        if labels { target.write(line("", (0..<grid.columnCount).map { grid.labels.column($0) }) + "\n") }
        grid.forEachRow { r, cells in
            let label = labels ? grid.labels.row(r) : ""
            let printed = line(label, cells.map { $0 ?? zero })
            if blockSeparators && grid.startsRowBlock(r) {
                target.write(String(repeating: ascii ? "-" : "─", count: printed.count) + "\n")
            }
            target.write(printed + "\n")
        }
    }
}
