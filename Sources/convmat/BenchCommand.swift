import ArgumentParser
import ConvMatrix
import ConvMatrixBenchmarks

/// `convmat bench`: how fast C is built and applied, against the reference loops.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time building C, C·x and Cᵀ·y (CHOLMOD) against the direct and scatter loops, and the memory bandwidth.",
        discussion: reflowed(
            """
            Each measurement runs --repeat times and the best time is reported, with nonzeros per second.
            Each run's result is freed before the next run's clock starts. As a baseline the memory floor
            obtains and writes arrays the size of C with nothing computed: build / floor near 1 means
            the build runs at memory speed.

            The machine's memory bandwidth is measured in the same run, as STREAM's triad
            a = b + s·c over three arrays of 4 times the last-level cache (24 bytes counted per element),
            on the products' threads and on one. Each product is reported with the bytes it must move
            (C's values, row indices and column pointers, the operand and the result), its GB/s and
            that as a fraction of the bandwidth. The products run on --threads threads and, for
            comparison, on one; Cᵀ·y must then agree bit for bit, C·x within rounding.
            The results of every route are compared (max difference); the command fails if they disagree.

            Before building, the memory needed is estimated and refused above --max-memory: C with
            its vectors, and the bandwidth arrays, allocated after C is released (two peaks, each
            checked on its own). Where the partial results of several threads would not fit, the
            products use fewer threads.

            With --transposed the matrix timed is the C whose Cᵀ is the transposed convolution
            (its Cᵀ·y is the transposed convolution's product).
            For meaningful numbers build in release mode: swift build -c release.

            Examples:
              convmat bench --input 256x256 --kernel 3 --padding 1
              convmat bench --input 64x64 --kernel 3 --padding 1 --in-channels 16 \\
                  --out-channels 16 --json
              convmat bench --input 128x128 --kernel 5 --stride 2 --padding 2 \\
                  --in-channels 8 --out-channels 8 --repeat 10
              convmat bench --input 100000x100000 --kernel 3 --in-channels 64 \\
                  --out-channels 64 --max-memory 4G
              CONVMAT_THREADS=1 convmat bench --input 256x256 --kernel 3 --padding 1
              convmat bench --input 64x64 --kernel 3 --padding 1 --threads 2 --json
            """)
    )

    @OptionGroup var geometry: GeometryOptions

    @Option(name: .customLong("repeat"), parsing: .unconditional, help: "How often each measurement runs; the best time is kept (1 to 1000).")
    var repeats: Int = 5

    @Option(parsing: .unconditional, help: "Samples (columns) in the batched products (1 to 1024).")
    var batch: Int = 8

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @OptionGroup var memory: MemoryOptions

    @OptionGroup var threads: ThreadOptions

    func validate() throws {
        guard (1...1000).contains(repeats) else { throw ValidationError("--repeat = \(repeats) must be between 1 and 1000") }
        guard (1...1024).contains(batch) else { throw ValidationError("--batch = \(batch) must be between 1 and 1024") }
    }

    func run() throws {
        let limit = try memory.limit()
        // The benchmark checks the budget itself, for its batched products.
        let convolution = try geometry.resolve().convolution
        try memory.check(MemoryEstimate(convolution, samples: batch))
        let benchmark = ConvolutionBenchmark(geometry: convolution, repeats: repeats, batch: batch, threads: threads.requested)
        // The bandwidth arrays come after C is released: a second peak, checked on its own.
        try memory.check(benchmark.bandwidthEstimate)
        // Progress only for runs long enough to wonder about (about a second or more).
        let talkative = MemoryEstimate(convolution).nonzeroCount >= 2_000_000
        let report = try benchmark.run(memoryLimit: limit) { line in
            if talkative { printError("bench: \(line)…") }
        }
        if report.threads < threads.requested {
            printError(
                "note: \(report.threads) thread\(report.threads == 1 ? "" : "s") instead of \(threads.requested): more would not fit under the memory limit")
        }
        emit(json ? report.json : report.text, terminator: json ? "\n" : "")
        if !report.resultsAgree {
            throw InputError(
                "the routes disagree: max difference \(report.maximumDifference) (C·x vs direct \(report.forwardDifference), Cᵀ·y vs scatter \(report.transposeDifference))"
            )
        }
    }
}
