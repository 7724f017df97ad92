/// Writes the compressed-column arrays of C for a geometry, column by column,
/// with row indices sorted inside each column and no intermediate triplets.
///
/// Column j = c·Π i + x is the input element (channel c, position x). Its
/// nonzeros are the output elements (channel o, position y) of c's group for
/// which y·s − p_before + k·d = x has a tap k in every dimension; the value
/// is the kernel entry w[o, c mod (C_in/groups), k]. Rows are ordered by o,
/// then by y in row-major order, which is the order the tap tables and the
/// odometer below produce them in.
struct ColumnWriter {
    let geometry: ConvolutionGeometry
    private let tables: [TapTable]
    private let outputStrides: [Int]
    private let kernelStrides: [Int]

    init(_ geometry: ConvolutionGeometry) {
        self.geometry = geometry
        tables = (0..<geometry.spatialRank).map { d in
            TapTable(
                input: geometry.inputSize[d], output: geometry.outputSize[d],
                kernel: geometry.kernelSize[d], stride: geometry.stride[d],
                dilation: geometry.dilation[d], paddingBefore: geometry.paddingBefore[d])
        }
        outputStrides = rowMajorStrides(geometry.outputSize)
        kernelStrides = rowMajorStrides(geometry.kernelSize)
    }

    /// Fills `columnStarts` (columnCount + 1 entries) and, for every nonzero
    /// in order, `rowIndices` and either the kernel entry it copies
    /// (`weightIndices`) or its value taken from `weights` (`values`).
    /// Returns the number of nonzeros written.
    @discardableResult
    func write(
        columnStarts: UnsafeMutablePointer<Int>,
        rowIndices: UnsafeMutablePointer<Int>,
        weightIndices: UnsafeMutablePointer<Int>?,
        values: UnsafeMutablePointer<Double>?,
        weights: UnsafePointer<Double>?
    ) -> Int {
        let g = geometry
        let rank = g.spatialRank
        let inputShape = g.inputSize
        let outputVolume = g.outputVolume
        let kernelVolume = g.kernelVolume
        let inPerGroup = g.inChannelsPerGroup
        let outPerGroup = g.outChannelsPerGroup
        // The spatial part of each nonzero of one column: row offset and tap offset.
        var rowOffsets = [Int](repeating: 0, count: kernelVolume)
        var tapOffsets = [Int](repeating: 0, count: kernelVolume)
        var position = [Int](repeating: 0, count: rank)
        var cursor = [Int](repeating: 0, count: rank)
        var written = 0
        var column = 0
        for channel in 0..<g.inChannels {
            let group = channel / inPerGroup
            let localChannel = channel % inPerGroup
            for d in 0..<rank { position[d] = 0 }
            for _ in 0..<g.inputVolume {
                columnStarts[column] = written
                // Every combination of per-dimension taps, in row-major order.
                var combinations = 1
                for d in 0..<rank {
                    let table = tables[d]
                    combinations *= table.start[position[d] + 1] - table.start[position[d]]
                }
                if combinations > 0 {
                    for d in 0..<rank { cursor[d] = tables[d].start[position[d]] }
                    for n in 0..<combinations {
                        var row = 0, tap = 0
                        for d in 0..<rank {
                            row += tables[d].output[cursor[d]] * outputStrides[d]
                            tap += tables[d].tap[cursor[d]] * kernelStrides[d]
                        }
                        rowOffsets[n] = row
                        tapOffsets[n] = tap
                        var d = rank - 1
                        while d >= 0 {
                            cursor[d] += 1
                            if cursor[d] < tables[d].start[position[d] + 1] { break }
                            cursor[d] = tables[d].start[position[d]]
                            d -= 1
                        }
                    }
                    for localOut in 0..<outPerGroup {
                        let outChannel = group * outPerGroup + localOut
                        let rowBase = outChannel * outputVolume
                        let tapBase = (outChannel * inPerGroup + localChannel) * kernelVolume
                        for n in 0..<combinations {
                            rowIndices[written] = rowBase + rowOffsets[n]
                            let entry = tapBase + tapOffsets[n]
                            if let weightIndices { weightIndices[written] = entry }
                            if let values, let weights { values[written] = weights[entry] }
                            written += 1
                        }
                    }
                }
                column += 1
                var d = rank - 1
                while d >= 0 {
                    position[d] += 1
                    if position[d] < inputShape[d] { break }
                    position[d] = 0
                    d -= 1
                }
            }
        }
        columnStarts[column] = written
        return written
    }
}
