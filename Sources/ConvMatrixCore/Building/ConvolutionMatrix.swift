/// The structure of the convolution matrix C, with every nonzero named by
/// the kernel entry it copies: y = C·x, where x is the input flattened as
/// [C_in, spatial…] and y the output flattened as [C_out, spatial…], both
/// row-major.
///
/// This is the symbolic form: it knows that C[r, c] = w[o, i, k…] without
/// knowing w. `values(for:)` turns it into numbers; `SparseMatrix` holds the
/// numeric form in CHOLMOD for products.
public struct ConvolutionMatrix: Hashable, Sendable {
    /// The convolution this matrix computes.
    public let geometry: ConvolutionGeometry
    /// Compressed-column pointers: column j holds nonzeros columnStarts[j] ..< columnStarts[j+1].
    public let columnStarts: [Int]
    /// Row of each nonzero, sorted within each column.
    public let rowIndices: [Int]
    /// Index of each nonzero's kernel entry in the flattened [C_out, C_in/groups, k…] kernel.
    public let weightIndices: [Int]

    /// Builds the structure of C for `geometry`.
    ///
    /// - Parameter geometry: the checked convolution whose C is built; its `nonzeroCount` sizes the arrays exactly, so nothing is reallocated.
    /// - Complexity: O(nnz(C) + Σ_j i_j·k_j) time (the nonzeros plus the column writer's per-dimension tap
    ///   tables); O(nnz(C) + columns) memory for the three arrays.
    public init(geometry: ConvolutionGeometry) {
        self.geometry = geometry
        let count = geometry.nonzeroCount
        var starts = [Int](repeating: 0, count: geometry.columnCount + 1)
        // One spare slot keeps the buffers non-empty when no tap touches the input.
        var rows = [Int](repeating: 0, count: count + 1)
        var entries = [Int](repeating: 0, count: count + 1)
        starts.withUnsafeMutableBufferPointer { s in
            rows.withUnsafeMutableBufferPointer { r in
                entries.withUnsafeMutableBufferPointer { e in
                    _ = ColumnWriter(geometry).write(
                        columnStarts: s.baseAddress!, rowIndices: r.baseAddress!,
                        weightIndices: e.baseAddress, values: nil, weights: nil)
                }
            }
        }
        rows.removeLast()
        entries.removeLast()
        columnStarts = starts
        rowIndices = rows
        weightIndices = entries
    }

    /// Rows of C: output elements.
    public var rowCount: Int { geometry.rowCount }
    /// Columns of C: input elements.
    public var columnCount: Int { geometry.columnCount }
    /// Stored entries of C.
    public var nonzeroCount: Int { rowIndices.count }

    /// The numeric values of the nonzeros, in storage order, for a kernel in
    /// PyTorch order [C_out, C_in/groups, k…].
    ///
    /// - Parameter weights: the kernel flattened in PyTorch order [C_out, C_in/groups, k…],
    ///   `geometry.weightCount` entries; every stored index must be in range.
    /// - Returns: one value per nonzero, aligned with `rowIndices`, ready to be the values array of a compressed-column matrix.
    /// - Complexity: O(nnz(C)) time and memory.
    public func values(for weights: [Double]) -> [Double] {
        weightIndices.map { weights[$0] }
    }

    /// Every nonzero as (row, column, kernel entry), column by column.
    package var entries: [(row: Int, column: Int, weightIndex: Int)] {
        var result = [(row: Int, column: Int, weightIndex: Int)]()
        result.reserveCapacity(nonzeroCount)
        for column in 0..<columnCount {
            for n in columnStarts[column]..<columnStarts[column + 1] {
                result.append((rowIndices[n], column, weightIndices[n]))
            }
        }
        return result
    }

    /// The kernel entry that C[row, column] copies, or nil for a structural zero.
    ///
    /// - Parameters:
    ///   - row: an output element, 0 ..< `rowCount`.
    ///   - column: an input element, 0 ..< `columnCount`.
    /// - Returns: the flat index into the [C_out, C_in/groups, k…] kernel, or nil where C has no entry. Found by
    ///   binary search in the column, O(log taps per column).
    public func weightIndex(row: Int, column: Int) -> Int? {
        let range = columnStarts[column]..<columnStarts[column + 1]
        var low = range.lowerBound, high = range.upperBound
        while low < high {
            let mid = (low + high) / 2
            if rowIndices[mid] < row { low = mid + 1 } else { high = mid }
        }
        return low < range.upperBound && rowIndices[low] == row ? weightIndices[low] : nil
    }

    /// The kernel entry with flat index `index`, as (out channel, in channel within the group, tap…).
    ///
    /// - Parameter index: a flat kernel index, 0 ..< `geometry.weightCount`, as `weightIndex(row:column:)` returns it.
    /// - Returns: the output channel, the input channel counted within its group, and the tap's position per spatial dimension.
    public func kernelPosition(of index: Int) -> (outChannel: Int, inChannel: Int, tap: [Int]) {
        let coordinates = rowMajorCoordinates(of: index, in: geometry.weightShape)
        return (coordinates[0], coordinates[1], Array(coordinates[2...]))
    }
}
