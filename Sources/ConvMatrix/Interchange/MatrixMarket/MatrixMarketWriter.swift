/// Writes an operator's matrix (C or Cᵀ) in Matrix Market coordinate
/// format, 1-based, entries column by column: `real` with the kernel's
/// values, `pattern` when the matrix is symbolic. `MatrixMarketReader`
/// reads it back; so do `scipy.io.mmread`, MATLAB's `mmread` and Julia's
/// MatrixMarket.jl.
public struct MatrixMarketWriter: Sendable {
    /// The operation whose matrix is written.
    public let convolutionOperator: ConvolutionOperator

    /// A writer for the matrix of `convolutionOperator`.
    public init(_ convolutionOperator: ConvolutionOperator) {
        self.convolutionOperator = convolutionOperator
    }

    /// The file's text for `matrix` (the structure of C) with `weights` (PyTorch order), or a pattern file without.
    ///
    /// - Complexity: O(nnz log nnz) for Cᵀ (its entries are sorted by column), O(nnz) for C.
    public func text(_ matrix: ConvolutionMatrix, weights: [Double]?) -> String {
        let op = convolutionOperator
        var entries = matrix.entries.map { entry in
            let (row, column) = op.position(ofMatrixEntry: entry.row, entry.column)
            return (row: row, column: column, weightIndex: entry.weightIndex)
        }
        if op.isTransposed { entries.sort { ($0.column, $0.row) < ($1.column, $1.row) } }
        var lines = ["%%MatrixMarket matrix coordinate \(weights == nil ? "pattern" : "real") general"]
        lines.append("% ConvMatrix: \(op.isTransposed ? "transposed convolution matrix C^T" : "convolution matrix C")")
        lines.append("\(op.rowCount) \(op.columnCount) \(entries.count)")
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
