import ArgumentParser
import ConvMatrix

#if canImport(Glibc)
    import Glibc
#endif

/// `convmat spectrum`: the singular values of C, why Cᵀ is not C⁻¹, and ‖C‖₂ against spectral normalisation.
struct SpectrumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spectrum",
        abstract: "Singular values of C: σ_max = ‖C‖₂, σ_min, the condition number, Cᵀ against C⁺, and spectral normalisation's gap.",
        discussion: reflowed(
            """
            C = UΣVᵀ: the transposed convolution Cᵀ = VΣUᵀ scales every direction by σ again, the pseudo-inverse C⁺ = VΣ⁺Uᵀ divides by it, and deconvolution is hard exactly when σ_min is small. Routes (--route, default auto: the first that applies):
              fourier    exact, for circular padding (or none) at stride 1 with
                         output size = input size: the singular values of the
                         kernel's DFT, one C_out×C_in matrix per frequency
                         (Sedghi, Gupta & Long 2019)
              dense      exact, LAPACK's SVD of C written out, when
                         min(rows, columns) ≤ 4096 and rows·columns ≤ 67108864;
                         auto takes it only while rows·columns·min(rows,
                         columns) ≤ 2^30 (a 1024×1024 C, about a second)
              iterative  Lanczos with SuiteSparse's products for σ_max; for σ_min
                         shift-and-invert Lanczos on (G − τI)⁻¹, G = CᵀC (or CCᵀ
                         when C has fewer rows than columns), with CHOLMOD's
                         factorization

            The values are printed with one line on what they mean, then ‖x − Cᵀ(C·x)‖ beside ‖x − C⁺(C·x)‖ for one input x (C⁺ within auto's dense cut-off, or with --route dense), and the reshaped weight's ‖W‖₂ (what spectral normalisation divides by) beside ‖C‖₂. With --transposed the values are those of Cᵀ, the same as C's. --check runs every route that applies, timed, and exits 1 when they disagree beyond the bounds in docs/spectrum.md; --random N does that on N random geometries from --seed. See docs/spectrum.md.

            Examples:
              convmat spectrum --input 8 --kernel 3 --padding 1 --padding-mode circular \\
                  --weights 1,2,1
              convmat spectrum --input 4 --kernel 2 --padding 0:1 \\
                  --padding-mode circular --weights 1,1 --json
              convmat spectrum --input 16x16 --kernel 3 --padding 1 --in-channels 2 \\
                  --out-channels 3 --random-weights 1 --check
              convmat spectrum --input 256x256 --kernel 5 --padding same \\
                  --random-weights 7 --route iterative
              convmat spectrum --input 32x32 --kernel 3 --padding 1 \\
                  --padding-mode circular --random-weights 3 --svg > spectrum.svg
              convmat spectrum --random 200 --seed 1
            """)
    )

    @Option(parsing: .unconditional, help: ArgumentHelp(SizeHelp.input + " Required unless --random.", valueName: "size"))
    var input: String?

    @Option(parsing: .unconditional, help: ArgumentHelp(SizeHelp.kernel + " Required unless --random.", valueName: "size"))
    var kernel: String?

    @OptionGroup var settings: GeometrySettings

    @OptionGroup var weights: WeightOptions

    @Option(
        name: .customLong("random-weights"), parsing: .unconditional,
        help: ArgumentHelp("Instead of --weights: weights uniform in [−1, 1] from this seed (SplitMix64), the same on every machine.", valueName: "seed"))
    var randomWeights: UInt64?

    @Option(help: ArgumentHelp("auto, fourier, dense or iterative (see above).", valueName: "route"))
    var route: String = "auto"

    @Flag(help: "Run every route that applies, print each one's σ_max, σ_min and time, and exit 1 when they disagree beyond the stated bounds.")
    var check = false

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Run --check on this many random geometries instead of one (those of `convmat verify --random`: 1–3 dimensions, channels, groups, strides, dilation, every padding mode, transposed; at most 400 columns), weights drawn from each case's seed; print one line per disagreement with the command that replays it, then the count and the largest differences. At most \(Self.largestSweep).",
            valueName: "n"))
    var random: Int?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("With --random: the seed of the geometries and weights, printed with the result (default 1).", valueName: "n"))
    var seed: UInt64?

    @Flag(name: .customLong("no-times"), help: "With --check: leave out the times, so that the report is the same on every run (for lessons and tests).")
    var noTimes = false

    @Flag(
        help:
            "Print one JSON object: sigma_max, sigma_min, condition (null when σ_min is 0 or unknown), singular_values (fourier and dense routes), and the rest."
    )
    var json = false

    @Flag(
        help:
            "Print an SVG picture instead of the report: the singular values sorted and, for the fourier route, ‖A(f)‖₂ per frequency (the modulus of the kernel's DFT) as an image."
    )
    var svg = false

    @OptionGroup var memory: MemoryOptions

    /// The most cases `--random` sweeps, as for `verify --random`: about a millisecond each in a debug
    /// build under load (5 000 in 6 s), so a million take about twenty minutes.
    static let largestSweep = RandomGeometry.largestSweep

    func validate() throws {
        guard let random else {
            if seed != nil { throw ValidationError("--seed applies only with --random N, whose geometries it draws") }
            if input == nil { throw ValidationError("--input is required (or use --random N)") }
            if kernel == nil { throw ValidationError("--kernel is required (or use --random N)") }
            return
        }
        guard (1...Self.largestSweep).contains(random) else {
            throw ValidationError("--random = \(random) must be between 1 and \(Self.largestSweep)")
        }
        let given =
            [("--input", input != nil), ("--kernel", kernel != nil)].filter(\.1).map(\.0) + settings.changedFlags
            + [("--weights", weights.weights != nil), ("--random-weights", randomWeights != nil), ("--route", route != "auto"), ("--svg", svg)]
            .filter(\.1).map(\.0)
        if let flag = given.first {
            throw ValidationError("\(flag) cannot be combined with --random, which draws its own geometries and weights")
        }
    }

    func run() throws {
        if let random {
            let limit = try memory.limit()
            if !(try sweep(random, seed: seed ?? 1, memoryLimit: limit)) { throw ExitCode(1) }
            return
        }
        guard let input, let kernelSize = kernel else { throw InputError("--input and --kernel are required (or use --random N)") }
        let convolutionOperator = try settings.resolve(input: input, kernel: kernelSize)
        let convolution = convolutionOperator.convolution
        let requested: Spectrum.Route?
        if route == "auto" {
            requested = nil
        } else if let chosen = Spectrum.Route(rawValue: route) {
            requested = chosen
        } else {
            throw InputError("--route = \(route) is not a route; use auto, fourier, dense or iterative")
        }
        if check && requested != nil { throw InputError("--check runs every route that applies; leave out --route") }
        let limit = try memory.limit()
        // Refused before the weights or C exist: the costliest route this run takes, by its sizes.
        let chosen = try Spectrum.choose(requested, for: convolution, memoryLimit: limit)
        let costliest: Spectrum.Route = check && Spectrum.denseRefusal(convolution) == nil ? .dense : chosen
        try memory.check(Spectrum.memoryEstimate(convolution, route: costliest))
        if svg && !check && chosen == .iterative {
            throw InputError(
                "--svg draws every singular value, which the iterative route does not compute; use a smaller C, circular padding at stride 1, or --route dense")
        }
        if noTimes && !check { throw InputError("--no-times applies only with --check, the one report that shows times") }
        if svg && (json || check) { throw InputError("--svg excludes --json and --check; give one") }
        if svg && chosen == .fourier && convolution.inputVolume > SpectrumPicture.frequencyCellLimit {
            throw InputError(
                "--svg draws at most \(SpectrumPicture.frequencyCellLimit) frequencies (64×64) but --input has \(convolution.inputVolume) positions")
        }
        let kernel: Kernel
        switch (try weights.kernel(for: convolutionOperator), randomWeights) {
        case (.some, .some): throw InputError("--weights and --random-weights exclude each other; give one")
        case (.none, .none): throw InputError("--weights or --random-weights is required: the singular values depend on the numbers, e.g. --random-weights 1")
        case (.some(let given), .none): kernel = given
        case (.none, .some(let seed)): kernel = try Self.randomKernel(convolution, seed: seed)
        }
        let progress: (String) -> Void = { printError($0) }
        if check {
            let result = try SpectrumCheck(kernel, memoryLimit: limit, progress: progress)
            emit(json ? Self.json(result, showsTimes: !noTimes) : Self.text(result, showsTimes: !noTimes))
            if !result.agrees { throw ExitCode(1) }
            return
        }
        let spectrum = try Spectrum(kernel, route: chosen, memoryLimit: limit, progress: progress)
        if svg {
            let values = spectrum.singularValues ?? []
            var frequencies: (sizes: [Int], magnitudes: [Double])?
            if chosen == .fourier {
                frequencies = (convolution.inputSize, try FourierSpectrum.perFrequency(kernel).map { $0.max() ?? 0 })
            }
            let caption =
                "C is \(convolution.rowCount)×\(convolution.columnCount), route \(chosen.rawValue): σ_max = \(Self.short(spectrum.sigmaMax)), σ_min = \(spectrum.sigmaMin.map(Self.short) ?? "unknown"), condition \(Self.conditionText(spectrum))"
            emit(SpectrumPicture(values: values, frequencies: frequencies, caption: caption).svg, terminator: "")
            return
        }
        // C⁺ needs the dense SVD with vectors: within auto's cut-off, or when the dense route was asked for.
        let storyFits =
            Spectrum.denseRefusal(convolution) == nil && (chosen == .dense || Spectrum.automaticDenseApplies(convolution))
            && SpectrumStory.memoryEstimate(convolution).totalBytes <= (limit ?? MemoryBudget.defaultLimit)
        let story = try SpectrumStory(kernel, pseudoInverse: storyFits)
        let shape = "\(convolution.rowCount)×\(convolution.columnCount)"
        emit(
            json
                ? Self.json(spectrum, story, shape: (convolution.rowCount, convolution.columnCount))
                : Self.text(spectrum, story, shape: shape, wide: convolution.rowCount < convolution.columnCount))
    }

    /// `--random`: `SpectrumCheck` on `count` geometries of `RandomGeometry.sweep(count:seed:)`, the
    /// weights of each from its case seed as `--random-weights` draws them.
    ///
    /// - Returns: whether every case agreed.
    private func sweep(_ count: Int, seed: UInt64, memoryLimit: Int?) throws -> Bool {
        let progress = SweepProgress(total: count, verb: "checked", linesFrom: 100)
        var failed = [(command: String, problem: String)]()
        var worst = (largest: 0.0, smallest: 0.0, values: 0.0)
        var routes = [Spectrum.Route: Int]()
        for (n, item) in RandomGeometry.sweep(count: count, seed: seed).enumerated() {  // drawn one at a time
            let convolution = item.convolutionOperator.convolution
            let command =
                (["convmat", "spectrum"] + ConvolutionFields(describing: item.convolutionOperator).commandLineArguments + [
                    "--random-weights", "\(item.seed)", "--check",
                ]).joined(separator: " ")
            var problem: String?
            do {
                let check = try SpectrumCheck(try Self.randomKernel(convolution, seed: item.seed), memoryLimit: memoryLimit)
                worst = (
                    max(worst.largest, check.largestDifference), max(worst.smallest, check.smallestDifference), max(worst.values, check.valuesDifference)
                )
                for run in check.runs { routes[run.spectrum.route, default: 0] += 1 }
                if !check.agrees {
                    problem =
                        "σ_max differs by \(Self.short(check.largestDifference))·σ_max, σ_min² by \(Self.short(check.smallestDifference))·σ_max², σ_i by \(Self.short(check.valuesDifference))·σ_max"
                }
            } catch {
                problem = "a route failed: \(error)"
            }
            if let problem {
                failed.append((command, problem))
                if !json {
                    progress.clear()
                    emit("FAIL \(problem) — replay: \(command)")
                }
            }
            progress.update(done: n + 1)
        }
        progress.clear()
        let bounds = (SpectrumCheck.largestBound, SpectrumCheck.smallestBound, SpectrumCheck.valuesBound)
        if json {
            let failures = failed.map { JSONWriting.object([("command", JSONWriting.string($0.command)), ("problem", JSONWriting.string($0.problem))]) }
            emit(
                JSONWriting.object([
                    ("cases", "\(count)"), ("seed", "\(seed)"), ("passed", "\(count - failed.count)"), ("failed", "\(failed.count)"),
                    ("fourier_runs", "\(routes[.fourier, default: 0])"), ("dense_runs", "\(routes[.dense, default: 0])"),
                    ("iterative_runs", "\(routes[.iterative, default: 0])"),
                    ("sigma_max_difference", JSONWriting.number(worst.largest)), ("sigma_min_squared_difference", JSONWriting.number(worst.smallest)),
                    ("singular_values_difference", JSONWriting.number(worst.values)), ("failures", JSONWriting.array(failures)),
                ]))
        } else {
            emit(
                """
                \(count) random geometries (seed \(seed)), routes run: fourier \(routes[.fourier, default: 0]), dense \(routes[.dense, default: 0]), iterative \(routes[.iterative, default: 0])
                largest differences: σ_max \(Self.difference(worst.largest))·σ_max (bound \(formatNumber(bounds.0))), σ_min² \(Self.difference(worst.smallest))·σ_max² (bound \(formatNumber(bounds.1))), every σ_i \(Self.difference(worst.values))·σ_max (bound \(formatNumber(bounds.2)))
                \(count - failed.count) passed, \(failed.count) failed
                """)
        }
        return failed.isEmpty
    }

    /// The kernel `--random-weights seed` gives: weights uniform in [−1, 1] from SplitMix64, in PyTorch's order.
    static func randomKernel(_ convolution: ConvolutionGeometry, seed: UInt64) throws -> Kernel {
        var random = SplitMix64(seed: seed)
        return try Kernel((0..<convolution.weightCount).map { _ in random.signedUnit() }, geometry: convolution)
    }

    /// The report as text: the values, one line reading them, Cᵀ against C⁺, spectral normalisation.
    static func text(_ spectrum: Spectrum, _ story: SpectrumStory, shape: String, wide: Bool) -> String {
        var lines = ["C is \(shape); route: \(spectrum.route.rawValue) (\(routeNote(spectrum)))"]
        lines.append("σ_max = \(short(spectrum.sigmaMax))   (‖C‖₂: no input is stretched more; the layer's Lipschitz constant)")
        lines.append("σ_min = \(spectrum.sigmaMin.map(short) ?? "unknown")")
        lines.append("condition = \(conditionText(spectrum))")
        if let values = spectrum.singularValues {
            let shown =
                values.count <= 24
                ? values.map(short).joined(separator: ", ")
                : (values.prefix(10).map(short) + ["…"] + values.suffix(10).map(short)).joined(separator: ", ") + "   (--json lists all)"
            lines.append("singular values (\(values.count), descending): \(shown)")
        }
        lines.append("reading: \(reading(spectrum, wide: wide))")
        lines.append("")
        lines.append(
            "Cᵀ against C⁺ on one input x (uniform in [−1, 1], seed \(SpectrumStory.inputSeed), ‖x‖ = \(short(story.inputNorm))):")
        lines.append("  ‖x − Cᵀ(C·x)‖ = \(short(story.transposeResidual))   (Cᵀ scales each direction by σ², not 1)")
        if let residual = story.pseudoInverseResidual, let rank = story.rank {
            let why = residual <= 1e-8 * story.inputNorm ? "C⁺C = I: x comes back up to rounding" : "the part of x in C's null space is lost"
            lines.append("  ‖x − C⁺(C·x)‖ = \(short(residual))   (rank \(rank); \(why))")
        } else {
            lines.append("  ‖x − C⁺(C·x)‖: not computed (C is beyond auto's dense cut-off or the memory limit; --route dense computes it up to 4 096 columns)")
        }
        lines.append("")
        let ratio = story.reshapedWeightNorm > 0 ? short(spectrum.sigmaMax / story.reshapedWeightNorm) : "undefined"
        lines.append(
            "spectral normalisation: ‖W‖₂ of the reshaped weight = \(short(story.reshapedWeightNorm)), ‖C‖₂ = \(short(spectrum.sigmaMax)), ratio ‖C‖₂/‖W‖₂ = \(ratio)"
        )
        lines.append("  (dividing by ‖W‖₂, as Miyato et al. 2018 do, leaves the layer's ‖C‖₂ at the ratio, not at 1)")
        return lines.joined(separator: "\n")
    }

    /// The report as one JSON object.
    static func json(_ spectrum: Spectrum, _ story: SpectrumStory, shape: (rows: Int, columns: Int)) -> String {
        var fields: [(String, String)] = [
            ("sigma_max", JSONWriting.number(spectrum.sigmaMax)),
            ("sigma_min", spectrum.sigmaMin.map(JSONWriting.number) ?? "null"),
            ("condition", spectrum.condition.map(JSONWriting.number) ?? "null"),
        ]
        if let values = spectrum.singularValues { fields.append(("singular_values", JSONWriting.numbers(values))) }
        fields += [
            ("route", JSONWriting.string(spectrum.route.rawValue)),
            ("converged", spectrum.converged ? "true" : "false"),
            ("rows", "\(shape.rows)"), ("columns", "\(shape.columns)"),
            ("input_norm", JSONWriting.number(story.inputNorm)),
            ("transpose_residual", JSONWriting.number(story.transposeResidual)),
            ("pseudo_inverse_residual", story.pseudoInverseResidual.map(JSONWriting.number) ?? "null"),
            ("rank", story.rank.map { "\($0)" } ?? "null"),
            ("reshaped_weight_norm", JSONWriting.number(story.reshapedWeightNorm)),
            ("spectral_norm_ratio", story.reshapedWeightNorm > 0 ? JSONWriting.number(spectrum.sigmaMax / story.reshapedWeightNorm) : "null"),
        ]
        return JSONWriting.object(fields)
    }

    /// `--check` as text: one line per route and the verdict.
    static func text(_ check: SpectrumCheck, showsTimes: Bool) -> String {
        var lines = check.runs.map { run in
            let s = run.spectrum
            return
                "\(s.route.rawValue + String(repeating: " ", count: max(0, 9 - s.route.rawValue.count)))  σ_max = \(short(s.sigmaMax))  σ_min = \(s.sigmaMin.map(short) ?? "unknown")\(showsTimes ? "  \(format3(run.seconds)) s" : "")"
        }
        lines.append(
            "largest differences: σ_max \(difference(check.largestDifference))·σ_max (bound \(formatNumber(SpectrumCheck.largestBound))), σ_min² \(difference(check.smallestDifference))·σ_max² (bound \(formatNumber(SpectrumCheck.smallestBound))), every σ_i \(difference(check.valuesDifference))·σ_max (bound \(formatNumber(SpectrumCheck.valuesBound)))"
        )
        for run in check.runs where !run.spectrum.converged {
            lines.append(
                "the iterative route stopped at its step limit with a relative residual bound of \(short(run.spectrum.residualBound)) (clustered extreme singular values): its values are good only to about that"
            )
        }
        lines.append(check.agrees ? "the routes agree" : "the routes DISAGREE beyond the bounds")
        return lines.joined(separator: "\n")
    }

    /// `--check` as JSON.
    static func json(_ check: SpectrumCheck, showsTimes: Bool) -> String {
        let runs = check.runs.map { run in
            JSONWriting.object(
                [
                    ("route", JSONWriting.string(run.spectrum.route.rawValue)),
                    ("sigma_max", JSONWriting.number(run.spectrum.sigmaMax)),
                    ("sigma_min", run.spectrum.sigmaMin.map(JSONWriting.number) ?? "null"),
                ] + (showsTimes ? [("seconds", JSONWriting.number(run.seconds))] : []))
        }
        return JSONWriting.object([
            ("routes", JSONWriting.array(runs)),
            ("sigma_max_difference", JSONWriting.number(check.largestDifference)),
            ("sigma_min_squared_difference", JSONWriting.number(check.smallestDifference)),
            ("singular_values_difference", JSONWriting.number(check.valuesDifference)),
            ("agree", check.agrees ? "true" : "false"),
        ])
    }

    /// A relative difference for reading: below 10⁻¹² it is rounding, whose last digits differ between
    /// LAPACK builds, so only the bound is printed (`--json` has the number).
    static func difference(_ value: Double) -> String { value < 1e-12 ? "< 1e-12" : short(value) }

    /// Seconds with three decimals.
    static func format3(_ seconds: Double) -> String {
        let thousandths = Int((seconds * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }

    /// What the route means, in a few words.
    static func routeNote(_ spectrum: Spectrum) -> String {
        switch spectrum.route {
        case .fourier: return "exact: C is circulant, the DFT diagonalises it"
        case .dense: return "exact: LAPACK's SVD of C written out"
        case .iterative:
            let accuracy =
                spectrum.converged
                ? "residual below 1e-11"
                : "NOT converged at the step limit: relative residual bound \(short(spectrum.residualBound)), the values may be off by that much"
            let shifts =
                spectrum.factorizations > 1
                ? ", \(spectrum.factorizations) factorizations (shift-and-invert, the shift moving towards clustered extreme values)" : ""
            return "Lanczos, \(spectrum.largestSteps) steps for σ_max, \(spectrum.smallestSteps) for σ_min\(shifts); \(accuracy)"
        }
    }

    /// The condition number as text.
    static func conditionText(_ spectrum: Spectrum) -> String {
        guard let condition = spectrum.condition else { return spectrum.sigmaMin == nil ? "unknown" : "undefined (C = 0)" }
        if !condition.isFinite { return "∞ (σ_min = 0)" }
        guard condition > spectrum.singularCondition else { return short(condition) }
        return spectrum.route == .iterative
            ? "\(short(condition)) (σ_min is 0 within what the iterative route can resolve, through CᵀC: C is singular to this precision; --route dense tells more)"
            : "\(short(condition)) (σ_min is 0 up to rounding: C is singular)"
    }

    /// `value` to 7 significant digits, for reading (the JSON keeps every digit).
    static func short(_ value: Double) -> String {
        guard value.isFinite, value != 0 else { return formatNumber(value) }
        let exponent = Int(log10(abs(value)).rounded(.down))
        if abs(exponent) > 20 {
            // Far from 1 the power of ten is inexact: round the mantissa and write the exponent.
            return "\(short(value / pow(10, Double(exponent))))e\(exponent)"
        }
        let digits = 6 - exponent
        // Dividing a whole number by an exact power of ten gives the double nearest the decimal,
        // whose shortest text is that decimal.
        let power = pow(10, Double(abs(digits)))
        return formatNumber(digits >= 0 ? (value * power).rounded() / power : (value / power).rounded() * power)
    }

    /// One line on what the numbers mean; `wide` when C has fewer rows than columns.
    static func reading(_ spectrum: Spectrum, wide: Bool) -> String {
        guard let condition = spectrum.condition else {
            return spectrum.sigmaMin == nil ? "σ_min is unknown" : "C is zero"
        }
        if wide {
            let growth =
                !condition.isFinite || condition > spectrum.singularCondition
                ? "and C is singular even there (σ_min ≈ 0)" : "errors in y grow by up to κ = \(short(condition)) in the part that can be recovered"
            return "C has fewer rows than columns, so some inputs give C·x = 0 and no deconvolution can recover x, only its part in C's row space; \(growth)"
        }
        if !condition.isFinite || condition > spectrum.singularCondition {
            return "C is singular (σ_min ≈ 0): some inputs vanish in C·x, so x cannot be recovered from y, only its part in C's row space"
        }
        let digits = Int(condition.isFinite ? Swift.max(0, log10(condition).rounded(.up)) : 0)
        return
            "deconvolving y = C·x can amplify errors in y by up to κ = \(short(condition)), about \(digits) decimal digit\(digits == 1 ? "" : "s") lost"
    }
}
