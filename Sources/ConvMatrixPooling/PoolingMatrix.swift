import ConvMatrixCore

/// The matrix of a pooling layer, or its transpose, the layer's backward
/// pass (Dumoulin & Visin, *A guide to convolution arithmetic for deep
/// learning*, pooling arithmetic): rows are outputs, columns inputs, both
/// flattened [channels, spatial…] row-major as for C; channels never mix,
/// so only the diagonal channel blocks are filled.
///
/// - Average pooling is linear: y = A·x, a depthwise convolution whose
///   weights are 1/|window|. PyTorch's default `count_include_pad=True`
///   counts padding zeros in |window|, so a window on the border still
///   divides by k (the zeros add nothing); only a window that hangs past the
///   padding (possible with `ceil_mode`) divides by the part of it inside
///   the padded input, as PyTorch does. Row (c, q) holds 1/|window| at the
///   input positions of window q.
/// - Max pooling is not linear, but at a given input x it is a matrix: the
///   0/1 selection S(x) with one 1 per row, at the position of the largest
///   value of the window (padding is −∞; of equal values the first in
///   row-major order wins, as PyTorch's CPU kernel has it). y = S(x)·x, and
///   the gradient of ⟨g, maxpool(x)⟩ with respect to x is S(x)ᵀ·g: the
///   backward pass routes each gradient to the chosen input.
public struct PoolingMatrix: Sendable {
    /// Which pooling.
    public enum Kind: String, Sendable, CaseIterable {
        /// Average pooling (`avg`): the matrix A.
        case average = "avg"
        /// Max pooling (`max`): the selection S(x) at given values.
        case maximum = "max"
    }

    /// The layer's shapes.
    public let geometry: PoolingGeometry
    /// Which pooling.
    public let kind: Kind
    /// For max pooling: the input x the selection is taken at (channels × Π i values, [C, spatial…] row-major).
    package let values: [Double]?
    /// True for the transpose (the backward pass): rows are inputs, columns outputs.
    public let isTransposed: Bool

    /// Average pooling's matrix A.
    ///
    /// - Parameter geometry: the pooling layer; padding counts in the divisor as its `countIncludePad` says.
    /// - Complexity: O(1): the matrix is described, not stored; each row is worked out from its
    ///   window when it is read, O(window volume) a row.
    public init(averaging geometry: PoolingGeometry) {
        self.geometry = geometry
        kind = .average
        values = nil
        isTransposed = false
    }

    /// Max pooling's selection matrix S(x) at `values`.
    ///
    /// - Throws: `GeometryError` naming `values` when there are not
    ///   channels × Π i of them or one is not finite.
    /// - Parameters:
    ///   - values: the input x, channels × Π i values in row-major order.
    ///   - geometry: the pooling layer.
    /// - Complexity: O(inputs) time to check the values, which are kept; each row finds its
    ///   window's first maximum when it is read, O(window volume) a row.
    public init(selectingMaximaOf values: [Double], geometry: PoolingGeometry) throws(GeometryError) {
        guard values.count == geometry.columnCount else {
            throw .invalid(
                field: "values",
                reason:
                    "has \(values.count) number\(values.count == 1 ? "" : "s") but max pooling of \(geometry.channels)×\(formatSize(geometry.inputSize)) needs \(geometry.columnCount), one per input element [channels, spatial…] row-major"
            )
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw .invalid(field: "values[\(bad)]", reason: "= \(values[bad]) is not a finite number")
        }
        self.geometry = geometry
        kind = .maximum
        self.values = values
        isTransposed = false
    }

    /// The matrix of `kind`: average pooling takes no values, max pooling needs the input x it selects from.
    ///
    /// - Throws: `GeometryError` naming `values` when it is given for average
    ///   pooling, missing for max pooling, or of the wrong length.
    /// - Parameters:
    ///   - kind: average or max pooling.
    ///   - geometry: the pooling layer.
    ///   - values: the input x for max pooling; nil for average pooling.
    /// - Complexity: O(1) for average pooling, O(inputs) for max pooling (the values are checked); rows are worked out when read.
    public init(_ kind: Kind, geometry: PoolingGeometry, values: [Double]?) throws(GeometryError) {
        switch (kind, values) {
        case (.average, nil): self.init(averaging: geometry)
        case (.average, _?): throw .invalid(field: "values", reason: "applies to max pooling: the average pooling matrix is the same for every input")
        case (.maximum, let values?): try self.init(selectingMaximaOf: values, geometry: geometry)
        case (.maximum, nil):
            throw .invalid(
                field: "values", reason: "is needed for max pooling: the selection matrix S(x) depends on the input x (give channels × input volume numbers)")
        }
    }

    private init(_ other: PoolingMatrix, transposed: Bool) {
        geometry = other.geometry
        kind = other.kind
        values = other.values
        isTransposed = transposed
    }

    /// The transpose: the backward pass of the layer (for max pooling at the same x).
    ///
    /// - Returns: the same entries with rows and columns exchanged; transposing twice gives the matrix back.
    /// - Complexity: O(1): only a flag changes; rows are read the other way round.
    public func transposed() -> PoolingMatrix { PoolingMatrix(self, transposed: !isTransposed) }

    /// "A", "S(x)", "Aᵀ" or "S(x)ᵀ".
    package var matrixName: String { (kind == .average ? "A" : "S(x)") + (isTransposed ? "ᵀ" : "") }

