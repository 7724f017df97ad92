import ConvMatrix
/// Times building C and the products with it against the reference loops
/// on the same data: what `convmat bench` runs.
///
/// Each measurement is repeated and the best time kept (the least disturbed
/// by other work on the machine). The kernel, x and y are reproducible
/// pseudo-random numbers in [−1, 1). Before the first build the memory the
/// run needs is checked with `MemoryBudget`.
package struct ConvolutionBenchmark: Sendable {
    /// The convolution whose matrix is timed.
    package let geometry: ConvolutionGeometry
    /// How often each measurement runs (at least 1).
    package let repeats: Int
    /// Columns of the batched products (at least 1).
    package let batch: Int

    /// A benchmark of `geometry`, `repeats` times each, with batches of `batch` samples.
    package init(geometry: ConvolutionGeometry, repeats: Int = 5, batch: Int = 8) {
        self.geometry = geometry
        self.repeats = max(1, repeats)
        self.batch = max(1, batch)
    }

    /// Runs every measurement; `progress` receives a line before each phase.
    /// Throws `GeometryError` when the run would exceed `memoryLimit` bytes
    /// (default: half of physical memory), and `CholmodError` if CHOLMOD fails.
    package func run(memoryLimit: Int? = nil, progress: (String) -> Void = { _ in }) throws -> BenchmarkReport {
        let estimate = try MemoryBudget.check(geometry, limit: memoryLimit, samples: batch)
        var report = BenchmarkReport()
        report.estimatedBytes = estimate.totalBytes
        report.rowCount = geometry.rowCount
        report.columnCount = geometry.columnCount
        report.repeats = repeats
        report.batch = batch
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
        // Each build's matrix is freed before the next clock starts: returning
        // its pages is not part of building the next one.
        let c: SparseMatrix
        (report.buildSeconds, c) = try bestKeeping { () throws(CholmodError) in try SparseMatrix(convolution: kernel) }
        report.nonzeroCount = c.nonzeroCount

        let x = numbers(&data, geometry.columnCount), y = numbers(&data, geometry.rowCount)
        // Every timed result is released outside the clock, as the builds' are.
        progress("products C·x and Cᵀ·y")
        let forward: [Double], transposed: [Double]
        (report.forwardSeconds, forward) = try bestKeeping { () throws(CholmodError) in try c.multiply(DenseMatrix(column: x)).values }
        (report.transposeSeconds, transposed) = try bestKeeping { () throws(CholmodError) in try c.multiplyTransposed(DenseMatrix(column: y)).values }

        progress("batched products, \(batch) columns")
        let xs = DenseMatrix(rowCount: geometry.columnCount, columnCount: batch, values: Array([[Double]](repeating: x, count: batch).joined()))
        let ys = DenseMatrix(rowCount: geometry.rowCount, columnCount: batch, values: Array([[Double]](repeating: y, count: batch).joined()))
        let forwardBatch: DenseMatrix, transposedBatch: DenseMatrix
        (report.forwardBatchSecondsPerSample, forwardBatch) = try bestKeeping { () throws(CholmodError) in try c.multiply(xs) }
        (report.transposeBatchSecondsPerSample, transposedBatch) = try bestKeeping { () throws(CholmodError) in try c.multiplyTransposed(ys) }
        report.forwardBatchSecondsPerSample /= Double(batch)
        report.transposeBatchSecondsPerSample /= Double(batch)

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
        return report
    }

    /// The shortest of `repeats` runs of `make`, in seconds, and what the
    /// last run made. Each run's result is released before the next run
    /// starts, outside the timed part, so freeing is never counted as making.
    private func bestKeeping<Made, Failure: Error>(
        _ make: () throws(Failure) -> Made
    ) throws(Failure) -> (seconds: Double, made: Made) {
        let clock = ContinuousClock()
        var shortest = Double.infinity
        var kept: Made?
        for _ in 0..<repeats {
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

/// The largest absolute difference between two arrays (∞ if their lengths differ).
func maximumDifference(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    var largest = 0.0
    for (p, q) in zip(a, b) { largest = max(largest, abs(p - q)) }
    return largest
}
