import ConvMatrix
/// Times building C and the products with it against the reference loops
/// on the same data, and the machine's memory bandwidth in the same run:
/// what `convmat bench` runs.
///
/// Each measurement is repeated and the best time kept (the least disturbed
/// by other work on the machine). The kernel, x and y are reproducible
/// pseudo-random numbers in [−1, 1). Before the first build the memory the
/// run needs is checked with `MemoryBudget`; the products' threads are as
/// many as asked for whose partial results fit beside it
/// (`MemoryBudget.productThreads`). The bandwidth arrays are allocated after
/// C is released, so they never coexist with it: they are a second peak,
/// checked on its own (`bandwidthEstimate`).
package struct ConvolutionBenchmark: Sendable {
    /// The convolution whose matrix is timed.
    package let geometry: ConvolutionGeometry
    /// How often each measurement runs (at least 1).
    package let repeats: Int
    /// Columns of the batched products (at least 1).
    package let batch: Int
    /// Threads the products may use (at least 1).
    package let threads: Int
    /// Bytes of each bandwidth array; nil sizes them by the last-level cache (`MemoryBandwidth.arrayBytes`).
    package let bandwidthArrayBytes: Int?

    /// A benchmark of `geometry`, `repeats` times each, with batches of `batch` samples, products on `threads` threads.
    ///
    /// - Parameters:
    ///   - geometry: the convolution whose C is built and multiplied.
    ///   - repeats: runs per measurement; the best is kept.
    ///   - batch: samples of the batched products.
    ///   - threads: threads the products may use; nil means `SparseMatrix.defaultThreadCount`.
    ///   - bandwidthArrayBytes: the size of each bandwidth array; nil for 4 times the last-level cache (tests pass less).
    package init(geometry: ConvolutionGeometry, repeats: Int = 5, batch: Int = 8, threads: Int? = nil, bandwidthArrayBytes: Int? = nil) {
        self.geometry = geometry
        self.repeats = max(1, repeats)
        self.batch = max(1, batch)
        self.threads = max(1, threads ?? SparseMatrix.defaultThreadCount)
        self.bandwidthArrayBytes = bandwidthArrayBytes
    }

    /// The memory the run needs on one thread: C, the vectors of the batched products, the program.
    package var memoryEstimate: MemoryEstimate { MemoryEstimate(geometry, samples: batch) }

    /// Runs every measurement; `progress` receives a line before each phase.
    /// Throws `GeometryError` when the run (on one thread) or the bandwidth arrays would exceed
    /// `memoryLimit` bytes (default: half of physical memory), `CholmodError` if CHOLMOD fails, and
    /// `BandwidthError` if the triad computes wrong numbers.
    package func run(memoryLimit: Int? = nil, progress: (String) -> Void = { _ in }) throws -> BenchmarkReport {
        let estimate = try MemoryBudget.check(memoryEstimate, limit: memoryLimit)
        try MemoryBudget.check(bandwidthEstimate, limit: memoryLimit)
        var report = BenchmarkReport()
        report.estimatedBytes = estimate.totalBytes
        report.rowCount = geometry.rowCount
        report.columnCount = geometry.columnCount
        report.repeats = repeats
        report.batch = batch
        // C by rows too (a second orientation: C·x as a gather) where it fits; otherwise by columns only.
        let withRows = estimate.adding(MemoryEstimate.rows(geometry))
        report.rowsKept = withRows.totalBytes <= (memoryLimit ?? MemoryBudget.defaultLimit)
        report.threads = MemoryBudget.productThreads(
            threads, rows: geometry.rowCount, samples: batch, beside: report.rowsKept ? withRows : estimate, limit: memoryLimit)
        var data = SplitMix64(seed: 0x00C0_FFEE)
        let kernel = try Kernel(numbers(&data, geometry.weightCount), geometry: geometry)

        progress("building C (\(estimate.nonzeroCount) nonzeros) and the memory floor, \(repeats)× each")
        let before = ResourceUsage.currentResidentBytes
        // The first build, alone, gives the peak memory of building; it is released at once.
        try withExtendedLifetime(SparseMatrix(convolution: kernel)) {
            report.buildPeakBytes = max(0, ResourceUsage.peakResidentBytes - before)
        }
        // The baseline first, while no matrix is held, so memory is never doubled.
        report.memoryFloorSeconds = try bestKeeping { () throws(CholmodError) in try MemoryFloor(like: geometry) }.seconds
        let x = numbers(&data, geometry.columnCount), y = numbers(&data, geometry.rowCount)
        let forward: [Double], transposed: [Double], forwardBatch: DenseMatrix, transposedBatch: DenseMatrix
        do {
            // C lives in this block only: the bandwidth arrays below never share memory with it.
            // Each build's matrix is freed before the next clock starts: returning
            // its pages is not part of building the next one.
            let c: SparseMatrix
            (report.buildSeconds, c) = try bestKeeping { () throws(CholmodError) in try SparseMatrix(convolution: kernel) }
            report.nonzeroCount = c.nonzeroCount
            if report.rowsKept {
                progress("C by rows (CHOLMOD's transpose), \(min(repeats, 3))×")
                report.keepRowsSeconds = try bestKeeping(times: min(repeats, 3)) { () throws(CholmodError) in try SparseMatrix(transposing: c) }.seconds
                try c.keepRows()
            }
            (forward, transposed, forwardBatch, transposedBatch) = try timeProducts(c, x: x, y: y, report: &report, progress: progress)
        }

        progress("reference loops: direct convolution and scatter transposed convolution")
        let direct: [Double], scattered: [Double]
        (report.directSeconds, direct) = bestKeeping { directConvolution(x, kernel: kernel) }
        (report.scatterSeconds, scattered) = bestKeeping { scatterTransposedConvolution(y, kernel: kernel) }

        report.forwardDifference = maximumDifference(forward, direct)
        report.transposeDifference = maximumDifference(transposed, scattered)
        report.batchDifference = max(
            (0..<batch).map { maximumDifference(forwardBatch.column($0), forward) }.max() ?? 0,
            (0..<batch).map { maximumDifference(transposedBatch.column($0), transposed) }.max() ?? 0)
        report.resultScale = (direct + scattered).reduce(0) { max($0, abs($1)) }
        report.peakResidentBytes = ResourceUsage.peakResidentBytes

        // Last, with C released: the machine's bandwidth, on the products' threads and on one.
        report.lastLevelCacheBytes = MemoryBandwidth.lastLevelCacheBytes
        let arrayBytes = bandwidthArrayBytesUsed
        progress("memory bandwidth: triad over 3 arrays of \(MemoryBudget.formatBytes(arrayBytes)), \(repeats)× each")
        let measured = try MemoryBandwidth.measure(
            threadCounts: report.threads > 1 ? [report.threads, 1] : [1], repeats: repeats, arrayBytes: arrayBytes)
        report.bandwidth = measured.first
        report.bandwidthOneThread = measured.last
        return report
    }

    /// Times C·x and Cᵀ·y on the report's threads (and on one, to compare), then the batched products,
    /// filling in `report`; returns the results for the comparisons.
    private func timeProducts(
        _ c: SparseMatrix, x: [Double], y: [Double], report: inout BenchmarkReport, progress: (String) -> Void
    ) throws(CholmodError) -> (forward: [Double], transposed: [Double], forwardBatch: DenseMatrix, transposedBatch: DenseMatrix) {
        // Every timed result is released outside the clock, as the builds' are.
        let threads = report.threads
        progress("products C·x and Cᵀ·y on \(threads) thread\(threads == 1 ? "" : "s")")
        let forward: [Double], transposed: [Double]
        (report.forwardSeconds, forward) = try bestKeeping { () throws(CholmodError) in
            try c.multiply(DenseMatrix(column: x), threads: threads).values
        }
        (report.transposeSeconds, transposed) = try bestKeeping { () throws(CholmodError) in
            try c.multiplyTransposed(DenseMatrix(column: y), threads: threads).values
        }
        // For comparison: C·x by columns on these threads, and both products as they ran before threads
        // (one thread, C by columns: CHOLMOD's scatter and dot products).
        progress("C·x by columns; C·x and Cᵀ·y on 1 thread, by columns")
        let forwardColumns: [Double], forwardOne: [Double], transposedOne: [Double]
        (report.forwardColumnsSeconds, forwardColumns) = try bestKeeping { () throws(CholmodError) in
            try c.product(DenseMatrix(column: x), transposed: false, threads: threads, byRows: false).values
        }
        (report.forwardOneThreadSeconds, forwardOne) = try bestKeeping { () throws(CholmodError) in
            try c.product(DenseMatrix(column: x), transposed: false, threads: 1, byRows: false).values
        }
        (report.transposeOneThreadSeconds, transposedOne) = try bestKeeping { () throws(CholmodError) in
            try c.multiplyTransposed(DenseMatrix(column: y), threads: 1).values
        }
        report.threadsForwardDifference = max(maximumDifference(forward, forwardOne), maximumDifference(forwardColumns, forwardOne))
        report.forwardRowsIdentical = !report.rowsKept || forward.elementsEqualBitwise(forwardOne)
        report.threadsTransposeIdentical = transposed.elementsEqualBitwise(transposedOne)

        progress("batched products, \(batch) columns")
        let xs = DenseMatrix(rowCount: geometry.columnCount, columnCount: batch, values: Array([[Double]](repeating: x, count: batch).joined()))
        let ys = DenseMatrix(rowCount: geometry.rowCount, columnCount: batch, values: Array([[Double]](repeating: y, count: batch).joined()))
        let forwardBatch: DenseMatrix, transposedBatch: DenseMatrix
        (report.forwardBatchSecondsPerSample, forwardBatch) = try bestKeeping { () throws(CholmodError) in try c.multiply(xs, threads: threads) }
        (report.transposeBatchSecondsPerSample, transposedBatch) = try bestKeeping { () throws(CholmodError) in try c.multiplyTransposed(ys, threads: threads) }
        report.forwardBatchSecondsPerSample /= Double(batch)
        report.transposeBatchSecondsPerSample /= Double(batch)

        return (forward, transposed, forwardBatch, transposedBatch)
    }

    /// Bytes of each bandwidth array: `bandwidthArrayBytes`, else 4 times the last-level cache.
    package var bandwidthArrayBytesUsed: Int {
        bandwidthArrayBytes ?? MemoryBandwidth.arrayBytes(cacheBytes: MemoryBandwidth.lastLevelCacheBytes)
    }

    /// The memory of the bandwidth measurement, a peak of its own after C is released: its three
    /// arrays and the program.
    package var bandwidthEstimate: MemoryEstimate { MemoryEstimate([MemoryBandwidth.memoryPart(arrayBytes: bandwidthArrayBytesUsed)]) }

    /// The shortest of `repeats` runs of `make`, in seconds, and what the
    /// last run made. Each run's result is released before the next run
    /// starts, outside the timed part, so freeing is never counted as making.
    private func bestKeeping<Made, Failure: Error>(
        times: Int? = nil, _ make: () throws(Failure) -> Made
    ) throws(Failure) -> (seconds: Double, made: Made) {
        let clock = ContinuousClock()
        var shortest = Double.infinity
        var kept: Made?
        for _ in 0..<max(times ?? repeats, 1) {
            kept = nil
            let start = clock.now
            let made = try make()
            let elapsed = start.duration(to: clock.now)
            shortest = min(shortest, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            kept = made
        }
        // `repeats` is at least 1, so `kept` is set; the fallback only keeps the type honest.
        if let kept { return (shortest, kept) }
        return (shortest, try make())
    }
}

/// `count` reproducible numbers in [−1, 1) for benchmark operands, so that every run times the same data.
private func numbers(_ generator: inout SplitMix64, _ count: Int) -> [Double] {
    (0..<count).map { _ in generator.signedUnit() }
}

extension [Double] {
    /// True when both arrays hold the same numbers to the last bit (+0 and −0 differ; a NaN equals the same NaN).
    func elementsEqualBitwise(_ other: [Double]) -> Bool {
        count == other.count && zip(self, other).allSatisfy { $0.bitPattern == $1.bitPattern }
    }
}

/// The largest absolute difference between two arrays (∞ if their lengths differ).
func maximumDifference(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    var largest = 0.0
    for (p, q) in zip(a, b) { largest = max(largest, abs(p - q)) }
    return largest
}
