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

    /// Writes the file to `target` an entry at a time, numeric with `kernel`
    /// (which must belong to the operator's C), a pattern file without.
    ///
    /// - Complexity: O(nnz) time, memory for one column of the matrix.
    public func write<Target: TextOutputStream>(kernel: Kernel?, to target: inout Target) {
        let op = convolutionOperator
        let weights = kernel?.values
        target.write("%%MatrixMarket matrix coordinate \(weights == nil ? "pattern" : "real") general\n")
        target.write("% ConvMatrix: \(op.isTransposed ? "transposed convolution matrix C^T" : "convolution matrix C")\n")
        target.write("\(op.rowCount) \(op.columnCount) \(op.convolution.nonzeroCount)\n")
        op.forEachMatrixColumn { column, entries in
            for entry in entries {
                if let weights {
                    target.write("\(entry.row + 1) \(column + 1) \(weights[entry.weightIndex])\n")
                } else {
                    target.write("\(entry.row + 1) \(column + 1)\n")
                }
            }
        }
    }
}
