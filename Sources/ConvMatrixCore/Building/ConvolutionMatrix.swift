/// The structure of the convolution matrix C, with every nonzero named by
/// the kernel entries it holds: y = C·x, where x is the input flattened as
/// [C_in, spatial…] and y the output flattened as [C_out, spatial…], both
/// row-major.
///
/// This is the symbolic form: it knows that C[r, c] = w[o, i, k…] without
/// knowing w. With zero padding every nonzero copies exactly one kernel
/// entry; with a `PaddingMode` that fills the padding with copies of input
/// elements (reflect, replicate, circular), a column gathers every tap that
/// reads a copy of its element, so an entry can be a sum such as w₀ + w₂.
/// `values(for:)` turns it into numbers; `SparseMatrix` holds the numeric
/// form in CHOLMOD for products.
public struct ConvolutionMatrix: Hashable, Sendable {
    /// The convolution this matrix computes.
    public let geometry: ConvolutionGeometry
    /// Compressed-column pointers: column j holds nonzeros columnStarts[j] ..< columnStarts[j+1].
    public let columnStarts: [Int]
    /// Row of each nonzero, sorted within each column.
    public let rowIndices: [Int]
    /// Where each nonzero's kernel entries start in `weightIndices`: nonzero n
    /// is the sum of the kernel entries `weightIndices[weightStarts[n] ..< weightStarts[n + 1]]`
    /// (nonzeroCount + 1 offsets). With zero padding weightStarts[n] = n.
    public let weightStarts: [Int]
    /// The kernel entries of the nonzeros, as indices into the flattened
    /// [C_out, C_in/groups, k…] kernel, nonzero by nonzero (see `weightStarts`),
    /// increasing within a nonzero: one per nonzero with zero padding.
    public let weightIndices: [Int]

    /// Builds the structure of C for `geometry`.
    ///
    /// - Parameter geometry: the checked convolution whose C is built; its `nonzeroCount` sizes the arrays exactly, so nothing is reallocated.
    /// - Complexity: O(nnz(C) + Σ_j i_j·k_j) time (the nonzeros plus the column writer's per-dimension tap
    ///   tables; with a padding mode other than zeros, O(taps of C + Σ_j o_j·k_j)); O(nnz(C) + columns) memory
    ///   for the arrays.
    public init(geometry: ConvolutionGeometry) {
        self.geometry = geometry
        let count = geometry.nonzeroCount
        if geometry.paddingMode != .zeros {
            let gathered = GatheredColumns(geometry)
            var starts = [Int](), rows = [Int](), weightStarts = [Int](), entries = [Int]()
            starts.reserveCapacity(geometry.columnCount + 1)
            rows.reserveCapacity(count)
            weightStarts.reserveCapacity(count + 1)
            var scratch = GatheredColumns.Scratch(rank: geometry.spatialRank)
            for column in 0..<geometry.columnCount {
                starts.append(rows.count)
                gathered.visit(column, scratch: &scratch) { row, taps in
                    rows.append(row)
                    weightStarts.append(entries.count)
                    entries.append(contentsOf: taps)
                }
            }
            starts.append(rows.count)
            weightStarts.append(entries.count)
            columnStarts = starts
            rowIndices = rows
            self.weightStarts = weightStarts
            weightIndices = entries
            return
        }
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
        weightStarts = Array(0...count)
        weightIndices = entries
    }

    /// Rows of C: output elements.
    public var rowCount: Int { geometry.rowCount }
    /// Columns of C: input elements.
    public var columnCount: Int { geometry.columnCount }
    /// Stored entries of C.
    public var nonzeroCount: Int { rowIndices.count }

    /// The numeric values of the nonzeros, in storage order, for a kernel in
    /// PyTorch order [C_out, C_in/groups, k…]: each the sum of its kernel entries.
    ///
    /// - Parameter weights: the kernel flattened in PyTorch order [C_out, C_in/groups, k…],
    ///   `geometry.weightCount` entries; every stored index must be in range.
    /// - Returns: one value per nonzero, aligned with `rowIndices`, ready to be the values array of a compressed-column matrix.
    /// - Complexity: O(nnz(C)) time and memory (O(length of `weightIndices`) time with sums).
    public func values(for weights: [Double]) -> [Double] {
        (0..<nonzeroCount).map { n in
            var sum = 0.0
            for index in weightIndices[weightStarts[n]..<weightStarts[n + 1]] { sum += weights[index] }
            return sum
        }
    }

    /// Every kernel entry of every nonzero as (row, column, kernel entry), column by column: a nonzero that
    /// sums several kernel entries appears once for each, on consecutive lines.
    package var entries: [(row: Int, column: Int, weightIndex: Int)] {
        var result = [(row: Int, column: Int, weightIndex: Int)]()
        result.reserveCapacity(weightIndices.count)
        for column in 0..<columnCount {
            for n in columnStarts[column]..<columnStarts[column + 1] {
                for index in weightIndices[weightStarts[n]..<weightStarts[n + 1]] { result.append((rowIndices[n], column, index)) }
            }
        }
        return result
    }

    /// The kernel entries whose sum is C[row, column]: one with zero padding,
    /// possibly several where copies in the padding gather taps, none for a structural zero.
    ///
    /// - Parameters:
    ///   - row: an output element, 0 ..< `rowCount`.
    ///   - column: an input element, 0 ..< `columnCount`.
    /// - Returns: flat indices into the [C_out, C_in/groups, k…] kernel, increasing; empty where C has no entry.
    ///   Found by binary search in the column, O(log taps per column).
    public func weightIndices(row: Int, column: Int) -> ArraySlice<Int> {
        let range = columnStarts[column]..<columnStarts[column + 1]
        var low = range.lowerBound, high = range.upperBound
        while low < high {
            let mid = (low + high) / 2
            if rowIndices[mid] < row { low = mid + 1 } else { high = mid }
        }
        guard low < range.upperBound && rowIndices[low] == row else { return [] }
        return weightIndices[weightStarts[low]..<weightStarts[low + 1]]
    }

    /// The kernel entry with flat index `index`, as (out channel, in channel within the group, tap…).
    ///
    /// - Parameter index: a flat kernel index, 0 ..< `geometry.weightCount`, as `weightIndices(row:column:)` returns them.
    /// - Returns: the output channel, the input channel counted within its group, and the tap's position per spatial dimension.
    public func kernelPosition(of index: Int) -> (outChannel: Int, inChannel: Int, tap: [Int]) {
        let coordinates = rowMajorCoordinates(of: index, in: geometry.weightShape)
        return (coordinates[0], coordinates[1], Array(coordinates[2...]))
    }
}
