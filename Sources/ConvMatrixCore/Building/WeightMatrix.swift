/// The convolution written as a matrix of its weights: y = X·w, where w is
/// the kernel flattened in PyTorch order [C_out, C_in/groups, k…] and X = X(x)
/// is the im2col matrix of the input (`torch.nn.functional.unfold`, one block
/// per output channel), so that ∂L/∂w = Xᵀ·g for the gradient g arriving at y.
///
/// C and X hold the same taps: a tap of output element r that reads input
/// element j with kernel entry e is C[r, j] += w[e] in C and X[r, e] = x[j] in
/// X. This is the symbolic form of X, the taps sorted by kernel entry (X's
/// columns) and, within an entry, by output element (X's rows); the values
/// come from the input when CHOLMOD's arrays are written
/// (`SparseMatrix(weightMatrix:inputs:)`). With a `PaddingMode` other than
/// zeros, a tap that reads a copy in the padding reads the element copied, so
/// the gradient includes what flowed through the copies; with zeros, a tap on
/// the padding reads 0 and X has no entry there.
package struct WeightMatrix: Sendable {
    /// The convolution.
    package let geometry: ConvolutionGeometry
    /// Column pointers of one sample's X: kernel entry e holds taps columnStarts[e] ..< columnStarts[e + 1].
    package let columnStarts: [Int]
    /// The output element (row of C and of X) of each tap, increasing within a kernel entry.
    package let rows: [Int]
    /// The input element (column of C) each tap reads.
    package let sources: [Int]

    /// The taps of `geometry`, read row by row from C's structure (`MatrixLines`) and sorted by kernel entry.
    ///
    /// - Parameter geometry: the checked convolution.
    /// - Complexity: O(taps + weightCount) time and 24 bytes per tap of memory (`memoryEstimate`).
    package init(geometry: ConvolutionGeometry) {
        self.geometry = geometry
        var tapRows = [Int](), tapSources = [Int](), tapEntries = [Int]()
        var counts = [Int](repeating: 0, count: geometry.weightCount + 1)
        MatrixLines(geometry).forEachRow { row, entries in
            for entry in entries {
                tapRows.append(row)
                tapSources.append(entry.column)
                tapEntries.append(entry.weightIndex)
                counts[entry.weightIndex + 1] += 1
            }
        }
        for e in 0..<geometry.weightCount { counts[e + 1] += counts[e] }
        // A stable counting sort by kernel entry keeps the rows increasing within each entry.
        var next = counts
        var rows = [Int](repeating: 0, count: tapRows.count)
        var sources = [Int](repeating: 0, count: tapRows.count)
        for t in tapRows.indices {
            let slot = next[tapEntries[t]]
            next[tapEntries[t]] += 1
            rows[slot] = tapRows[t]
            sources[slot] = tapSources[t]
        }
        columnStarts = counts
        self.rows = rows
        self.sources = sources
    }

    /// Taps of one sample: the nonzeros of X(x) for one sample.
    package var tapCount: Int { rows.count }

    /// The most taps `geometry` can have: every output element reads C_in/groups · k taps.
    ///
    /// - Parameter geometry: the convolution.
    /// - Returns: rowCount · weightCount / C_out, saturating.
    package static func tapBound(_ geometry: ConvolutionGeometry) -> Int {
        Checked.saturating { () throws(GeometryError) in
            try Checked.multiply(geometry.rowCount, geometry.weightCount / max(geometry.outChannels, 1), "taps")
        }
    }

    /// The peak memory of building X for `samples` samples and multiplying by Xᵀ: the symbolic taps
    /// (24 bytes each, and the same again while sorting), X in CHOLMOD (16 bytes per entry per sample),
    /// and the gradient, the samples and the result.
    ///
    /// - Parameters:
    ///   - geometry: the convolution.
    ///   - samples: the batch size N; X stacks one block of rows per sample.
    /// - Returns: the estimate, for the memory guard before any work.
    package static func memoryEstimate(_ geometry: ConvolutionGeometry, samples: Int) -> MemoryEstimate {
        let taps = tapBound(geometry)
        let entries = Checked.saturating { () throws(GeometryError) in try Checked.multiply(taps, max(samples, 1), "entries") }
        return MemoryEstimate([
            MemoryEstimate.items("the taps of X (48 bytes each while sorting)", count: taps, bytesEach: 48),
            MemoryEstimate.items("X in CHOLMOD (16 bytes per entry)", count: entries, bytesEach: 16),
            MemoryEstimate.items(
                "the input, the gradient and the result", count: (geometry.columnCount + geometry.rowCount) * max(samples, 1) + geometry.weightCount,
                bytesEach: 16),
        ])
    }
}

extension SparseMatrix {
    /// X(x) in CHOLMOD: one block of rows per sample (rows n·rowCount ..< (n+1)·rowCount hold sample n's
    /// outputs), one column per kernel entry, written straight into CHOLMOD's compressed-column arrays.
    /// Then X·w is the convolution of every sample stacked, and Xᵀ·g sums the weight gradient over the batch.
    ///
    /// - Parameters:
    ///   - weightMatrix: the taps of the convolution.
    ///   - inputs: one sample per column, each C's input [C_in, spatial…].
    /// - Throws: `CholmodError.outOfMemory` when CHOLMOD cannot allocate the arrays.
    /// - Complexity: O(taps · samples) time; 16 bytes per entry of memory.
    package convenience init(weightMatrix: WeightMatrix, inputs: DenseMatrix) throws(CholmodError) {
        let samples = inputs.columnCount
        let rowsPerSample = weightMatrix.geometry.rowCount
        let columns = weightMatrix.geometry.weightCount
        try self.init(unwrittenRows: rowsPerSample * samples, columns: columns, nonzeros: weightMatrix.tapCount * samples)
        withUnwrittenArrays { columnStarts, rowIndices, values in
            var n = 0
            for e in 0..<columns {
                columnStarts[e] = n
                let taps = weightMatrix.columnStarts[e]..<weightMatrix.columnStarts[e + 1]
                for sample in 0..<samples {
                    let offset = sample * inputs.rowCount
                    for t in taps {
                        rowIndices[n] = sample * rowsPerSample + weightMatrix.rows[t]
                        values[n] = inputs.values[offset + weightMatrix.sources[t]]
                        n += 1
                    }
                }
            }
            columnStarts[columns] = n
        }
        #if DEBUG
            try verifyStructure()
        #endif
    }
}
