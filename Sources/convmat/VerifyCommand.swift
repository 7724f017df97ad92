import ArgumentParser
import ConvMatrix

#if canImport(Glibc)
    import Glibc
#endif

/// `convmat verify`: show that the transposed convolution is Cᵀ, computed four independent ways.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that transposed convolution = Cᵀ = scatter = zero-insertion conv = the conv's backward pass, and the weight gradient = Xᵀg.",
        discussion: reflowed(
            """
            For the geometry given (the flags of `convmat matrix`), computes Cᵀ·y four ways — the CHOLMOD matrix,
            the d2l scatter loop, Dumoulin & Visin's zero-insertion convolution with the flipped kernel, and the
            gradient of ⟨y, conv(x)⟩ by Swift automatic differentiation — on integer data (must agree exactly) and
            real data (must agree within 2γ_K·(|Cᵀ||y|)ᵢ per component). Also runs the dot test ⟨Cx, y⟩ = ⟨x, Cᵀy⟩,
            prints ‖CᵀCx − x‖ and the output_padding that makes conv → transposed conv restore the size.

            It also checks the weight gradient: Xᵀg, with X the matrix of the weights (y = X·w, what
            `convmat matrix --of weights` prints), against a direct loop within 2γ_K·(|X|ᵀ|g|), and the dot test
            ⟨C(w)x, g⟩ = ⟨X(x)w, g⟩ = ⟨w, Xᵀg⟩. Exit status: 0 PASS, 1 FAIL, 2 bad input.

            With --pool avg|max it checks a pooling layer's matrix instead (max pooling: the selection S(x)
            at --values, drawn from --seed when not given): the forward pass through the matrix against a
            direct loop, the backward pass through its transpose against the gradient sent back through each
            window (for --y, or drawn), and the dot test; max pooling's backward pass is S(x)ᵀ.

            With --random N it sweeps N random geometries instead, printing one line per failure with the command
            that replays it, then "N passed, M failed".

            Examples:
              convmat verify --input 2x2 --kernel 2x2 --transposed --weights 0,1,2,3 \\
                  --y 0,1,2,3
              convmat verify --input 6x6 --kernel 3x3 --stride 2 --padding 1
              convmat verify --input 3x3 --kernel 3 --stride 2 --padding 1 \\
                  --output-padding 1 --transposed
              convmat verify --input 5x4x3 --kernel 3 --in-channels 4 \\
                  --out-channels 2 --groups 2 --dilation 2 --padding same
              convmat verify --random 2000 --seed 1
              convmat verify --input 4x4 --kernel 3 --brief
              convmat verify --input 4x4 --kernel 2 --pool max \\
                  --values 1,5,2,0,3,4,8,1,0,2,6,7,9,1,3,5
            """)
    )

    @Option(parsing: .unconditional, help: ArgumentHelp(SizeHelp.input + " Required unless --random.", valueName: "size"))
    var input: String?

    @Option(parsing: .unconditional, help: ArgumentHelp(SizeHelp.kernel + " Required unless --random.", valueName: "size"))
    var kernel: String?

    @OptionGroup var settings: GeometrySettings

    @OptionGroup var weights: WeightOptions

    @Option(
        name: .customLong("y"), parsing: .unconditional,
        help: ArgumentHelp(
            "Input of the transposed convolution (C's output, [C_out, spatial…] of the convolution), comma-separated, for the first data set. Without it y is drawn from --seed.",
            valueName: "values"))
    var yValues: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Seed of the random data (and, with --random, of the geometries).", valueName: "n"))
    var seed: UInt64 = 1

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Sweep this many random geometries (1–3 spatial dimensions, channels, groups, stride, padding, dilation, output_padding) instead of one; at most 1000000.",
            valueName: "n"))
    var random: Int?

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Flag(help: "Print one line per route and the verdict instead of the whole report.")
    var brief = false

    @OptionGroup var pooling: PoolOptions

    @OptionGroup var values: ValueOptions

    @OptionGroup var memory: MemoryOptions

    @OptionGroup var threads: ThreadOptions

    @Option(
        name: .customLong("break-route"), parsing: .unconditional,
        help: ArgumentHelp(
            "Deliberately break the named route (matrix, scatter, zero-insertion, backward-pass, or weight-gradient: Xᵀg) to see the verifier fail.",
            valueName: "route",
            visibility: .hidden))
    var breakRoute: String?

    func validate() throws {
        if let random {
            guard (1...RandomGeometry.largestSweep).contains(random) else {
                throw ValidationError("--random = \(random) must be between 1 and \(RandomGeometry.largestSweep) (a million cases take about five minutes)")
            }
            let given =
                [("--input", input != nil), ("--kernel", kernel != nil)].filter(\.1).map(\.0)
                + settings.changedFlags
                + [("--weights", weights.weights != nil), ("--y", yValues != nil)].filter(\.1).map(\.0)
            if let flag = given.first {
                throw ValidationError("\(flag) cannot be combined with --random, which draws its own geometries and data")
            }
            if pooling.pool != nil { throw ValidationError("--pool cannot be combined with --random") }
        } else {
            if input == nil { throw ValidationError("--input is required (or use --random N)") }
            if kernel == nil { throw ValidationError("--kernel is required (or use --random N)") }
        }
    }

    func run() throws {
        let verifier = try makeVerifier()
        let passed: Bool
        if let random {
            passed = try sweep(random, verifier: verifier)
        } else {
            passed = try single(verifier: verifier)
        }
        if !passed { throw ExitCode(1) }
    }

    /// The four routes, one of them broken when `--break-route` asks for it.
    private func makeVerifier() throws -> Verifier {
        var routes = TransposedConvolutionRoute.all
        guard let breakRoute else { return Verifier(routes: routes) }
        if breakRoute == "weight-gradient" {
            var verifier = Verifier(routes: routes)
            verifier.weightGradientRoute = verifier.weightGradientRoute.broken
            return verifier
        }
        let key = { (name: String) in String(name.map { $0 == " " ? "-" : $0 }) }
        guard let index = routes.firstIndex(where: { key($0.name) == breakRoute }) else {
            throw InputError(
                "--break-route = \"\(breakRoute)\" must be one of \((routes.map { key($0.name) } + ["weight-gradient"]).joined(separator: ", "))")
        }
        routes[index] = routes[index].broken
        return Verifier(routes: routes)
    }

    /// Multiply-adds per route (`Verifier.work`) above which a single verification is refused rather than left to run for minutes.
    static let workLimit = 20_000_000

    /// `--pool`: the pooling matrix against the layer's own loops, forward and backward, and the dot test.
    private func pool(_ layer: PoolingGeometry, kind: PoolingMatrix.Kind) throws -> Bool {
        if json { throw InputError("--json does not apply to --pool; the report is text") }
        if settings.transposed { throw InputError("--transposed does not apply to verify --pool, which checks the forward and the backward pass") }
        if weights.weights != nil { throw InputError("--weights does not apply to --pool: a pooling layer has no weights") }
        let workLimit = Self.workLimit
        let work = layer.rowCount.multipliedReportingOverflow(by: layer.windowVolume)
        if work.overflow || work.partialValue > workLimit {
            throw InputError(
                "the layer needs \(work.overflow ? "too many" : String(work.partialValue)) window reads; verify handles at most \(workLimit), so use smaller sizes or fewer channels"
            )
        }
        // The input vector itself is drawn (or read) whole, even where a large stride skips most of it.
        if layer.columnCount > workLimit {
            throw InputError(
                "the input has \(layer.columnCount) elements; verify --pool handles at most \(workLimit), so use a smaller --input or fewer channels")
        }
        var generator = SplitMix64(seed: seed)
        let x = try values.numbers() ?? (0..<layer.columnCount).map { _ in Double(generator.int(in: -9...9)) }
        let g =
            try yValues.map { text throws(GeometryError) in try FieldSyntax.numbers(text, field: "y") }
            ?? (0..<layer.rowCount).map { _ in Double(generator.int(in: -9...9)) }
        let check = try PoolingVerification(kind, geometry: layer, x: x, g: g)
        emit(check.text(brief: brief))
        return check.passed
    }

    private func single(verifier: Verifier) throws -> Bool {
        if let layer = try pooling.geometry(settings, input: input ?? "", kernel: kernel ?? ""), let kind = pooling.pool {
            return try pool(layer, kind: kind)
        }
        if values.values != nil { throw InputError("--values applies to verify only with --pool") }
        if brief && json { throw InputError("--brief and --json exclude each other") }
        let convolutionOperator = try settings.resolve(input: input ?? "", kernel: kernel ?? "")
        let convolution = convolutionOperator.convolution
        let work = Verifier.work(convolution)
        if work.map({ $0 > Self.workLimit }) ?? true {
            throw InputError(
                "the geometry needs \(work.map(String.init) ?? "too many") multiply-adds per route; verify handles at most \(Self.workLimit), so use smaller sizes or fewer channels"
            )
        }
        try memory.check(Verifier.memoryEstimate(convolutionOperator))
        try threads.apply(rows: convolution.rowCount, samples: 1, beside: Verifier.memoryEstimate(convolutionOperator), memory: memory)
        let kernelValues = try weights.kernel(for: convolutionOperator)
        let y = try yValues.map { text throws(GeometryError) in try FieldSyntax.numbers(text, field: "y") }
        if let y, y.count != convolution.rowCount {
            throw InputError(
                "--y has \(y.count) value\(y.count == 1 ? "" : "s") but the transposed convolution's input \(convolution.outChannels)×\(formatSize(convolution.outputSize)) needs \(convolution.rowCount)"
            )
        }
        let report = try verifier.verify(convolutionOperator, weights: kernelValues, y: y, seed: seed)
        emit(json ? report.json : (brief ? report.briefText : report.text))
        return report.passed
    }

    private func sweep(_ count: Int, verifier: Verifier) throws -> Bool {
        let cases = RandomGeometry.sweep(count: count, seed: seed)
        SparseMatrix.defaultThreadCount = threads.requested
        let progress = SweepProgress(total: count)
        var failed = [(command: String, problems: [String])]()
        for (n, item) in cases.enumerated() {  // drawn one at a time: any N fits in memory
            let report = try verifier.verify(item.convolutionOperator, seed: item.seed)
            if !report.passed {
                let command = item.command + (breakRoute.map { " --break-route \($0)" } ?? "")
                failed.append((command, report.failures))
                if !json {
                    progress.clear()
                    emit("FAIL \(report.failures.first ?? "") — replay: \(command)")
                }
            }
            progress.update(done: n + 1)
        }
        progress.clear()
        if json {
            let failures = failed.map { failure in
                JSONWriting.object([
                    ("command", JSONWriting.string(failure.command)),
                    ("problems", JSONWriting.array(failure.problems.map(JSONWriting.string))),
                ])
            }
            emit(
                JSONWriting.object([
                    ("cases", "\(count)"), ("seed", "\(seed)"), ("passed", "\(count - failed.count)"),
                    ("failed", "\(failed.count)"), ("failures", JSONWriting.array(failures)),
                ]))
        } else {
            emit("\(count - failed.count) passed, \(failed.count) failed")
        }
        return failed.isEmpty
    }
}

