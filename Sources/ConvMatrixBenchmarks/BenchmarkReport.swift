import ConvMatrix
/// What `convmat bench` measured for one geometry: best times over the
/// repeats, throughput, memory and how closely the routes agree.
package struct BenchmarkReport: Sendable {
    /// Nonzeros of C.
    package var nonzeroCount = 0
    /// Rows of C (output elements).
    package var rowCount = 0
    /// Columns of C (input elements).
    package var columnCount = 0
    /// Repeats per measurement; each time reported is the best of them.
    package var repeats = 0
    /// Columns in the batched products.
    package var batch = 0
    /// Building C in CHOLMOD (`SparseMatrix(convolution:)`), seconds.
    package var buildSeconds = 0.0
    /// Obtaining and writing arrays the size of C with nothing computed
    /// (`MemoryFloor`), seconds: a memory-speed baseline for the build.
    package var memoryFloorSeconds = 0.0
    /// C·x for one sample (`cholmod_l_sdmult`), seconds.
    package var forwardSeconds = 0.0
    /// Cᵀ·y for one sample (`cholmod_l_sdmult`, transpose = 1), seconds.
    package var transposeSeconds = 0.0
    /// C·X for `batch` samples, seconds per sample.
    package var forwardBatchSecondsPerSample = 0.0
    /// Cᵀ·Y for `batch` samples, seconds per sample.
    package var transposeBatchSecondsPerSample = 0.0
    /// The direct convolution loop (`directConvolution`) on x, seconds.
    package var directSeconds = 0.0
    /// The scatter transposed convolution (`scatterTransposedConvolution`) on y, seconds.
    package var scatterSeconds = 0.0
    /// Resident memory the first build added at its peak, bytes.
    package var buildPeakBytes = 0
    /// The process's peak resident memory at the end, bytes.
    package var peakResidentBytes = 0
    /// The guard's estimate for this run, bytes.
    package var estimatedBytes = 0
    /// max |C·x − direct(x)|.
    package var forwardDifference = 0.0
    /// max |Cᵀ·y − scatter(y)|.
    package var transposeDifference = 0.0
    /// max difference between batched columns and single products.
    package var batchDifference = 0.0
    /// Largest magnitude among the compared results, for the tolerance.
    package var resultScale = 0.0

    /// An empty report, filled in by `ConvolutionBenchmark`.
    package init() {}

    /// The largest of the three differences.
    package var maximumDifference: Double { max(forwardDifference, transposeDifference, batchDifference) }

    /// True when every route agrees within 10⁻¹² relative to the results' size
    /// (rounding of sums taken in different orders).
    package var resultsAgree: Bool { maximumDifference <= 1e-12 * max(1, resultScale) }

    /// Build throughput: nnz / build time.
    package var buildNonzerosPerSecond: Double { rate(buildSeconds) }
    /// C·x throughput: nnz / forward time.
    package var forwardNonzerosPerSecond: Double { rate(forwardSeconds) }
    /// Cᵀ·y throughput: nnz / transpose time.
    package var transposeNonzerosPerSecond: Double { rate(transposeSeconds) }

    private func rate(_ seconds: Double) -> Double { seconds > 0 ? Double(nonzeroCount) / seconds : 0 }

    /// Build memory per nonzero: buildPeakBytes / nnz.
    package var buildBytesPerNonzero: Double { nonzeroCount > 0 ? Double(buildPeakBytes) / Double(nonzeroCount) : 0 }

    /// One JSON object, keys in a fixed order, seconds as plain numbers (`JSONWriting`).
    package var json: String {
        let number = JSONWriting.number
        func ratio(_ a: Double, _ b: Double) -> String { b > 0 ? number(a / b) : "null" }
        let fields: [(String, String)] = [
            ("nnz", "\(nonzeroCount)"), ("rows", "\(rowCount)"), ("cols", "\(columnCount)"),
            ("repeat", "\(repeats)"), ("batch", "\(batch)"),
            ("build_s", number(buildSeconds)), ("memory_floor_s", number(memoryFloorSeconds)),
            ("build_over_memory_floor", ratio(buildSeconds, memoryFloorSeconds)),
            ("forward_s", number(forwardSeconds)),
            ("transpose_s", number(transposeSeconds)),
            ("forward_batch_s_per_sample", number(forwardBatchSecondsPerSample)),
            ("transpose_batch_s_per_sample", number(transposeBatchSecondsPerSample)),
            ("direct_s", number(directSeconds)), ("scatter_s", number(scatterSeconds)),
            ("build_nnz_per_s", number(buildNonzerosPerSecond)),
            ("forward_nnz_per_s", number(forwardNonzerosPerSecond)),
            ("transpose_nnz_per_s", number(transposeNonzerosPerSecond)),
            ("direct_over_forward", ratio(directSeconds, forwardSeconds)),
            ("scatter_over_transpose", ratio(scatterSeconds, transposeSeconds)),
            ("forward_single_over_batch", ratio(forwardSeconds, forwardBatchSecondsPerSample)),
            ("transpose_single_over_batch", ratio(transposeSeconds, transposeBatchSecondsPerSample)),
            ("build_peak_bytes", "\(buildPeakBytes)"),
            ("build_bytes_per_nnz", number(buildBytesPerNonzero)),
            ("peak_rss_bytes", "\(peakResidentBytes)"),
            ("estimated_bytes", "\(estimatedBytes)"),
            ("max_difference", number(maximumDifference)),
            ("agree", resultsAgree ? "true" : "false"),
        ]
        return JSONWriting.object(fields)
    }

    /// A few aligned lines for people.
    package var text: String {
        let floorRatio = memoryFloorSeconds > 0 ? formatNumber((buildSeconds / memoryFloorSeconds * 100).rounded() / 100) : "–"
        func seconds(_ value: Double) -> String { formatSeconds(value) }
        func rate(_ value: Double) -> String { "\(formatNumber((value / 1e6 * 10).rounded() / 10)) M nonzeros/s" }
        return """
            C: \(rowCount) × \(columnCount), \(nonzeroCount) nonzeros (best of \(repeats))
            build C          \(seconds(buildSeconds))   \(rate(buildNonzerosPerSecond))
            memory floor     \(seconds(memoryFloorSeconds))   (build / floor = \(floorRatio))
            C·x              \(seconds(forwardSeconds))   \(rate(forwardNonzerosPerSecond))
            Cᵀ·y             \(seconds(transposeSeconds))   \(rate(transposeNonzerosPerSecond))
            C·X, \(batch) columns    \(seconds(forwardBatchSecondsPerSample)) per sample
            Cᵀ·Y, \(batch) columns   \(seconds(transposeBatchSecondsPerSample)) per sample
            direct loop      \(seconds(directSeconds))
            scatter loop     \(seconds(scatterSeconds))
            build memory     \(MemoryBudget.formatBytes(buildPeakBytes)) (\(formatNumber((buildBytesPerNonzero * 10).rounded() / 10)) bytes per nonzero)
            peak resident    \(MemoryBudget.formatBytes(peakResidentBytes))
            max difference   \(maximumDifference) (\(resultsAgree ? "all routes agree" : "ROUTES DISAGREE"))

            """
    }
}

/// "1.234 ms", "12.3 µs", "1.50 s": a duration with three significant digits.
func formatSeconds(_ seconds: Double) -> String {
    let (value, unit): (Double, String) =
        seconds >= 1 ? (seconds, "s") : seconds >= 1e-3 ? (seconds * 1e3, "ms") : (seconds * 1e6, "µs")
    let digits = value >= 100 ? 0 : value >= 10 ? 1 : 2
    var scaled = (value * pow10(digits)).rounded() / pow10(digits)
    if digits == 0 { scaled = scaled.rounded() }
    let text = digits == 0 ? String(Int(scaled)) : String(scaled)
    return text.padding(toWidth: 6) + " " + unit
}

private func pow10(_ n: Int) -> Double { n == 0 ? 1 : n == 1 ? 10 : 100 }

extension String {
    /// The string right-aligned in `width` characters.
    fileprivate func padding(toWidth width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
