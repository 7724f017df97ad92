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
/// as 2-D with a leading dimension of size 1.
struct ColumnWriter {
    let geometry: ConvolutionGeometry
    /// Tap tables of the spatial dimensions, with a trivial leading one added for 1-D.
    private let tables: [TapTable]
    private let outputStrides: [Int]
    private let kernelStrides: [Int]
    private let inputShape: [Int]

    /// Below this many nonzeros one thread writes everything: starting threads costs more.
    static let parallelThreshold = 1 << 16

    init(_ geometry: ConvolutionGeometry) {
        self.geometry = geometry
        var tables = (0..<geometry.spatialRank).map { d in
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
    @discardableResult
    func write(
        columnStarts: UnsafeMutablePointer<Int>,
        rowIndices: UnsafeMutablePointer<Int>,
        weightIndices: UnsafeMutablePointer<Int>?,
        values: UnsafeMutablePointer<Double>?,
        weights: UnsafePointer<Double>?
    ) -> Int {
        if let values, let weights {
            return write(columnStarts: columnStarts, rowIndices: rowIndices,
                         sink: ValueSink(values: values, weights: weights))
        }
        if let weightIndices {
            return write(columnStarts: columnStarts, rowIndices: rowIndices,
                         sink: IndexSink(indices: weightIndices))
        }
        return write(columnStarts: columnStarts, rowIndices: rowIndices, sink: NoSink())
    }

    private func write<Sink: NonzeroSink>(
        columnStarts: UnsafeMutablePointer<Int>, rowIndices: UnsafeMutablePointer<Int>, sink: Sink
    ) -> Int {
        let g = geometry
        let rank = tables.count
        let scaled = (0..<rank).map { d in ScaledTable(tables[d], rowStride: outputStrides[d], tapStride: kernelStrides[d]) }
        let lineStarts = lineOffsets()
        let linesPerChannel = lineStarts.count - 1
        let lastSize = inputShape[rank - 1], innerSize = inputShape[rank - 2]
        let perChannel = g.outChannelsPerGroup * lineStarts[linesPerChannel]
        let total = g.inChannels * perChannel
        columnStarts[g.columnCount] = total
        let outerPatternSize = tables[0..<(rank - 2)].reduce(1) { $0 * max(1, $1.output.count) }
        let units = g.inChannels * linesPerChannel
        let chunks = total < Self.parallelThreshold ? 1 : min(units, 8 * activeProcessorCount())
        let destination = Destination(columnStarts: columnStarts, rowIndices: rowIndices)
        scaled[rank - 2].withPointers { inner in
            scaled[rank - 1].withPointers { last in
                let body = { @Sendable (chunk: Int) in
                    let columnStarts = destination.columnStarts, rowIndices = destination.rowIndices
                    var outerRows = [Int](repeating: 0, count: outerPatternSize)
                    var outerTaps = [Int](repeating: 0, count: outerPatternSize)
                    var column = (chunk * units / chunks) * lastSize
                    for unit in (chunk * units / chunks)..<((chunk + 1) * units / chunks) {
                        let channel = unit / linesPerChannel, line = unit % linesPerChannel
                        let outerCount = outerPattern(line: line / innerSize, tables: scaled,
                                                      rows: &outerRows, taps: &outerTaps)
                        let position = line % innerSize
                        var written = channel * perChannel + g.outChannelsPerGroup * lineStarts[line]
                        let innerFirst = inner.start[position], innerEnd = inner.start[position + 1]
                        let group = channel / g.inChannelsPerGroup
                        let localChannel = channel % g.inChannelsPerGroup
                        for x in 0..<lastSize {
                            columnStarts[column] = written
                            column += 1
                            let lastFirst = last.start[x], lastEnd = last.start[x + 1]
                            if lastEnd == lastFirst || innerEnd == innerFirst { continue }
                            for localOut in 0..<g.outChannelsPerGroup {
                                let outChannel = group * g.outChannelsPerGroup + localOut
                                let rowBase = outChannel &* g.outputVolume
                                let tapBase = (outChannel &* g.inChannelsPerGroup &+ localChannel) &* g.kernelVolume
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
                            }
                        }
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

/// A tap table whose output positions and taps are already multiplied by
/// the row-major strides of the output and of the kernel.
struct ScaledTable {
    /// `start[x] ..< start[x + 1]` are the entries that read input position x.
    let start: [Int]
    /// Output position times its stride in the output volume.
    let row: [Int]
    /// Kernel tap times its stride in the kernel volume.
    let tap: [Int]

    init(_ table: TapTable, rowStride: Int, tapStride: Int) {
        start = table.start
        // A trailing 0 keeps the arrays non-empty so their base addresses exist.
        row = table.output.map { $0 &* rowStride } + [0]
        tap = table.tap.map { $0 &* tapStride } + [0]
    }

    /// Unchecked pointers to the three arrays, valid inside `body`.
    struct Pointers: @unchecked Sendable {
        let start: UnsafePointer<Int>
        let row: UnsafePointer<Int>
        let tap: UnsafePointer<Int>
    }

    func withPointers<Result>(_ body: (Pointers) -> Result) -> Result {
        start.withUnsafeBufferPointer { s in
            row.withUnsafeBufferPointer { r in
                tap.withUnsafeBufferPointer { t in
                    body(Pointers(start: s.baseAddress!, row: r.baseAddress!, tap: t.baseAddress!))
                }
            }
        }
    }
}

/// The output arrays, shared by the threads that write disjoint column blocks.
private struct Destination: @unchecked Sendable {
    let columnStarts: UnsafeMutablePointer<Int>
    let rowIndices: UnsafeMutablePointer<Int>
}

/// Where a nonzero's payload goes: its value, its kernel index, or nowhere.
protocol NonzeroSink: Sendable {
    /// Records that nonzero `index` copies kernel entry `tap`.
    func store(_ tap: Int, at index: Int)
}

/// Stores w[tap] as the nonzero's value (the numeric matrix).
struct ValueSink: NonzeroSink, @unchecked Sendable {
    let values: UnsafeMutablePointer<Double>
    let weights: UnsafePointer<Double>
    @inline(__always) func store(_ tap: Int, at index: Int) { values[index] = weights[tap] }
}

/// Stores the kernel index itself (the symbolic matrix).
struct IndexSink: NonzeroSink, @unchecked Sendable {
    let indices: UnsafeMutablePointer<Int>
    @inline(__always) func store(_ tap: Int, at index: Int) { indices[index] = tap }
}

/// Stores nothing (structure only).
struct NoSink: NonzeroSink {
    @inline(__always) func store(_ tap: Int, at index: Int) {}
}

/// Processors online (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
func activeProcessorCount() -> Int {
    #if canImport(Glibc)
    return max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    #else
    return 1
    #endif
}
