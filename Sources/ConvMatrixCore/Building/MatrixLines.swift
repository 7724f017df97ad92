/// The nonzeros of C one row or one column at a time, computed from the
/// geometry alone: what printing and writing a matrix walk through, so that
/// they need memory for one line of C, never for all of it.
///
/// Row r = (output channel o, output position q) of C holds, for every input
/// channel c of o's group and every kernel tap k whose input position
/// x_j = q_j·s_j − p_j,before + k_j·d_j lies inside the input, the entry
/// w[o, c mod (C_in/groups), k] in column c·Π i + x (row-major). Column j =
/// (input channel c, position x) holds the transposed relation: every output
/// (o, q) of c's group with q_j·s_j = x_j + p_j,before − k_j·d_j for a tap k.
/// Both walks list their entries in increasing order (columns within a row,
/// rows within a column), the order of C's compressed rows and columns.
///
/// With a `PaddingMode` other than zeros the padded positions hold copies of
/// input elements (x_j = mode.source(q_j·s_j + k_j·d_j)), so one entry of C
/// can sum several kernel entries: the walks then list such an entry as
/// consecutive pairs with the same column (row), one per kernel entry, in
/// increasing kernel order; `forEachEntry(of:_:)` groups them again.
package struct MatrixLines: Sendable {
    /// The convolution whose C is walked.
    package let geometry: ConvolutionGeometry

    /// The walks of `geometry`'s C.
    ///
    /// - Parameter geometry: the convolution whose C is walked; only its sizes are read, and the tap tables are built on the first walk.
    package init(_ geometry: ConvolutionGeometry) {
        self.geometry = geometry
        inputStrides = rowMajorStrides(geometry.inputSize)
        outputStrides = rowMajorStrides(geometry.outputSize)
        kernelStrides = rowMajorStrides(geometry.kernelSize)
    }

    /// Row-major strides of the input, output and kernel grids, used by every line.
    private let inputStrides: [Int], outputStrides: [Int], kernelStrides: [Int]

    /// Calls `body(row, entries)` for every row of C, in order, with the
    /// row's nonzeros as (column, kernel entry) sorted by column. `entries`
    /// is reused between rows: copy it to keep it.
    ///
    /// - Complexity: O(rows × taps per row) time, O(taps per row) memory.
    /// - Parameter body: called once per row with the row index and that row's (column, kernel entry) pairs.
    package func forEachRow(_ body: (_ row: Int, _ entries: [(column: Int, weightIndex: Int)]) -> Void) {
        let g = geometry
        var entries = [(column: Int, weightIndex: Int)]()
        entries.reserveCapacity(g.inChannelsPerGroup * g.kernelVolume)
        var position = [Int](repeating: 0, count: g.spatialRank)
        for row in 0..<g.outChannels * g.outputVolume {
            entries.removeAll(keepingCapacity: true)
            visitRow(row, position: &position) { entries.append(($0, $1)) }
            body(row, entries)
        }
    }

    /// Calls `body(column, entries)` for every column of C, in order, with
    /// the column's nonzeros as (row, kernel entry) sorted by row. `entries`
    /// is reused between columns: copy it to keep it.
    ///
    /// - Complexity: O(nnz + Σ_j i_j·k_j) time; O(taps per column + Σ_j i_j·k_j) memory.
    /// - Parameter body: called once per column with the column index and that column's (row, kernel entry) pairs.
    package func forEachColumn(_ body: (_ column: Int, _ entries: [(row: Int, weightIndex: Int)]) -> Void) {
        if geometry.paddingMode != .zeros {
            let gathered = GatheredColumns(geometry)
            var scratch = GatheredColumns.Scratch(rank: geometry.spatialRank)
            var entries = [(row: Int, weightIndex: Int)]()
            for column in 0..<geometry.columnCount {
                entries.removeAll(keepingCapacity: true)
                gathered.visit(column, scratch: &scratch) { row, taps in
                    for tap in taps { entries.append((row, tap)) }
                }
                body(column, entries)
            }
            return
        }
        let tables = columnTables()
        var entries = [(row: Int, weightIndex: Int)]()
        var position = [Int](repeating: 0, count: geometry.spatialRank)
        var choice = position
        for column in 0..<geometry.inChannels * geometry.inputVolume {
            entries.removeAll(keepingCapacity: true)
            visitColumn(column, tables: tables, position: &position, choice: &choice) { entries.append(($0, $1)) }
            body(column, entries)
        }
    }

    /// Per dimension and input position: the (output, tap) pairs that read it,
    /// by increasing output — what `visitColumn` looks columns up in.
    func columnTables() -> [TapTable] {
        let g = geometry
        return (0..<g.spatialRank).map { d in
            TapTable(
                input: g.inputSize[d], output: g.outputSize[d], kernel: g.kernelSize[d], stride: g.stride[d],
                dilation: g.dilation[d], paddingBefore: g.paddingBefore[d])
        }
    }

    /// Calls `entry(column, weightIndex)` for each nonzero of row `row` =
    /// (o, q) of C, by increasing column: the taps of window q that read an
    /// input element (x_j = mode.source(q_j·s_j + k_j·d_j): inside the input,
    /// or a copy in the padding), for every input channel of o's group. With
    /// copies, the pairs are sorted by column, then kernel entry, so that the
    /// taps of one entry follow each other. `position` is scratch space of the
    /// spatial rank's length.
    func visitRow(_ row: Int, position q: inout [Int], _ entry: (_ column: Int, _ weightIndex: Int) -> Void) {
        let g = geometry
        let rank = g.spatialRank
        let copies = g.paddingMode != .zeros
        let o = rowMajorPosition(of: row, in: g.outputSize, into: &q)
        let group = o / g.outChannelsPerGroup
        var pairs = [(column: Int, weightIndex: Int)]()
        for i in 0..<g.inChannelsPerGroup {
            let channelBase = (group * g.inChannelsPerGroup + i) * g.inputVolume
            var tap = (o * g.inChannelsPerGroup + i) * g.kernelVolume
            forEachIndex(of: g.kernelSize) { k in
                defer { tap += 1 }
                var column = channelBase
                for d in 0..<rank {
                    guard
                        let x = g.paddingMode.source(
                            ofPadded: q[d] * g.stride[d] + k[d] * g.dilation[d], inputSize: g.inputSize[d], paddingBefore: g.paddingBefore[d])
                    else { return }
                    column += x * inputStrides[d]
                }
                if copies { pairs.append((column, tap)) } else { entry(column, tap) }
            }
        }
        guard copies else { return }
        pairs.sort { ($0.column, $0.weightIndex) < ($1.column, $1.weightIndex) }
        for pair in pairs { entry(pair.column, pair.weightIndex) }
    }

    /// Calls `entry(row, weightIndex)` for each nonzero of column `column` =
    /// (c, x) of C, by increasing row: every (output, tap) pair per dimension
    /// that reads x (from `tables`, made by `columnTables()`), for every
    /// output channel of c's group. `position` and `choice` are scratch space
    /// of the spatial rank's length.
    func visitColumn(
        _ column: Int, tables: [TapTable], position x: inout [Int], choice: inout [Int],
        _ entry: (_ row: Int, _ weightIndex: Int) -> Void
    ) {
        let g = geometry
        let rank = g.spatialRank
        let c = rowMajorPosition(of: column, in: g.inputSize, into: &x)
        for d in 0..<rank where tables[d].start[x[d]] == tables[d].start[x[d] + 1] { return }
        let group = c / g.inChannelsPerGroup, local = c % g.inChannelsPerGroup
        for m in 0..<g.outChannelsPerGroup {
            let o = group * g.outChannelsPerGroup + m
            let rowBase = o * g.outputVolume, tapBase = (o * g.inChannelsPerGroup + local) * g.kernelVolume
            for d in 0..<rank { choice[d] = tables[d].start[x[d]] }
            // Every combination of one pair per dimension, row-major, so rows increase.
            while true {
                var row = rowBase, tap = tapBase
                for d in 0..<rank {
                    row += tables[d].output[choice[d]] * outputStrides[d]
                    tap += tables[d].tap[choice[d]] * kernelStrides[d]
                }
                entry(row, tap)
                var d = rank - 1
                while d >= 0 {
                    choice[d] += 1
                    if choice[d] < tables[d].start[x[d] + 1] { break }
                    choice[d] = tables[d].start[x[d]]
                    d -= 1
                }
                if d < 0 { break }
            }
        }
    }
}

