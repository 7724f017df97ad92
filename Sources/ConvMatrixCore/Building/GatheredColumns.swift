/// For one spatial dimension under any `PaddingMode`: which outputs read each
/// input position, and with which taps. Output o's tap k reads padded
/// position q = o·s + k·d, which holds input x = mode.source(q) (or a zero);
/// with reflect, replicate or circular padding one output may read the same
/// x through several taps — the entry (o, x) of this dimension is then their sum.
///
/// Input x has the groups `start[x] ..< start[x + 1]`, by increasing output;
/// group g is output `output[g]` with the taps `tap[tapStart[g] ..< tapStart[g + 1]]`,
/// increasing.
struct GatherTable {
    let start: [Int]
    let output: [Int]
    let tapStart: [Int]
    let tap: [Int]

    init(geometry g: ConvolutionGeometry, dimension d: Int) {
        let input = g.inputSize[d], outputs = g.outputSize[d], kernel = g.kernelSize[d]
        let (stride, dilation, before) = (g.stride[d], g.dilation[d], g.paddingBefore[d])
        let mode = g.paddingMode
        // Count the (output, tap) pairs of each input, then place them by input: within an
        // input they come by output, then tap, the order they are visited in.
        var pairStart = [Int](repeating: 0, count: input + 1)
        for o in 0..<outputs {
            for k in 0..<kernel {
                if let x = mode.source(ofPadded: o * stride + k * dilation, inputSize: input, paddingBefore: before) { pairStart[x + 1] += 1 }
            }
        }
        for x in 0..<input { pairStart[x + 1] += pairStart[x] }
        var next = pairStart
        var pairOutput = [Int](repeating: 0, count: pairStart[input]), pairTap = pairOutput
        for o in 0..<outputs {
            for k in 0..<kernel {
                guard let x = mode.source(ofPadded: o * stride + k * dilation, inputSize: input, paddingBefore: before) else { continue }
                pairOutput[next[x]] = o
                pairTap[next[x]] = k
                next[x] += 1
            }
        }
        var start = [Int](repeating: 0, count: input + 1), output = [Int](), tapStart = [Int]()
        for x in 0..<input {
            start[x] = output.count
            for n in pairStart[x]..<pairStart[x + 1] where n == pairStart[x] || pairOutput[n] != pairOutput[n - 1] {
                output.append(pairOutput[n])
                tapStart.append(n)
            }
        }
        start[input] = output.count
        tapStart.append(pairStart[input])
        self.start = start
        self.output = output
        self.tapStart = tapStart
        self.tap = pairTap
    }
}

/// C's columns built from one `GatherTable` per dimension: the route for a
/// geometry whose padding holds copies of input elements, where an entry of
/// C can sum several kernel entries and a column's rows come from several
/// copies of its element.
///
/// Column (c, x) has an entry in row (o, q) for every output channel o of
/// c's group and every combination of one group per dimension (q_j and its
/// taps at x_j); the entry sums w[o, c mod (C_in/groups), k] over every k
/// whose k_j is among the taps of dimension j. Combinations are visited in
/// row-major order, so rows increase, and each entry's taps increase too.
struct GatheredColumns {
    let geometry: ConvolutionGeometry
    let tables: [GatherTable]
    private let outputStrides: [Int], kernelStrides: [Int]

    init(_ geometry: ConvolutionGeometry) {
        self.geometry = geometry
        tables = (0..<geometry.spatialRank).map { GatherTable(geometry: geometry, dimension: $0) }
        outputStrides = rowMajorStrides(geometry.outputSize)
        kernelStrides = rowMajorStrides(geometry.kernelSize)
    }

    /// Scratch space for `visit`, reused from column to column.
    struct Scratch {
        var position: [Int], choice: [Int], taps: [Int] = [], next: [Int] = []

        init(rank: Int) {
            position = [Int](repeating: 0, count: rank)
            choice = position
        }
    }

    /// Calls `entry(row, taps)` for every entry of column `column`, by
    /// increasing row, with the flat kernel indices it sums, increasing.
    func visit(_ column: Int, scratch: inout Scratch, _ entry: (_ row: Int, _ taps: [Int]) -> Void) {
        let g = geometry
        let rank = g.spatialRank
        let c = rowMajorPosition(of: column, in: g.inputSize, into: &scratch.position)
        let x = scratch.position
        for d in 0..<rank where tables[d].start[x[d]] == tables[d].start[x[d] + 1] { return }
        let group = c / g.inChannelsPerGroup, local = c % g.inChannelsPerGroup
        for m in 0..<g.outChannelsPerGroup {
            let o = group * g.outChannelsPerGroup + m
            let rowBase = o * g.outputVolume, tapBase = (o * g.inChannelsPerGroup + local) * g.kernelVolume
            for d in 0..<rank { scratch.choice[d] = tables[d].start[x[d]] }
            while true {
                var row = rowBase
                scratch.taps.removeAll(keepingCapacity: true)
                scratch.taps.append(tapBase)
                for d in 0..<rank {
                    let table = tables[d], chosen = scratch.choice[d]
                    row += table.output[chosen] * outputStrides[d]
                    scratch.next.removeAll(keepingCapacity: true)
                    for partial in scratch.taps {
                        for n in table.tapStart[chosen]..<table.tapStart[chosen + 1] {
                            scratch.next.append(partial + table.tap[n] * kernelStrides[d])
                        }
                    }
                    swap(&scratch.taps, &scratch.next)
                }
                entry(row, scratch.taps)
                var d = rank - 1
                while d >= 0 {
                    scratch.choice[d] += 1
                    if scratch.choice[d] < tables[d].start[x[d] + 1] { break }
                    scratch.choice[d] = tables[d].start[x[d]]
                    d -= 1
                }
                if d < 0 { break }
            }
        }
    }

