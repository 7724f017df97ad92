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
/// Sums that do not fit into 64 bits saturate at `Int.max`, which no limit
/// reaches, so an absurd geometry is refused rather than wrapped around.
public struct MemoryEstimate: Hashable, Sendable {
    /// Nonzeros of C, from `NonzeroCount` (closed form).
    public let nonzeroCount: Int
    /// Bytes of C in CHOLMOD: 16·nnz + 8·(n_cols + 1).
    public let matrixBytes: Int
    /// Bytes of the dense operands and results: 8 · samples · 3 · (n_rows + n_cols).
    public let vectorBytes: Int

    /// The estimate for `geometry` and products with `samples` columns.
    public init(_ geometry: ConvolutionGeometry, samples: Int = 1) {
        let count = (try? NonzeroCount.of(geometry)) ?? Int.max
        nonzeroCount = count
        matrixBytes = Saturating.sum([
            Saturating.product([16, count]),
            Saturating.product([8, Saturating.sum([geometry.columnCount, 1])]),
        ])
        vectorBytes = Saturating.product([8, max(samples, 0), 3, Saturating.sum([geometry.rowCount, geometry.columnCount])])
    }

    /// Everything: matrix + vectors.
    public var totalBytes: Int { Saturating.sum([matrixBytes, vectorBytes]) }
}

/// Sizes that stop at `Int.max` instead of overflowing.
enum Saturating {
    /// Σ values, or Int.max if it does not fit.
    static func sum(_ values: [Int]) -> Int {
        var total = 0
        for value in values {
            let (next, overflow) = total.addingReportingOverflow(value)
            if overflow { return Int.max }
            total = next
        }
        return total
    }

    /// Π values, or Int.max if it does not fit.
    static func product(_ values: [Int]) -> Int {
        var total = 1
        for value in values {
            let (next, overflow) = total.multipliedReportingOverflow(by: value)
            if overflow { return Int.max }
            total = next
        }
        return total
    }
}
