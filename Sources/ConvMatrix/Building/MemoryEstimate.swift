/// The bytes that building C and multiplying with it will allocate,
/// computed from the geometry alone before anything is allocated.
///
/// CHOLMOD stores C in compressed columns with 64-bit indices: one 8-byte
/// row index and one 8-byte value per nonzero, and n_cols + 1 column
/// pointers. Each product holds its operand, the copy handed to CHOLMOD and
/// the result. So, for `samples` columns per product,
///
///     matrix  = 16·nnz + 8·(n_cols + 1)
///     vectors = 8 · samples · 3 · (n_rows + n_cols)
///     total   = matrix + vectors
///
/// Sums that do not fit into 64 bits saturate at `Int.max` (`Checked.saturating`),
/// which no limit reaches, so an absurd geometry is refused rather than wrapped around.
public struct MemoryEstimate: Hashable, Sendable {
    /// Nonzeros of C, from the geometry (closed form, `NonzeroCount`).
    public let nonzeroCount: Int
    /// Bytes of C in CHOLMOD: 16·nnz + 8·(n_cols + 1).
    public let matrixBytes: Int
    /// Bytes of the dense operands and results: 8 · samples · 3 · (n_rows + n_cols).
    public let vectorBytes: Int

    /// The estimate for `geometry` and products with `samples` columns.
    public init(_ geometry: ConvolutionGeometry, samples: Int = 1) {
        let count = geometry.nonzeroCount
        nonzeroCount = count
        matrixBytes = Checked.saturating { () throws(GeometryError) in
            try Checked.add(try Checked.multiply(16, count, "matrix bytes"),
                            try Checked.multiply(8, try Checked.add(geometry.columnCount, 1, "columns"), "matrix bytes"), "matrix bytes")
        }
        vectorBytes = Checked.saturating { () throws(GeometryError) in
            try Checked.product([8, max(samples, 0), 3, try Checked.add(geometry.rowCount, geometry.columnCount, "vector length")], "vector bytes")
        }
    }

    /// Everything: matrix + vectors.
    public var totalBytes: Int { Checked.saturating { () throws(GeometryError) in try Checked.add(matrixBytes, vectorBytes, "bytes") } }
}