/// Progress of a long sweep on standard error (`verify --random`, `spectrum --random`): a live
/// counter on a terminal, otherwise a line every 10% for sweeps of `linesFrom` cases or more.
final class SweepProgress {
    let total: Int
    let verb: String
    let linesFrom: Int
    let terminal = isatty(2) == 1
    private var shown = false
    private var lastTenth = 0

    /// - Parameters:
    ///   - total: the cases of the sweep.
    ///   - verb: the word before the count, "verified" or "checked".
    ///   - linesFrom: the smallest sweep that prints lines when standard error is not a terminal.
    init(total: Int, verb: String = "verified", linesFrom: Int = 1000) {
        (self.total, self.verb, self.linesFrom) = (total, verb, linesFrom)
    }

    func update(done: Int) {
        if terminal {
            if done % max(total / 100, 1) == 0 || done == total {
                printRaw("\r\(verb) \(done)/\(total)")
                shown = true
            }
        } else if total >= linesFrom {
            let tenth = done * 10 / total
            if tenth > lastTenth && done < total {
                lastTenth = tenth
                printError("\(verb) \(done)/\(total)")
            }
        }
    }

    /// Erases the live counter before a result line is printed.
    func clear() {
        if shown { printRaw("\r\u{1B}[K"); shown = false }
    }

    private func printRaw(_ text: String) {
        writeAll(text.utf8, to: 2)
    }
}