extension MatrixLines {
    /// Any row of an operator's matrix on demand (a row of C, or a column of
    /// C for Cᵀ), for walks in another order than C's own (column-major, one
    /// channel block).
    package struct RandomAccess {
        let convolutionOperator: ConvolutionOperator
        private let lines: MatrixLines
        private let tables: [TapTable]
        private let gathered: GatheredColumns?

        package init(_ convolutionOperator: ConvolutionOperator) {
            self.convolutionOperator = convolutionOperator
            let c = convolutionOperator.convolution
            lines = MatrixLines(c)
            let copies = c.paddingMode != .zeros
            tables = convolutionOperator.isTransposed && !copies ? lines.columnTables() : []
            gathered = convolutionOperator.isTransposed && copies ? GatheredColumns(c) : nil
        }

        /// The nonzeros of row `row` of the operator's matrix as (column, kernel entry of C), by increasing column.
        package func entries(ofRow row: Int, into entries: inout [(column: Int, weightIndex: Int)]) {
            entries.removeAll(keepingCapacity: true)
            var position = [Int](repeating: 0, count: lines.geometry.spatialRank)
            if let gathered {
                var scratch = GatheredColumns.Scratch(rank: lines.geometry.spatialRank)
                gathered.visit(row, scratch: &scratch) { row, taps in
                    for tap in taps { entries.append((row, tap)) }
                }
            } else if convolutionOperator.isTransposed {
                var choice = position
                lines.visitColumn(row, tables: tables, position: &position, choice: &choice) { entries.append(($0, $1)) }
            } else {
                lines.visitRow(row, position: &position) { entries.append(($0, $1)) }
            }
        }
    }
}

