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
    /// Threads the products ran on (`SparseMatrix.multiply(_:threads:)`), after the memory guard's say.
    package var threads = 1
    /// The last-level cache the bandwidth arrays are sized against, bytes.
    package var lastLevelCacheBytes = 0
    /// The memory bandwidth on `threads` threads (STREAM's triad); nil until measured.
    package var bandwidth: MemoryBandwidth?
    /// The memory bandwidth on one thread (the same measurement as `bandwidth` when `threads` is 1).
    package var bandwidthOneThread: MemoryBandwidth?
    /// Building C in CHOLMOD (`SparseMatrix(convolution:)`), seconds.
    package var buildSeconds = 0.0
    /// Obtaining and writing arrays the size of C with nothing computed
    /// (`MemoryFloor`), seconds: a memory-speed baseline for the build.
    package var memoryFloorSeconds = 0.0
    /// C·x for one sample (`cholmod_l_sdmult`), seconds.
    package var forwardSeconds = 0.0
    /// Cᵀ·y for one sample (`cholmod_l_sdmult`, transpose = 1), seconds.
    package var transposeSeconds = 0.0
    /// Whether C was also kept by rows (`SparseMatrix.keepRows()`), so that C·x ran as a gather; false
    /// where the copy would not fit under the memory limit.
    package var rowsKept = false
    /// Making C by rows (CHOLMOD's transpose), seconds; 0 when not kept.
    package var keepRowsSeconds = 0.0
    /// C·x for one sample by C's columns on `threads` threads (the scatter with partial results), seconds.
    package var forwardColumnsSeconds = 0.0
    /// C·x for one sample on one thread by C's columns (CHOLMOD's scatter, as before threads), seconds.
    package var forwardOneThreadSeconds = 0.0
    /// Cᵀ·y for one sample on one thread, seconds.
    package var transposeOneThreadSeconds = 0.0
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
    /// max |C·x on `threads` threads − C·x on one thread|: rounding only (0 on one thread).
    package var threadsForwardDifference = 0.0
    /// True when Cᵀ·y on `threads` threads equals Cᵀ·y on one thread bit for bit (as it must).
    package var threadsTransposeIdentical = true
    /// True when C·x by rows equals the one-thread scatter bit for bit (as it must); true when C's rows were not kept.
    package var forwardRowsIdentical = true

    /// An empty report, filled in by `ConvolutionBenchmark`.
    package init() {}

    /// The largest of the differences between routes.
    package var maximumDifference: Double { max(forwardDifference, transposeDifference, batchDifference, threadsForwardDifference) }

    /// True when every route agrees within 10⁻¹² relative to the results' size
    /// (rounding of sums taken in different orders), and Cᵀ·y is the same on any number of threads.
    package var resultsAgree: Bool {
        maximumDifference <= 1e-12 * max(1, resultScale) && threadsTransposeIdentical && forwardRowsIdentical
    }

    /// The bytes one product C·x or Cᵀ·y must move between memory and the processor: C's values and
    /// row indices (8 bytes each per nonzero), its column pointers (8 · (n_cols + 1)), the operand read
    /// and the result written (8 · (n_rows + n_cols)): 16·nnz + 8·(n_cols + 1) + 8·(n_rows + n_cols).
    /// Both products move the same bytes; a thread's partial results and the cache lines of y that a
    /// scatter touches more than once are not counted.
    package var productBytes: Int { 16 * nonzeroCount + 8 * (columnCount + 1) + 8 * (rowCount + columnCount) }

    /// Bytes per second of a product that took `seconds`.
    package func productRate(_ seconds: Double) -> Double { seconds > 0 ? Double(productBytes) / seconds : 0 }

    /// A product's bytes per second over the measured bandwidth, or nil without a measurement.
    package func bandwidthFraction(_ seconds: Double, of bandwidth: MemoryBandwidth?) -> Double? {
        guard let bandwidth, bandwidth.bytesPerSecond > 0, seconds > 0 else { return nil }
        return productRate(seconds) / bandwidth.bytesPerSecond
    }

    /// Build throughput: nnz / build time.
    package var buildNonzerosPerSecond: Double { rate(buildSeconds) }
    /// C·x throughput: nnz / forward time.
    package var forwardNonzerosPerSecond: Double { rate(forwardSeconds) }
    /// Cᵀ·y throughput: nnz / transpose time.
    package var transposeNonzerosPerSecond: Double { rate(transposeSeconds) }

    /// Nonzeros per second of a product that took `seconds`.
    package func rate(_ seconds: Double) -> Double { seconds > 0 ? Double(nonzeroCount) / seconds : 0 }

    /// Build memory per nonzero: buildPeakBytes / nnz.
    package var buildBytesPerNonzero: Double { nonzeroCount > 0 ? Double(buildPeakBytes) / Double(nonzeroCount) : 0 }

    /// One JSON object, keys in a fixed order, seconds as plain numbers (`JSONWriting`).
    package var json: String {
        let number = JSONWriting.number
        func ratio(_ a: Double, _ b: Double) -> String { b > 0 ? number(a / b) : "null" }
        func optional(_ value: Double?) -> String { value.map(number) ?? "null" }
        let fields: [(String, String)] = [
            ("nnz", "\(nonzeroCount)"), ("rows", "\(rowCount)"), ("cols", "\(columnCount)"),
            ("repeat", "\(repeats)"), ("batch", "\(batch)"), ("threads", "\(threads)"),
            ("build_s", number(buildSeconds)), ("memory_floor_s", number(memoryFloorSeconds)),
            ("build_over_memory_floor", ratio(buildSeconds, memoryFloorSeconds)),
            ("forward_s", number(forwardSeconds)),
            ("transpose_s", number(transposeSeconds)),
            ("forward_batch_s_per_sample", number(forwardBatchSecondsPerSample)),
            ("transpose_batch_s_per_sample", number(transposeBatchSecondsPerSample)),
            ("rows_kept", rowsKept ? "true" : "false"), ("keep_rows_s", number(keepRowsSeconds)),
            ("forward_columns_s", number(forwardColumnsSeconds)),
            ("forward_one_thread_s", number(forwardOneThreadSeconds)),
            ("transpose_one_thread_s", number(transposeOneThreadSeconds)),
            ("direct_s", number(directSeconds)), ("scatter_s", number(scatterSeconds)),
            ("build_nnz_per_s", number(buildNonzerosPerSecond)),
            ("forward_nnz_per_s", number(forwardNonzerosPerSecond)),
            ("transpose_nnz_per_s", number(transposeNonzerosPerSecond)),
            ("direct_over_forward", ratio(directSeconds, forwardSeconds)),
            ("scatter_over_transpose", ratio(scatterSeconds, transposeSeconds)),
            ("forward_single_over_batch", ratio(forwardSeconds, forwardBatchSecondsPerSample)),
            ("transpose_single_over_batch", ratio(transposeSeconds, transposeBatchSecondsPerSample)),
            ("last_level_cache_bytes", "\(lastLevelCacheBytes)"),
            ("bandwidth_array_bytes", bandwidth.map { "\($0.arrayBytes)" } ?? "null"),
            ("bandwidth_bytes_per_s", optional(bandwidth?.bytesPerSecond)),
            ("bandwidth_one_thread_bytes_per_s", optional(bandwidthOneThread?.bytesPerSecond)),
            ("product_bytes", "\(productBytes)"),
            ("forward_bytes_per_s", number(productRate(forwardSeconds))),
            ("transpose_bytes_per_s", number(productRate(transposeSeconds))),
            ("forward_bandwidth_fraction", optional(bandwidthFraction(forwardSeconds, of: bandwidth))),
            ("forward_columns_bandwidth_fraction", optional(bandwidthFraction(forwardColumnsSeconds, of: bandwidth))),
            ("transpose_bandwidth_fraction", optional(bandwidthFraction(transposeSeconds, of: bandwidth))),
            ("forward_one_thread_bandwidth_fraction", optional(bandwidthFraction(forwardOneThreadSeconds, of: bandwidthOneThread))),
            ("transpose_one_thread_bandwidth_fraction", optional(bandwidthFraction(transposeOneThreadSeconds, of: bandwidthOneThread))),
            ("build_peak_bytes", "\(buildPeakBytes)"),
            ("build_bytes_per_nnz", number(buildBytesPerNonzero)),
            ("peak_rss_bytes", "\(peakResidentBytes)"),
            ("estimated_bytes", "\(estimatedBytes)"),
            ("threads_forward_difference", number(threadsForwardDifference)),
            ("threads_transpose_identical", threadsTransposeIdentical ? "true" : "false"),
            ("forward_rows_identical", forwardRowsIdentical ? "true" : "false"),
            ("max_difference", number(maximumDifference)),
            ("agree", resultsAgree ? "true" : "false"),
        ]
        return JSONWriting.object(fields)
    }

    /// A few aligned lines for people.
    package var text: String {
        let floorRatio = memoryFloorSeconds > 0 ? formatNumber((buildSeconds / memoryFloorSeconds * 100).rounded() / 100) : "–"
        func seconds(_ value: Double) -> String { formatSeconds(value) }
        func nonzeros(_ value: Double) -> String { "\(formatNumber((value / 1e6 * 10).rounded() / 10)) M nonzeros/s" }
        func gigabytes(_ bytesPerSecond: Double) -> String { "\(formatNumber((bytesPerSecond / 1e8).rounded() / 10)) GB/s" }
        func traffic(_ time: Double, _ bandwidth: MemoryBandwidth?, _ of: String) -> String {
            let fraction = bandwidthFraction(time, of: bandwidth).map { " = \(formatNumber(($0 * 100).rounded() / 100)) of \(of)" } ?? ""
            return "\(gigabytes(productRate(time)))\(fraction)"
        }
        let plural = threads == 1 ? "thread" : "threads"
        var bandwidthLine = "not measured"
        if let bandwidth {
            let single = threads > 1 ? ", \(bandwidthOneThread.map { gigabytes($0.bytesPerSecond) } ?? "–") on 1" : ""
            bandwidthLine =
                "\(gigabytes(bandwidth.bytesPerSecond)) triad on \(threads) \(plural)\(single) (3 arrays of \(MemoryBudget.formatBytes(bandwidth.arrayBytes)); last-level cache \(MemoryBudget.formatBytes(lastLevelCacheBytes)))"
        }
        var lines = [
            "C: \(rowCount) × \(columnCount), \(nonzeroCount) nonzeros (best of \(repeats), \(threads) \(plural))",
            "build C            \(seconds(buildSeconds))   \(nonzeros(buildNonzerosPerSecond))",
            "memory floor       \(seconds(memoryFloorSeconds))   (build / floor = \(floorRatio))",
            "memory bandwidth   \(bandwidthLine)",
            "C by rows          "
                + (rowsKept
                    ? "kept, for C·x as a gather: \(MemoryBudget.formatBytes(16 * nonzeroCount + 8 * (rowCount + 1))) more, made in \(seconds(keepRowsSeconds).trimmingLeadingSpaces)"
                    : "not kept: a second copy of C would not fit under the memory limit; C·x by columns"),
            "bytes per product  \(MemoryBudget.formatBytes(productBytes)) (values, row indices, column pointers, operand, result)",
            "C·x                \(seconds(forwardSeconds))   \(nonzeros(forwardNonzerosPerSecond))   \(traffic(forwardSeconds, bandwidth, "bandwidth"))",
        ]
        if rowsKept {
            lines.append(
                "C·x by columns     \(seconds(forwardColumnsSeconds))   \(nonzeros(rate(forwardColumnsSeconds)))   \(traffic(forwardColumnsSeconds, bandwidth, "bandwidth"))"
            )
        }
        lines.append(
            "Cᵀ·y               \(seconds(transposeSeconds))   \(nonzeros(transposeNonzerosPerSecond))   \(traffic(transposeSeconds, bandwidth, "bandwidth"))")
        lines += [
            "C·x, 1 thread      \(seconds(forwardOneThreadSeconds))   \(nonzeros(rate(forwardOneThreadSeconds)))   \(traffic(forwardOneThreadSeconds, bandwidthOneThread, "1-thread bandwidth")) (by columns, as before threads)",
            "Cᵀ·y, 1 thread     \(seconds(transposeOneThreadSeconds))   \(nonzeros(rate(transposeOneThreadSeconds)))   \(traffic(transposeOneThreadSeconds, bandwidthOneThread, "1-thread bandwidth"))",
        ]
        lines += [
            "C·X, \(batch) columns      \(seconds(forwardBatchSecondsPerSample)) per sample",
            "Cᵀ·Y, \(batch) columns     \(seconds(transposeBatchSecondsPerSample)) per sample",
            "direct loop        \(seconds(directSeconds))",
            "scatter loop       \(seconds(scatterSeconds))",
            "build memory       \(MemoryBudget.formatBytes(buildPeakBytes)) (\(formatNumber((buildBytesPerNonzero * 10).rounded() / 10)) bytes per nonzero)",
            "peak resident      \(MemoryBudget.formatBytes(peakResidentBytes))",
        ]
        lines.append(
            "vs 1 thread        Cᵀ·y \(threadsTransposeIdentical ? "the same bit for bit" : "DIFFERENT")"
                + (rowsKept ? ", C·x by rows \(forwardRowsIdentical ? "the same bit for bit" : "DIFFERENT")" : "")
                + (threads > 1 ? ", C·x by columns within \(threadsForwardDifference) (rounding)" : ""))
        lines.append("max difference     \(maximumDifference) (\(resultsAgree ? "all routes agree" : "ROUTES DISAGREE"))")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// The string without its leading spaces.
    fileprivate var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
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