    /// What the matrix computes, in words and a formula.
    package var equation: String {
        let pooling = kind == .average ? "average pooling" : "max pooling"
        return isTransposed ? "backward pass of \(pooling): ∂L/∂x = \(matrixName)·∂L/∂y" : "\(pooling) y = \(matrixName)·x"
    }

    /// Rows of the printed matrix.
    public var rowCount: Int { isTransposed ? geometry.columnCount : geometry.rowCount }
    /// Columns of the printed matrix.
    public var columnCount: Int { isTransposed ? geometry.rowCount : geometry.columnCount }

    /// The nonzeros of row `row` of the pooling matrix (not transposed), as
    /// (column, divisor): for average pooling every input position of the
    /// window with PyTorch's divisor, for max pooling the chosen one with divisor 1.
    ///
    /// - Complexity: O(window volume).
    func poolingRow(_ row: Int, into entries: inout [(column: Int, divisor: Int)]) {
        entries.removeAll(keepingCapacity: true)
        let g = geometry
        let rank = g.spatialRank
        var q = [Int](repeating: 0, count: rank)
        let channel = rowMajorPosition(of: row, in: g.outputSize, into: &q)
        var lower = [Int](), upper = [Int]()
        var divisor = 1
        for d in 0..<rank {
            let (start, end) = g.window(q[d], dimension: d)
            // A window larger than 64 bits can count only comes with a huge kernel: saturate, never trap.
            let product = divisor.multipliedReportingOverflow(by: end - start)
            divisor = product.overflow ? Int.max : product.partialValue
            lower.append(max(start, 0))
            upper.append(min(end, g.inputSize[d]))
        }
        let base = channel * g.inputVolume
        let strides = rowMajorStrides(g.inputSize)
        let extent = (0..<rank).map { upper[$0] - lower[$0] }
        if extent.contains(where: { $0 <= 0 }) { return }
        var best: (column: Int, value: Double)? = nil
        forEachIndex(of: extent) { offset in
            var column = base
            for d in 0..<rank { column += (lower[d] + offset[d]) * strides[d] }
            if let values {
                // The first largest value in row-major order (PyTorch keeps it unless a later one is larger).
                if best == nil || values[column] > best!.value { best = (column, values[column]) }
            } else {
                entries.append((column, divisor))
            }
        }
        if let best { entries.append((best.column, 1)) }
    }

    /// The nonzeros of column `column` of the pooling matrix (not
    /// transposed), as (row, divisor): the windows that hold input position
    /// `column`, q·s − p ≤ x < q·s − p + k in every dimension, and for max
    /// pooling only those that chose it.
    ///
    /// - Complexity: O(windows holding x × window volume) for max pooling, O(windows holding x) for average.
    func poolingColumn(_ column: Int, into entries: inout [(column: Int, divisor: Int)]) {
        entries.removeAll(keepingCapacity: true)
        let g = geometry
        let rank = g.spatialRank
        var x = [Int](repeating: 0, count: rank)
        let channel = rowMajorPosition(of: column, in: g.inputSize, into: &x)
        var first = [Int](), count = [Int]()
        for d in 0..<rank {
            let shifted = x[d] + g.padding[d]
            // The first window that reaches x: ⌈(x + p − k + 1)/s⌉, at least 0, without overflow for huge k or s.
            let reach = shifted - g.kernelSize[d] + 1
            let low = reach <= 0 ? 0 : (reach - 1) / g.stride[d] + 1
            let high = min(g.outputSize[d] - 1, shifted / g.stride[d])
            first.append(low)
            count.append(high - low + 1)
        }
        if count.contains(where: { $0 <= 0 }) { return }
        var chosen = [(column: Int, divisor: Int)]()
        let outputStrides = rowMajorStrides(g.outputSize)
        forEachIndex(of: count) { offset in
            var row = channel * g.outputVolume
            for d in 0..<rank { row += (first[d] + offset[d]) * outputStrides[d] }
            poolingRow(row, into: &chosen)
            if let entry = chosen.first(where: { $0.column == column }) { entries.append((row, entry.divisor)) }
        }
    }

    /// Calls `body(row, entries)` for every row of the printed matrix (the
    /// transpose's rows are the pooling matrix's columns), entries as
    /// (column, divisor) sorted by column.
    ///
    /// - Complexity: O(rows × window volume) for the pooling matrix, O(nnz ×
    ///   window volume) for the transpose; memory for one row.
    package func forEachRow(_ body: (_ row: Int, _ entries: [(column: Int, divisor: Int)]) -> Void) {
        var line = [(column: Int, divisor: Int)]()
        for row in 0..<rowCount {
            entries(ofRow: row, into: &line)
            body(row, line)
        }
    }

    /// The nonzeros of printed row `row`, sorted by column.
    package func entries(ofRow row: Int, into entries: inout [(column: Int, divisor: Int)]) {
        if isTransposed { poolingColumn(row, into: &entries) } else { poolingRow(row, into: &entries) }
    }

    /// y = P·x by the matrix's rows (the route through the matrix), for `x` of `columnCount` values.
    ///
    /// - Parameter x: the operand, `columnCount` values.
    /// - Returns: P·x, `rowCount` values.
    /// - Complexity: O(rows × window volume) time for the pooling matrix, O(nnz × window volume)
    ///   for its transpose, whose rows are found by working out every window that holds an input;
    ///   O(rowCount) memory.
    public func multiply(_ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: rowCount)
        forEachRow { row, entries in
            var sum = 0.0
            for entry in entries { sum += x[entry.column] / Double(entry.divisor) }
            y[row] = sum
        }
        return y
    }
}