/// Calls `body(column, taps)` for every entry of one row of C as a walk lists
/// it (`MatrixLines`): `taps` is the range of `pairs` that hold its kernel
/// entries — one with zero padding, several where copies in the padding
/// gather taps into one entry.
///
/// - Parameters:
///   - pairs: a row's (column, kernel entry) pairs, equal columns next to each other.
///   - body: called once per entry, in order.
package func forEachEntry(of pairs: [(column: Int, weightIndex: Int)], _ body: (_ column: Int, _ taps: Range<Int>) -> Void) {
    forEachRun(pairs.count, { pairs[$0].column }, body)
}

/// Calls `body(row, taps)` for every entry of one column of C as a walk lists it (see the row form above).
///
/// - Parameters:
///   - pairs: a column's (row, kernel entry) pairs, equal rows next to each other.
///   - body: called once per entry, in order.
package func forEachEntry(of pairs: [(row: Int, weightIndex: Int)], _ body: (_ row: Int, _ taps: Range<Int>) -> Void) {
    forEachRun(pairs.count, { pairs[$0].row }, body)
}

/// The runs of equal `key` among positions 0 ..< count.
private func forEachRun(_ count: Int, _ key: (Int) -> Int, _ body: (Int, Range<Int>) -> Void) {
    var start = 0
    while start < count {
        var end = start + 1
        while end < count && key(end) == key(start) { end += 1 }
        body(key(start), start..<end)
        start = end
    }
}

extension ConvolutionOperator {
    /// Calls `body(row, entries)` for every row of the operator's matrix, in
    /// order, with its nonzeros as (column, kernel entry of C) sorted by
    /// column: the rows of C for a convolution, the columns of C for Cᵀ.
    ///
    /// - Complexity: O(nnz) time; memory for one line of C (see `MatrixLines`).
    /// - Parameter body: called once per row of the shown matrix (C or Cᵀ) with its index and its (column, kernel entry) pairs.
    package func forEachMatrixRow(_ body: (_ row: Int, _ entries: [(column: Int, weightIndex: Int)]) -> Void) {
        let lines = MatrixLines(convolution)
        if isTransposed {
            lines.forEachColumn { column, entries in body(column, entries.map { ($0.row, $0.weightIndex) }) }
        } else {
            lines.forEachRow(body)
        }
    }

    /// Calls `body(column, entries)` for every column of the operator's
    /// matrix, in order, with its nonzeros as (row, kernel entry of C) sorted
    /// by row: the columns of C for a convolution, the rows of C for Cᵀ.
    ///
    /// - Complexity: O(nnz) time; memory for one line of C (see `MatrixLines`).
    /// - Parameter body: called once per column of the shown matrix (C or Cᵀ) with its index and its (row, kernel entry) pairs.
    package func forEachMatrixColumn(_ body: (_ column: Int, _ entries: [(row: Int, weightIndex: Int)]) -> Void) {
        let lines = MatrixLines(convolution)
        if isTransposed {
            lines.forEachRow { row, entries in body(row, entries.map { ($0.column, $0.weightIndex) }) }
        } else {
            lines.forEachColumn(body)
        }
    }
}
