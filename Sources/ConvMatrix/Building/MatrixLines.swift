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
public struct MatrixLines: Sendable {
    /// The convolution whose C is walked.
    public let geometry: ConvolutionGeometry

    /// The walks of `geometry`'s C.
    ///
    /// - Parameter geometry: the convolution whose C is walked; only its sizes are read, and the tap tables are built on the first walk.
    public init(_ geometry: ConvolutionGeometry) {
        self.geometry = geometry
    }

    /// Calls `body(row, entries)` for every row of C, in order, with the
    /// row's nonzeros as (column, kernel entry) sorted by column. `entries`
    /// is reused between rows: copy it to keep it.
    ///
    /// - Complexity: O(rows × taps per row) time, O(taps per row) memory.
    /// - Parameter body: called once per row with the row index and that row's (column, kernel entry) pairs.
    public func forEachRow(_ body: (_ row: Int, _ entries: [(column: Int, weightIndex: Int)]) -> Void) {
        let g = geometry
        let rank = g.spatialRank
        let inputStrides = rowMajorStrides(g.inputSize)
        var entries = [(column: Int, weightIndex: Int)]()
        entries.reserveCapacity(g.inChannelsPerGroup * g.kernelVolume)
        var row = 0
        for o in 0..<g.outChannels {
            let group = o / g.outChannelsPerGroup
            forEachIndex(of: g.outputSize) { q in
                entries.removeAll(keepingCapacity: true)
                for i in 0..<g.inChannelsPerGroup {
                    let channelBase = (group * g.inChannelsPerGroup + i) * g.inputVolume
                    var tap = (o * g.inChannelsPerGroup + i) * g.kernelVolume
                    forEachIndex(of: g.kernelSize) { k in
                        defer { tap += 1 }
                        var column = channelBase
                        for d in 0..<rank {
                            let x = q[d] * g.stride[d] - g.paddingBefore[d] + k[d] * g.dilation[d]
                            if x < 0 || x >= g.inputSize[d] { return }
                            column += x * inputStrides[d]
                        }
                        entries.append((column, tap))
                    }
                }
                body(row, entries)
                row += 1
            }
        }
    }

    /// Calls `body(column, entries)` for every column of C, in order, with
    /// the column's nonzeros as (row, kernel entry) sorted by row. `entries`
    /// is reused between columns: copy it to keep it.
    ///
    /// - Complexity: O(nnz + Σ_j i_j·k_j) time; O(taps per column + Σ_j i_j·k_j) memory.
    /// - Parameter body: called once per column with the column index and that column's (row, kernel entry) pairs.
    public func forEachColumn(_ body: (_ column: Int, _ entries: [(row: Int, weightIndex: Int)]) -> Void) {
        let g = geometry
        let rank = g.spatialRank
        let outputStrides = rowMajorStrides(g.outputSize), kernelStrides = rowMajorStrides(g.kernelSize)
        // Per dimension and input position: the (output, tap) pairs that read it, by increasing output.
        let tables = (0..<rank).map { d in
            TapTable(input: g.inputSize[d], output: g.outputSize[d], kernel: g.kernelSize[d], stride: g.stride[d],
                     dilation: g.dilation[d], paddingBefore: g.paddingBefore[d])
        }
        var entries = [(row: Int, weightIndex: Int)]()
        var choice = [Int](repeating: 0, count: rank)
        var column = 0
        for c in 0..<g.inChannels {
            let group = c / g.inChannelsPerGroup, local = c % g.inChannelsPerGroup
            forEachIndex(of: g.inputSize) { x in
                entries.removeAll(keepingCapacity: true)
                let ranges = (0..<rank).map { tables[$0].start[x[$0]]..<tables[$0].start[x[$0] + 1] }
                if !ranges.contains(where: \.isEmpty) {
                    for m in 0..<g.outChannelsPerGroup {
                        let o = group * g.outChannelsPerGroup + m
                        let rowBase = o * g.outputVolume, tapBase = (o * g.inChannelsPerGroup + local) * g.kernelVolume
                        for d in 0..<rank { choice[d] = ranges[d].lowerBound }
                        // Every combination of one pair per dimension, row-major, so rows increase.
                        while true {
                            var row = rowBase, tap = tapBase
                            for d in 0..<rank {
                                row += tables[d].output[choice[d]] * outputStrides[d]
                                tap += tables[d].tap[choice[d]] * kernelStrides[d]
                            }
                            entries.append((row, tap))
                            var d = rank - 1
                            while d >= 0 {
                                choice[d] += 1
                                if choice[d] < ranges[d].upperBound { break }
                                choice[d] = ranges[d].lowerBound
                                d -= 1
                            }
                            if d < 0 { break }
                        }
                    }
                }
                body(column, entries)
                column += 1
            }
        }
    }
}

extension ConvolutionOperator {
    /// Calls `body(row, entries)` for every row of the operator's matrix, in
    /// order, with its nonzeros as (column, kernel entry of C) sorted by
    /// column: the rows of C for a convolution, the columns of C for Cᵀ.
    ///
    /// - Complexity: O(nnz) time; memory for one line of C (see `MatrixLines`).
    /// - Parameter body: called once per row of the shown matrix (C or Cᵀ) with its index and its (column, kernel entry) pairs.
    public func forEachMatrixRow(_ body: (_ row: Int, _ entries: [(column: Int, weightIndex: Int)]) -> Void) {
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
    public func forEachMatrixColumn(_ body: (_ column: Int, _ entries: [(row: Int, weightIndex: Int)]) -> Void) {
        let lines = MatrixLines(convolution)
        if isTransposed {
            lines.forEachRow { row, entries in body(row, entries.map { ($0.column, $0.weightIndex) }) }
        } else {
            lines.forEachColumn(body)
        }
    }
}