    /// Writes C's compressed columns: `columnStarts` (columns + 1), and per
    /// entry its row and, when `values` is given, Σ weights[tap] over its taps.
    /// The arrays must have room for `geometry.nonzeroCount` entries.
    ///
    /// - Returns: the entries written, which is `geometry.nonzeroCount`.
    func write(
        columnStarts: UnsafeMutablePointer<Int>, rowIndices: UnsafeMutablePointer<Int>, values: UnsafeMutablePointer<Double>?, weights: UnsafePointer<Double>?
    )
        -> Int
    {
        let g = geometry
        let rank = g.spatialRank, capacity = g.nonzeroCount
        // The tables as one flat array each, dimension after dimension (`base` says where each begins),
        // with outputs and taps multiplied by their row-major strides: no nested arrays in the loops.
        var starts = [Int](), tapStarts = [Int](), rows = [Int](), taps = [Int]()
        var startBase = [Int](), groupBase = [Int](), tapBase = [Int]()
        for d in 0..<rank {
            startBase.append(starts.count)
            groupBase.append(rows.count)
            tapBase.append(taps.count)
            starts += tables[d].start.map { $0 &+ groupBase[d] }
            tapStarts += tables[d].tapStart.dropLast().map { $0 &+ tapBase[d] }
            rows += tables[d].output.map { $0 &* outputStrides[d] }
            taps += tables[d].tap.map { $0 &* kernelStrides[d] }
        }
        // One more group end per dimension would overlap the next dimension's first; record the ends instead.
        var tapEnds = [Int]()
        for d in 0..<rank { tapEnds += tables[d].tapStart.dropFirst().map { $0 &+ tapBase[d] } }
        var x = [Int](repeating: 0, count: rank)
        var written = 0
        starts.withUnsafeBufferPointer { starts in
            tapStarts.withUnsafeBufferPointer { tapStarts in
                tapEnds.withUnsafeBufferPointer { tapEnds in
                    rows.withUnsafeBufferPointer { rows in
                        taps.withUnsafeBufferPointer { taps in
                            var first = [Int](repeating: 0, count: rank), end = first, choice = first, tapChoice = first
                            for column in 0..<g.columnCount {
                                columnStarts[column] = written
                                let c = rowMajorPosition(of: column, in: g.inputSize, into: &x)
                                var empty = false
                                for d in 0..<rank {
                                    first[d] = starts[startBase[d] &+ x[d]]
                                    end[d] = starts[startBase[d] &+ x[d] &+ 1]
                                    if first[d] == end[d] { empty = true }
                                }
                                if empty { continue }
                                let group = c / g.inChannelsPerGroup, local = c % g.inChannelsPerGroup
                                for m in 0..<g.outChannelsPerGroup {
                                    let o = group &* g.outChannelsPerGroup &+ m
                                    let rowBase = o &* g.outputVolume, kernelBase = (o &* g.inChannelsPerGroup &+ local) &* g.kernelVolume
                                    for d in 0..<rank { choice[d] = first[d] }
                                    // Every combination of one group per dimension, row-major, so rows increase.
                                    while true {
                                        precondition(written < capacity, "GatheredColumns: more entries than NonzeroCount says")
                                        var row = rowBase
                                        for d in 0..<rank { row &+= rows[choice[d]] }
                                        rowIndices[written] = row
                                        if let values, let weights {
                                            // The sum over every combination of one tap per dimension of the chosen groups.
                                            for d in 0..<rank { tapChoice[d] = tapStarts[choice[d]] }
                                            var sum = 0.0
                                            while true {
                                                var tap = kernelBase
                                                for d in 0..<rank { tap &+= taps[tapChoice[d]] }
                                                sum += weights[tap]
                                                var d = rank - 1
                                                while d >= 0 {
                                                    tapChoice[d] &+= 1
                                                    if tapChoice[d] < tapEnds[choice[d]] { break }
                                                    tapChoice[d] = tapStarts[choice[d]]
                                                    d -= 1
                                                }
                                                if d < 0 { break }
                                            }
                                            values[written] = sum
                                        }
                                        written &+= 1
                                        var d = rank - 1
                                        while d >= 0 {
                                            choice[d] &+= 1
                                            if choice[d] < end[d] { break }
                                            choice[d] = first[d]
                                            d -= 1
                                        }
                                        if d < 0 { break }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        columnStarts[g.columnCount] = written
        precondition(written == capacity, "GatheredColumns: fewer entries than NonzeroCount says")
        return written
    }
}
