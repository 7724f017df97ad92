/// A dense matrix of Float64 stored column by column: the operand and
/// result of products with C. A batch of N samples is N columns, each one
/// sample flattened as [channels, spatial…] in row-major order.
public struct DenseMatrix: Hashable, Sendable {
    /// Number of rows (elements per sample).
    public let rowCount: Int
    /// Number of columns (samples).
    public let columnCount: Int
    /// All entries, column after column: entry (r, c) is `values[c·rowCount + r]`.
    public var values: [Double]

    /// A matrix from its entries in column-major order; `values` must hold rowCount·columnCount entries.
    ///
    /// - Parameters:
    ///   - rowCount: entries per column (per sample).
    ///   - columnCount: number of columns (samples).
    ///   - values: rowCount · columnCount entries, column after column.
    public init(rowCount: Int, columnCount: Int, values: [Double]) {
        precondition(values.count == rowCount * columnCount, "DenseMatrix: values do not match the shape")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.values = values
    }

    /// A single column.
    ///
    /// - Parameter column: the entries of the one column, for a single sample.
    public init(column: [Double]) {
        self.init(rowCount: column.count, columnCount: 1, values: column)
    }

    /// A matrix of zeros.
    ///
    /// - Parameters:
    ///   - rowCount: entries per column.
    ///   - columnCount: number of columns.
    package init(zerosWithRows rowCount: Int, columns columnCount: Int) {
        self.init(rowCount: rowCount, columnCount: columnCount, values: [Double](repeating: 0, count: rowCount * columnCount))
    }

    /// Column `index` as an array (one sample).
    ///
    /// - Parameter index: a column, 0 ..< `columnCount`.
    /// - Returns: a copy of its `rowCount` entries.
    public func column(_ index: Int) -> [Double] {
        Array(values[(index * rowCount)..<((index + 1) * rowCount)])
    }
}
