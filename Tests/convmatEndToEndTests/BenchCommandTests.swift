import Foundation
import Testing
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
@testable import ConvMatrixRendering
@testable import ConvMatrixTeaching
import ConvMatrixTestSupport
@testable import ConvMatrixBenchmarks
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// `convmat bench` and the benchmark behind it, on tiny geometries (no timing assertions).
@Suite struct BenchCommandTests {
    /// The keys the issue asks for.
    static let requiredKeys = ["nnz", "rows", "cols", "build_s", "forward_s", "transpose_s", "direct_s", "scatter_s", "peak_rss_bytes"]
    /// Keys the report adds: the memory-speed baseline and ratios between times.
    static let addedKeys = [
        "memory_floor_s", "build_over_memory_floor", "direct_over_forward", "scatter_over_transpose",
        "forward_single_over_batch", "transpose_single_over_batch",
    ]

    /// 6×5 input, 3×2 kernel, padding 1, 2 → 3 channels: the JSON holds every key, the
    /// counts are the geometry's (rows 3·6·6 = 108, columns 2·6·5 = 60) and all times are positive.
    @Test func jsonHasEveryKeyWithPositiveValues() throws {
        let run = try CommandRunner.convmat([
            "bench", "--input", "6x5", "--kernel", "3x2", "--padding", "1",
            "--in-channels", "2", "--out-channels", "3", "--repeat", "2", "--json",
        ])
        #expect(run.status == 0, "\(run.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        for key in Self.requiredKeys + Self.addedKeys {
            let value = try #require(object[key] as? Double, "key \(key)")
            #expect(value > 0, "\(key) = \(value)")
        }
        let geometry = try ConvolutionGeometry(inputSize: [6, 5], kernelSize: [3, 2], padding: .symmetric([1]), inChannels: 2, outChannels: 3)
        #expect(object["rows"] as? Int == 108)
        #expect(object["cols"] as? Int == 60)
        #expect(object["nnz"] as? Int == geometry.nonzeroCount)
        #expect(object["agree"] as? Bool == true)
        #expect(run.output.split(separator: "\n").count == 1)
    }

    /// 10⁵×10⁵ pixels with 64 → 64 channels: exit 2 at once with one `error:` line naming
    /// the estimate, the limit and the flag, before anything is built. By hand:
    /// nnz = 64·64·99998²·9 = 368625254547456, C = 16·nnz ≈ 5.898·10¹⁵ bytes; the 8-sample
    /// vectors add 8·3·8·64·(99998² + 10¹⁰) ≈ 2.458·10¹⁴, in all ≈ 6.144·10¹⁵ bytes = 5.5 PiB.
    @Test func absurdGeometryExitsTwo() throws {
        let run = try CommandRunner.convmat(["bench", "--input", "100000x100000", "--kernel", "3", "--in-channels", "64", "--out-channels", "64"])
        #expect(run.status == 2)
        #expect(run.output.isEmpty)
        let lines = run.error.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("error: --max-memory = ") == true)
        #expect(run.error.contains("(half of physical memory) is below the 5.5 PiB this needs (C (368625254547456 nonzeros) 5.2 PiB, vectors 223.5 TiB"))
        #expect(run.error.contains("give a larger --max-memory"))
    }

    /// A small --max-memory refuses a geometry that would otherwise run; a bad size is named.
    @Test func maxMemoryFlag() throws {
        let refused = try CommandRunner.convmat(["bench", "--input", "64x64", "--kernel", "3", "--max-memory", "64K"])
        #expect(refused.status == 2)
        #expect(refused.error.hasPrefix("error: --max-memory = 64 KiB is below the "))
        let bad = try CommandRunner.convmat(["bench", "--input", "8", "--kernel", "3", "--max-memory", "lots"])
        #expect(bad.status == 2)
        #expect(bad.error.hasPrefix("error: --max-memory = lots is not a memory size"))
        let repeats = try CommandRunner.convmat(["bench", "--input", "8", "--kernel", "3", "--repeat", "0"])
        #expect(repeats.status == 2)
        #expect(repeats.error.hasPrefix("error: --repeat = 0"))
    }

    /// The library benchmark on a grouped, strided 1-D case: every route agrees and the
    /// counts are those of the geometry.
    @Test func benchmarkReportAgrees() throws {
        let geometry = try ConvolutionGeometry(
            inputSize: [17], kernelSize: [4], stride: [2], dilation: [2],
            padding: .symmetric([3]), inChannels: 4, outChannels: 6, groups: 2)
        let report = try ConvolutionBenchmark(geometry: geometry, repeats: 1, batch: 3, threads: 2, bandwidthArrayBytes: 1 << 20).run()
        #expect(report.nonzeroCount == geometry.nonzeroCount)
        #expect(report.rowCount == geometry.rowCount)
        #expect(report.columnCount == geometry.columnCount)
        #expect(report.resultsAgree)
        #expect(report.maximumDifference < 1e-12)
        #expect(report.buildSeconds > 0 && report.directSeconds > 0 && report.memoryFloorSeconds > 0)
        #expect(report.threads == 2)
        #expect(report.threadsTransposeIdentical)
        #expect(report.bandwidth?.arrayBytes == 1 << 20 && report.bandwidth?.threads == 2 && report.bandwidthOneThread?.threads == 1)
        #expect((report.bandwidth?.bytesPerSecond ?? 0) > 0 && (report.bandwidthOneThread?.bytesPerSecond ?? 0) > 0)
    }

    /// The bandwidth and the bytes of each product in the JSON. 8×8 input, kernel 3: nnz = 36·9 = 324,
    /// 36 rows, 64 columns, so one product moves 16·324 + 8·65 + 8·(36 + 64) = 5 184 + 520 + 800 = 6 504
    /// bytes. The triad's arrays hold 4 times the last-level cache (whole MiB), so none fits in it; each
    /// fraction is the product's bytes per second over the bandwidth of its thread count.
    @Test func jsonHasTheBandwidthAndEachProductsBytes() throws {
        let run = try CommandRunner.convmat(["bench", "--input", "8x8", "--kernel", "3", "--repeat", "1", "--threads", "2", "--json"])
        #expect(run.status == 0, "\(run.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect(object["threads"] as? Int == 2)
        #expect(object["product_bytes"] as? Int == 6504)
        let cache = try #require(object["last_level_cache_bytes"] as? Int)
        let arrays = try #require(object["bandwidth_array_bytes"] as? Int)
        #expect(cache > 0 && arrays >= 4 * cache && arrays % (1 << 20) == 0)
        let bandwidth = try #require(object["bandwidth_bytes_per_s"] as? Double)
        let single = try #require(object["bandwidth_one_thread_bytes_per_s"] as? Double)
        #expect(bandwidth > 0 && single > 0)
        for (product, thread) in [("forward", ""), ("transpose", ""), ("forward", "_one_thread"), ("transpose", "_one_thread")] {
            let seconds = try #require(object["\(product)\(thread)_s"] as? Double)
            let fraction = try #require(object["\(product)\(thread)_bandwidth_fraction"] as? Double)
            let expected = 6504 / seconds / (thread.isEmpty ? bandwidth : single)
            #expect(abs(fraction - expected) <= 1e-9 * expected, "\(product)\(thread): \(fraction) vs \(expected)")
        }
        #expect(abs((object["forward_bytes_per_s"] as? Double ?? 0) - 6504 / (object["forward_s"] as? Double ?? 1)) < 1e-3)
        #expect(object["threads_transpose_identical"] as? Bool == true)
    }

    /// --threads and CONVMAT_THREADS: out of range or not a number is one error line naming the flag or
    /// the variable (status 2); the variable sets the default, the flag overrides it.
    @Test func threadsFlagAndEnvironment() throws {
        let geometry = ["bench", "--input", "8", "--kernel", "3", "--repeat", "1", "--json"]
        for value in ["0", "1025", "two"] {
            let run = try CommandRunner.convmat(geometry + ["--threads", value])
            #expect(run.status == 2 && run.output.isEmpty && run.error.split(separator: "\n").count == 1)
            #expect(run.error.hasPrefix("error: ") && run.error.contains("--threads"), "\(run.error)")
        }
        let variable = try CommandRunner.convmat(geometry, environment: ["CONVMAT_THREADS": "lots"])
        #expect(variable.status == 2 && variable.output.isEmpty)
        #expect(variable.error == "error: CONVMAT_THREADS = \"lots\" must be a whole number from 1 to 1024, or unset\n")
        func threads(_ run: CommandRunner.Outcome) throws -> Int? {
            #expect(run.status == 0, "\(run.error)")
            return try (JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])?["threads"] as? Int
        }
        #expect(try threads(CommandRunner.convmat(geometry, environment: ["CONVMAT_THREADS": "3"])) == 3)
        #expect(try threads(CommandRunner.convmat(geometry + ["--threads", "2"], environment: ["CONVMAT_THREADS": "3"])) == 2)
        #expect(try threads(CommandRunner.convmat(geometry + ["--threads", "1"], environment: ["CONVMAT_THREADS": "lots"])) == 1)
    }

    /// What does not fit is left out, not refused: first C's rows (a second orientation), then threads.
    /// 64×64, kernel 3, batch 8, by hand (SparseMatrixProductTests.threadsFallBackWhereMemoryIsShort):
    /// 23 096 392 bytes on one thread by columns; C by rows adds 16·34 596 + 8·3 845 + 8·4 096 = 617 064,
    /// two threads' partial results 246 272. The bandwidth arrays here are 3 × 64 KiB.
    @Test func benchmarkLeavesOutWhatDoesNotFit() throws {
        let geometry = try ConvolutionGeometry(inputSize: [64, 64], kernelSize: [3, 3])
        let benchmark = ConvolutionBenchmark(geometry: geometry, repeats: 1, batch: 8, threads: 2, bandwidthArrayBytes: 1 << 16)
        func run(_ limit: Int) throws -> (rows: Bool, threads: Int) {
            let report = try benchmark.run(memoryLimit: limit)
            #expect(report.resultsAgree && report.forwardRowsIdentical && report.threadsTransposeIdentical)
            return (report.rowsKept, report.threads)
        }
        let base = 23_096_392, rows = 617_064, partials = 246_272
        #expect(try run(base + partials - 1) == (false, 1))
        #expect(try run(base + partials) == (false, 2))
        #expect(try run(base + rows + partials - 1) == (true, 1))
        #expect(try run(base + rows + partials) == (true, 2))
        // The bandwidth's own peak: the program and 3 × 64 KiB.
        #expect(benchmark.bandwidthEstimate.totalBytes == 20_971_520 + 196_608)
    }

    /// The bandwidth arrays are a peak of their own, checked before anything is built: 8×8 needs little
    /// for C, but 3 arrays of 4 times the last-level cache do not fit under 64 MiB (the cache here is
    /// 32 MiB: 384 MiB); the refusal names them.
    @Test func bandwidthArraysAreChecked() throws {
        let run = try CommandRunner.convmat(["bench", "--input", "8x8", "--kernel", "3", "--repeat", "1", "--max-memory", "64M"])
        let cache = MemoryBandwidth.lastLevelCacheBytes
        if 12 * cache + MemoryEstimate.processBytes <= 64 << 20 { return }  // a machine with a small cache fits
        #expect(run.status == 2 && run.output.isEmpty)
        #expect(run.error.hasPrefix("error: --max-memory = 64 MiB is below the "), "\(run.error)")
        #expect(run.error.contains("memory-bandwidth arrays (3 × "), "\(run.error)")
    }
}

/// Runs `convmat` through the shared EINTR-safe runner: exit status, standard output, standard error.
