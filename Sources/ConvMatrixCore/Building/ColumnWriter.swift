import Dispatch
#if canImport(Glibc)
    import Glibc
#endif

/// Writes the compressed-column arrays of C for a geometry in one pass,
/// with row indices sorted inside each column and no intermediate triplets.
///
/// Column j = c·Π i + x is the input element (channel c, position x). Its
/// nonzeros are the output elements (channel o, position y) of c's group for
/// which y·s − p_before + k·d = x has a tap k in every dimension; the value
/// is the kernel entry w[o, c mod (C_in/groups), k]. Rows are ordered by o,
/// then by y in row-major order, which is the order the tap tables produce
/// them in, so no sort is needed.
///
/// Speed: the column's offset in the arrays is known in closed form (every
/// channel has the same pattern, and a column's count is the product of its
/// per-dimension tap counts), so blocks of columns are written concurrently.
/// The innermost loops run over the last two spatial dimensions with
/// unchecked pointers and no per-nonzero branch; a 1-D geometry is treated
/// as 2-D with a leading dimension of size 1. Away from the borders a column
/// is the column `stride` positions earlier with every row one larger and the
/// same values (`TapTable.repeatsShifted`), so it is copied, not recomputed.
/// The arrays get huge pages and are populated block by block (`PageAdvice`):
/// fresh memory is the main cost of a large build.
package struct ColumnWriter {
    let geometry: ConvolutionGeometry
    /// Tap tables of the spatial dimensions, with a trivial leading one added for 1-D.
    private let tables: [TapTable]
    private let outputStrides: [Int]
    private let kernelStrides: [Int]
    private let inputShape: [Int]

    /// Below this many nonzeros one thread writes everything: starting threads costs more.
    package static let parallelThreshold = 1 << 16

    /// Processors online (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1; the writer makes
    /// 8 blocks per processor so that a busy core does not hold up the others.
    package static var processorCount: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    init(_ geometry: ConvolutionGeometry) {
        self.geometry = geometry
        // A padding mode other than zeros is written by `GatheredColumns`, which makes its own tables.
        let rank = geometry.paddingMode == .zeros ? geometry.spatialRank : 0
        var tables = (0..<rank).map { d in
            TapTable(
                input: geometry.inputSize[d], output: geometry.outputSize[d],
                kernel: geometry.kernelSize[d], stride: geometry.stride[d],
                dilation: geometry.dilation[d], paddingBefore: geometry.paddingBefore[d])
        }
        var outputShape = geometry.outputSize, kernelShape = geometry.kernelSize, inputShape = geometry.inputSize
        if tables.count == 1 {
            tables.insert(TapTable(input: 1, output: 1, kernel: 1, stride: 1, dilation: 1, paddingBefore: 0), at: 0)
            outputShape.insert(1, at: 0)
            kernelShape.insert(1, at: 0)
            inputShape.insert(1, at: 0)
        }
        self.tables = tables
        self.inputShape = inputShape
        outputStrides = rowMajorStrides(outputShape)
        kernelStrides = rowMajorStrides(kernelShape)
    }

    /// Fills `columnStarts` (columnCount + 1 entries) and, for every nonzero
    /// in order, `rowIndices` and either the kernel entry it copies
    /// (`weightIndices`) or its value taken from `weights` (`values`).
    /// The arrays must have room for `geometry.nonzeroCount` entries.
    /// Returns the number of nonzeros written.
    ///
    /// A geometry whose padding holds copies of input elements (a `PaddingMode`
    /// other than zeros) is written by `GatheredColumns`, one thread, each value
    /// the sum of the kernel entries its taps read; it has no single kernel
    /// entry per nonzero, so `weightIndices` must be nil then (`ConvolutionMatrix`
    /// lists such entries' taps itself).
    @discardableResult
    func write(
        columnStarts: UnsafeMutablePointer<Int>,
        rowIndices: UnsafeMutablePointer<Int>,
        weightIndices: UnsafeMutablePointer<Int>?,
        values: UnsafeMutablePointer<Double>?,
        weights: UnsafePointer<Double>?
    ) -> Int {
        if geometry.paddingMode != .zeros {
            precondition(weightIndices == nil, "ColumnWriter: entries that sum taps have no single kernel index")
            return GatheredColumns(geometry).write(columnStarts: columnStarts, rowIndices: rowIndices, values: values, weights: weights)
        }
        if let values, let weights {
            return write(
                columnStarts: columnStarts, rowIndices: rowIndices,
                sink: ValueSink(values: values, weights: weights))
        }
        if let weightIndices {
            return write(
                columnStarts: columnStarts, rowIndices: rowIndices,
                sink: IndexSink(indices: weightIndices))
        }
        return write(columnStarts: columnStarts, rowIndices: rowIndices, sink: NoSink())
    }

    private func write<Sink: NonzeroSink>(
        columnStarts: UnsafeMutablePointer<Int>, rowIndices: UnsafeMutablePointer<Int>, sink: Sink
    ) -> Int {
        let g = geometry
        let rank = tables.count
        let period = geometry.stride[geometry.spatialRank - 1]
        let scaled = (0..<rank).map { d in
            ScaledTable(tables[d], rowStride: outputStrides[d], tapStride: kernelStrides[d], period: d == rank - 1 ? period : nil)
        }
        let lineStarts = lineOffsets()
        let linesPerChannel = lineStarts.count - 1
        let lastSize = inputShape[rank - 1], innerSize = inputShape[rank - 2]
        let perChannel = g.outChannelsPerGroup * lineStarts[linesPerChannel]
        let total = g.inChannels * perChannel
        columnStarts[g.columnCount] = total
        let outerPatternSize = tables[0..<(rank - 2)].reduce(1) { $0 * max(1, $1.output.count) }
        let units = g.inChannels * linesPerChannel
        let chunks = total < Self.parallelThreshold ? 1 : min(units, 8 * Self.processorCount)
        let destination = Destination(columnStarts: columnStarts, rowIndices: rowIndices)
        scaled[rank - 2].withPointers { inner in
            scaled[rank - 1].withPointers { last in
                // Plain integers for the hot loops: the geometry's volumes are computed properties.
                let outPerGroup = g.outChannelsPerGroup, inPerGroup = g.inChannelsPerGroup
                let outputVolume = g.outputVolume, tapStride = inPerGroup &* g.kernelVolume
                // Where a unit (line of a channel) starts among the nonzeros.
                let offset = { @Sendable (unit: Int) -> Int in
                    (unit / linesPerChannel) &* perChannel &+ outPerGroup &* lineStarts[unit % linesPerChannel]
                }
                PageAdvice.adviseHugePages(rowIndices, bytes: total &* 8)
                sink.adviseHugePages(count: total)
                let body = { @Sendable (chunk: Int) in
                    let columnStarts = destination.columnStarts, rowIndices = destination.rowIndices
                    var outerRows = [Int](repeating: 0, count: outerPatternSize)
                    var outerTaps = [Int](repeating: 0, count: outerPatternSize)
                    let firstUnit = chunk * units / chunks, endUnit = (chunk + 1) * units / chunks
                    let first = offset(firstUnit), end = endUnit == units ? total : offset(endUnit)
                    PageAdvice.populate(rowIndices + first, bytes: (end &- first) &* 8)
                    sink.populate(from: first, count: end &- first)
                    var column = firstUnit * lastSize
                    for unit in firstUnit..<endUnit {
                        let channel = unit / linesPerChannel, line = unit % linesPerChannel
                        let outerCount = outerPattern(
                            line: line / innerSize, tables: scaled,
                            rows: &outerRows, taps: &outerTaps)
                        let position = line % innerSize
                        var written = offset(unit)
                        let innerFirst = inner.start[position], innerEnd = inner.start[position + 1]
                        let group = channel / inPerGroup, localChannel = channel % inPerGroup
                        let firstRow = group &* outPerGroup &* outputVolume
                        let firstTap = (group &* outPerGroup &* inPerGroup &+ localChannel) &* g.kernelVolume
                        outerRows.withUnsafeBufferPointer { outerRows in
                            outerTaps.withUnsafeBufferPointer { outerTaps in
                                for x in 0..<lastSize {
                                    columnStarts[column &+ x] = written
                                    let lastFirst = last.start[x], lastEnd = last.start[x &+ 1]
                                    if lastEnd == lastFirst || innerEnd == innerFirst { continue }
                                    if last.repeats[x] {
                                        // Same taps as `period` columns back, every row one output further.
                                        let source = columnStarts[column &+ x &- period]
                                        let count = columnStarts[column &+ x &- period &+ 1] &- source
                                        for n in 0..<count {
                                            rowIndices[written &+ n] = rowIndices[source &+ n] &+ 1
                                        }
                                        sink.copy(count, from: source, to: written)
                                        written &+= count
                                        continue
                                    }
                                    var rowBase = firstRow, tapBase = firstTap
                                    for _ in 0..<outPerGroup {
                                        for n in 0..<outerCount {
                                            let rowOuter = rowBase &+ outerRows[n], tapOuter = tapBase &+ outerTaps[n]
                                            for a in innerFirst..<innerEnd {
                                                let row = rowOuter &+ inner.row[a], tap = tapOuter &+ inner.tap[a]
                                                for b in lastFirst..<lastEnd {
                                                    rowIndices[written] = row &+ last.row[b]
                                                    sink.store(tap &+ last.tap[b], at: written)
                                                    written &+= 1
                                                }
                                            }
                                        }
                                        rowBase &+= outputVolume
                                        tapBase &+= tapStride
                                    }
                                }
                            }
                        }
                        column &+= lastSize
                    }
                }
                if chunks <= 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: body) }
            }
        }
        return total
    }

    /// Nonzeros of one (input channel, output channel) pair that come before
    /// each line, for lines = positions of every dimension but the last, in
    /// row-major order; the last entry is the pair's total. A line's count is
    /// the product of its per-dimension tap counts times the last dimension's total.
    private func lineOffsets() -> [Int] {
        let rank = tables.count
        let lastTotal = tables[rank - 1].output.count
        let lineShape = Array(inputShape[0..<(rank - 1)])
        var offsets = [Int]()
        offsets.reserveCapacity(lineShape.reduce(1, *) + 1)
        var running = 0
        forEachIndex(of: lineShape) { position in
            offsets.append(running)
            var count = lastTotal
            for d in 0..<(rank - 1) { count *= tables[d].start[position[d] + 1] - tables[d].start[position[d]] }
            running += count
        }
        offsets.append(running)
        return offsets
    }

    /// The (row offset, tap offset) of every tap combination of the
    /// dimensions before the last two, for outer position `index` (row-major
    /// over those dimensions), in row-major order. Returns how many there are.
    private func outerPattern(line index: Int, tables: [ScaledTable], rows: inout [Int], taps: inout [Int]) -> Int {
        let outerRank = tables.count - 2
        if outerRank == 0 {
            rows[0] = 0
            taps[0] = 0
            return 1
        }
        var position = [Int](repeating: 0, count: outerRank)
        var rest = index
        for d in stride(from: outerRank - 1, through: 0, by: -1) {
            position[d] = rest % inputShape[d]
            rest /= inputShape[d]
        }
        var count = 1
        rows[0] = 0
        taps[0] = 0
        // Extend the combinations one dimension at a time, keeping row-major order.
        for d in 0..<outerRank {
            let table = tables[d]
            let first = table.start[position[d]], end = table.start[position[d] + 1]
            let width = end - first
            if width == 0 { return 0 }
            for n in stride(from: count - 1, through: 0, by: -1) {
                let row = rows[n], tap = taps[n]
                for e in 0..<width {
                    rows[n * width + e] = row + table.row[first + e]
                    taps[n * width + e] = tap + table.tap[first + e]
                }
            }
            count *= width
        }
        return count
    }
}

/// The output arrays, shared by the threads that write disjoint column blocks.
private struct Destination: @unchecked Sendable {
    let columnStarts: UnsafeMutablePointer<Int>
    let rowIndices: UnsafeMutablePointer<Int>
}
