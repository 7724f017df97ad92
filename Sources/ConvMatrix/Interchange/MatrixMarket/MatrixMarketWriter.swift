extension MatrixPrinter {
    /// Matrix Market coordinate format, 1-based, entries column by column:
    /// `real` with the kernel's values, `pattern` when the matrix is symbolic.
    func matrixMarket(_ matrix: ConvolutionMatrix, weights: [Double]?) -> String {
        let rows = transposed ? matrix.columnCount : matrix.rowCount
        let columns = transposed ? matrix.rowCount : matrix.columnCount
        var entries = matrix.entries.map { entry in
            transposed ? (row: entry.column, column: entry.row, weightIndex: entry.weightIndex) : entry
        }
        if transposed { entries.sort { ($0.column, $0.row) < ($1.column, $1.row) } }
        var lines = ["%%MatrixMarket matrix coordinate \(weights == nil ? "pattern" : "real") general"]
        lines.append("% ConvMatrix: \(transposed ? "transposed convolution matrix C^T" : "convolution matrix C")")
        lines.append("\(rows) \(columns) \(entries.count)")
        for entry in entries {
            if let weights {
                lines.append("\(entry.row + 1) \(entry.column + 1) \(weights[entry.weightIndex])")
            } else {
                lines.append("\(entry.row + 1) \(entry.column + 1)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
