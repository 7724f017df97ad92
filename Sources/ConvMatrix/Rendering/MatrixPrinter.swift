/// Prints C (or Cᵀ) for a terminal, lecture notes or other programs.
///
/// - `text`: aligned columns, structural zeros as `·` (or `0`).
/// - `latex`: a `bmatrix` for amsmath, entries `w_{0,0}` or numbers, zeros `\cdot` or `0`.
/// - `markdown`: a GitHub table, one row per output element.
/// - `csv`: comma-separated, empty cells for structural zeros.
/// - `mtx`: Matrix Market `coordinate real general` (1-based), or
///   `coordinate pattern general` when there are no numeric weights.
public struct MatrixPrinter: Sendable {
    /// The output formats.
    public enum Format: String, Sendable, CaseIterable {
        case text, latex, markdown, csv, mtx
    }

    /// Which format to write.
    public var format: Format
    /// Print Cᵀ instead of C.
    public var transposed: Bool
    /// Write structural zeros as `0` instead of a dot.
    public var zerosAsDigits: Bool
    /// Use ASCII names (`w[0,1]`) in text instead of subscripts.
    public var ascii: Bool

    /// A printer for `format`.
    public init(format: Format, transposed: Bool = false, zerosAsDigits: Bool = false, ascii: Bool = false) {
        self.format = format
        self.transposed = transposed
        self.zerosAsDigits = zerosAsDigits
        self.ascii = ascii
    }

    /// The matrix as text; numeric when `weights` (PyTorch order) are given, symbolic otherwise.
    public func render(_ matrix: ConvolutionMatrix, weights: [Double]? = nil) -> String {
        if format == .mtx { return matrixMarket(matrix, weights: weights) }
        let style: EntryNames.Style = format == .latex ? .latex : (ascii ? .ascii : .unicode)
        let names = EntryNames(matrix: matrix, weights: weights, style: style)
        let rows = transposed ? matrix.columnCount : matrix.rowCount
        let columns = transposed ? matrix.rowCount : matrix.columnCount
        var grid = [[String?]](repeating: [String?](repeating: nil, count: columns), count: rows)
        for entry in matrix.entries {
            let name = names.name(ofWeight: entry.weightIndex)
            if transposed { grid[entry.column][entry.row] = name } else { grid[entry.row][entry.column] = name }
        }
        switch format {
        case .text: return text(grid)
        case .latex: return latex(grid)
        case .markdown: return markdown(grid)
        case .csv: return grid.map { $0.map { $0 ?? "" }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .mtx: return ""
        }
    }

    private func text(_ grid: [[String?]]) -> String {
        let zero = zerosAsDigits ? "0" : "·"
        let width = grid.joined().map { ($0 ?? zero).count }.max() ?? 1
        return grid.map { row in
            row.map { cell in
                let text = cell ?? zero
                return String(repeating: " ", count: width - text.count) + text
            }.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
    }

    private func latex(_ grid: [[String?]]) -> String {
        let zero = zerosAsDigits ? "0" : "\\cdot"
        let body = grid.map { row in
            "  " + row.map { $0 ?? zero }.joined(separator: " & ")
        }.joined(separator: " \\\\\n")
        return "\\begin{bmatrix}\n\(body)\n\\end{bmatrix}\n"
    }

    private func markdown(_ grid: [[String?]]) -> String {
        let columns = grid.first?.count ?? 0
        let zero = zerosAsDigits ? "0" : "·"
        var lines = ["| | " + (0..<columns).map { "\($0)" }.joined(separator: " | ") + " |"]
        lines.append("|---|" + String(repeating: "---|", count: columns))
        for (r, row) in grid.enumerated() {
            lines.append("| **\(r)** | " + row.map { $0 ?? zero }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func matrixMarket(_ matrix: ConvolutionMatrix, weights: [Double]?) -> String {
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
