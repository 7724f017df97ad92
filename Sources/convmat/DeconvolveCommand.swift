import ArgumentParser
import ConvMatrix

#if canImport(Glibc)
    import Glibc
#endif

/// `convmat deconvolve`: blur a known x with C, then recover it by deconvolution and by Cᵀ, side by side.
struct DeconvolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deconvolve",
        abstract: "Recover x from y = C·x by deconvolution (CHOLMOD) and compare with the transposed convolution Cᵀy.",
        discussion: reflowed(
            """
            Deconvolution solves min ‖C·x − y‖² + λ‖x‖², i.e. (CᵀC + λI)·x̂ = Cᵀy, with one sparse Cholesky factorization (CHOLMOD); the transposed convolution only computes Cᵀy. A known x is blurred, y = C·x, then recovered both ways, and ‖x − x̂‖ is printed beside ‖x − Cᵀy‖. x is the generated test image (default), a PGM/PPM image (--image), or a case file (the case subcommand). See docs/deconvolution.md.

            Examples:
              convmat deconvolve --input 64x64 --kernel 5 --padding same \\
                  --kernel-preset gaussian
              convmat deconvolve --input 7 --kernel 2 --stride 3 --weights 1,1
              convmat deconvolve --input 256x256 --kernel 5 --padding same \\
                  --kernel-preset gaussian5 --lambda 1e-3
              convmat deconvolve --input 480x640 --kernel 3 --padding same \\
                  --kernel-preset box --image photo.pgm --output out
              convmat deconvolve case blur.json --lambda 0
            """),
        subcommands: [DeconvolveImageCommand.self, DeconvolveCaseCommand.self],
        defaultSubcommand: DeconvolveImageCommand.self
    )
}

/// `convmat deconvolve image`: x is the test image or a PGM/PPM file; the geometry comes from the flags.
struct DeconvolveImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Deconvolve the generated test image (checkerboard with a disc) or a PGM/PPM image (the default subcommand).",
        discussion: reflowed(
            """
            x is the test image of size --input (any number of dimensions, every channel the same), or --image FILE (its rows×columns must equal --input, its channels --in-channels: 1 for PGM, 3 for PPM). With --blurred the image is y itself, already blurred (its size is the convolution's output size); x is then unknown and only the residuals are compared. The kernel is --weights (PyTorch order) or --kernel-preset (box, gaussian, box3, gaussian5, …, blurring each channel by itself).

            Examples:
              convmat deconvolve image --input 64x64 --kernel 5 --padding same \\
                  --kernel-preset gaussian
              convmat deconvolve image --input 64x64 --kernel 3 --padding 2 \\
                  --lambda 0 --weights 0.05,0.1,0.05,0.1,1,0.1,0.05,0.1,0.05
              convmat deconvolve image --input 480x640 --kernel 3 --padding same \\
                  --kernel-preset box --image photo.pgm --output out
              convmat deconvolve image --input 64x64 --kernel 5 --padding same \\
                  --kernel-preset gaussian --image out/blurred.pgm --blurred \\
                  --lambda 1e-4
            """)
    )

    @OptionGroup var geometry: GeometryOptions

    @OptionGroup var weights: WeightOptions

    @Option(
        name: .customLong("kernel-preset"),
        help: ArgumentHelp("A blur by name: box or gaussian (size from --kernel), or box3, box5, gaussian3, gaussian5, ….", valueName: "name"))
    var preset: String?

    @Option(help: ArgumentHelp("A PGM or PPM image to use as x instead of the generated test image.", valueName: "file"))
    var image: String?

    @Flag(
        help:
            "The --image is y, already blurred by this convolution (x unknown): its size must be the convolution's output size and its channels --out-channels."
    )
    var blurred = false

    @OptionGroup var solver: DeconvolutionOptions

    func run() throws {
        let convolutionOperator = try geometry.resolve()
        if convolutionOperator.isTransposed {
            throw InputError("--transposed: deconvolve inverts a convolution y = C·x; describe that convolution (without --transposed)")
        }
        let convolution = convolutionOperator.convolution
        // Refused before the kernel's weights, an image or C are made: too many unknowns, or more
        // memory than allowed (or than the machine has, whatever --max-memory says).
        try solver.preflight(convolution, samples: 1)
        let kernel: Kernel
        let kernelName: String
        switch (weights.weights, preset) {
        case (.some, .some):
            throw InputError("--weights and --kernel-preset exclude each other; give one")
        case (.none, .none):
            throw InputError("--weights or --kernel-preset is required, e.g. --kernel-preset gaussian")
        case (.some, .none):
            guard let parsed = try weights.kernel(for: convolutionOperator) else { throw InputError("--weights is empty") }
            kernel = parsed
            kernelName = "--weights"
        case (.none, .some(let name)):
            let blur = try BlurKernel(name: name)
            kernel = try blur.kernel(for: convolution)
            kernelName = "\(blur.family.rawValue) blur"
        }
        guard let image else {
            if blurred { throw InputError("--blurred needs --image: the generated test image is the clean x") }
            let clean = TestImage.checkerboardWithDisc(size: convolution.inputSize, channels: convolution.inChannels)
            try solver.deconvolve(clean: DenseMatrix(column: clean), kernel: kernel, kernelName: kernelName)
            return
        }
        let picture = try PortableAnymap(bytes: FileInput.bytes(atPath: image), name: image)
        let (size, channels, sizeFlag, channelFlag) =
            blurred
            ? (convolution.outputSize, convolution.outChannels, "the convolution's output size", "--out-channels")
            : (convolution.inputSize, convolution.inChannels, "--input", "--in-channels")
        guard size == [picture.height, picture.width] else {
            let advice =
                blurred
                ? "choose --input and --padding so that the output is \(picture.height)x\(picture.width) (e.g. --padding same)"
                : "use --input \(picture.height)x\(picture.width)"
            throw InputError("\(sizeFlag) = \(formatSize(size)) but \(image) is \(picture.height) rows × \(picture.width) columns; \(advice)")
        }
        guard channels == picture.channels else {
            throw InputError(
                "\(channelFlag) = \(channels) but \(image) has \(picture.channels) channel\(picture.channels == 1 ? "" : "s"); use \(channelFlag) \(picture.channels)"
            )
        }
        let data = DenseMatrix(column: picture.values)
        if blurred {
            try solver.deconvolve(blurred: data, kernel: kernel, kernelName: kernelName)
        } else {
            try solver.deconvolve(clean: data, kernel: kernel, kernelName: kernelName)
        }
    }
}

/// `convmat deconvolve case`: x is the input of a conv case file.
struct DeconvolveCaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Deconvolve a conv case (docs/case-format.md): its input is the clean x, its weight the kernel.",
        discussion: reflowed(
            """
            The case must have "op": "conv". ConvMatrix computes y = C·x for every sample of the batch, recovers x̂ with one factorization, and compares x̂ and Cᵀy with the case's input.

            Examples:
              convmat deconvolve case blur.json
              convmat deconvolve case blur.json --lambda 0 --output out
            """)
    )

    @Argument(help: "The case file, or - for standard input.")
    var file: String

    @OptionGroup var solver: DeconvolutionOptions

    func run() throws {
        let problem = try solver.memory.readCase(file)
        guard problem.operation == .conv else {
            throw InputError("op = \"\(problem.operation.rawValue)\": deconvolve needs a \"conv\" case, whose input is the x to blur and recover")
        }
        try solver.deconvolve(clean: problem.operand, kernel: problem.kernel, kernelName: "the case's weight")
    }
}

/// The flags shared by both forms: λ, the ordering and where to write images.
struct DeconvolutionOptions: ParsableArguments {
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Regularization weight λ ≥ 0 in min ‖C·x − y‖² + λ‖x‖². Default: 1e-6 × the largest diagonal entry of CᵀC. 0 needs C of full column rank.",
            valueName: "λ"))
    var lambda: String?

    @Option(help: ArgumentHelp("Fill-reducing ordering: automatic (CHOLMOD's choice), amd, metis, nesdis or natural.", valueName: "name"))
    var ordering: FillReducingOrdering = .automatic

    @Option(
        help: ArgumentHelp(
            "Folder to write clean.pgm (when x is known), blurred.pgm, recovered.pgm and transposed.pgm into (channels and samples stacked vertically, one grey scale: the range of x, or of y when x is unknown). It must be new or hold only an earlier set of these images, which is replaced whole.",
            valueName: "dir"))
    var output: String?

    @Flag(help: "Factorize even when x has more than 262144 unknowns (a 512×512 image), which can take many minutes.")
    var force = false

    @Flag(name: .customLong("no-times"), help: "Leave out the timing line, so that the report is the same on every run (for lessons and tests).")
    var noTimes = false

    @OptionGroup var memory: MemoryOptions

    @OptionGroup var threads: ThreadOptions

    /// Blurs `clean`, recovers it both ways, prints the report and writes the images.
    func deconvolve(clean: DenseMatrix, kernel: Kernel, kernelName: String) throws {
        try deconvolve(kernel: kernel, kernelName: kernelName, samples: clean.columnCount) { deconvolution throws(DeconvolutionError) in
            try DeconvolutionComparison(clean: clean, deconvolution: deconvolution)
        }
    }

    /// Recovers the unknown x of `blurred` both ways, prints the report and writes the images.
    func deconvolve(blurred: DenseMatrix, kernel: Kernel, kernelName: String) throws {
        try deconvolve(kernel: kernel, kernelName: kernelName, samples: blurred.columnCount) { deconvolution throws(DeconvolutionError) in
            try DeconvolutionComparison(blurred: blurred, deconvolution: deconvolution)
        }
    }

    private func deconvolve(
        kernel: Kernel, kernelName: String, samples: Int,
        compare: (Deconvolution) throws(DeconvolutionError) -> DeconvolutionComparison
    ) throws {
        let chosenLambda = try lambda.map { text throws(GeometryError) in try FieldSyntax.number(text, field: "lambda") }
        // Refuse before any work: an output directory that cannot be written, or a system
        // whose factorization would run for many minutes.
        let images = try output.map { directory throws(FileError) in try FileSet(directory: directory, names: Self.imageNames) }
        try preflight(kernel.geometry, samples: samples)
        let unknowns = kernel.geometry.columnCount
        if unknowns > Self.progressAbove { printError("deconvolve: factorizing CᵀC + λI for \(unknowns) unknowns…") }
        let deconvolution = try Deconvolution(
            kernel: kernel, lambda: chosenLambda, ordering: ordering, memoryLimit: memory.limit() ?? MemoryBudget.defaultLimit,
            samples: samples)
        if memory.showMemory { memory.report(deconvolution.memoryEstimate) }
        let comparison = try compare(deconvolution)
        emit("\(DeconvolutionReport(deconvolution: deconvolution, comparison: comparison, kernelName: kernelName, showsTimes: !noTimes))")
        emit(try Self.conditionLine(kernel, memoryLimit: memory.limit()))
        if let images { try write(comparison, geometry: kernel.geometry, into: images) }
    }

    /// Refuses, before anything is made or read, a deconvolution with more unknowns than
    /// `unknownsLimit` (without --force) or whose memory estimate exceeds --max-memory.
    func preflight(_ geometry: ConvolutionGeometry, samples: Int) throws {
        let unknowns = geometry.columnCount
        if unknowns > Self.unknownsLimit && !force {
            throw InputError(
                "x has \(unknowns) unknowns; factorizing CᵀC + λI for more than \(Self.unknownsLimit) can take many minutes (256×256 takes about 2 s, 2000×2000 over 7 min); use a smaller image, or --force"
            )
        }
        let estimate = Deconvolution.memoryEstimate(for: geometry, samples: samples)
        try memory.check(estimate)
        try threads.apply(rows: geometry.rowCount, samples: samples, beside: estimate, memory: memory)
    }

    /// C's condition number κ = σ_max/σ_min beside the result, when an exact route is cheap: the DFT
    /// (circular padding at stride 1) or the dense SVD of a C with at most `conditionColumnLimit`
    /// columns; otherwise the `convmat spectrum` command that computes it.
    static func conditionLine(_ kernel: Kernel, memoryLimit: Int?) throws -> String {
        let geometry = kernel.geometry
        let route = try Spectrum.choose(nil, for: geometry, memoryLimit: memoryLimit)
        guard route == .fourier || (route == .dense && min(geometry.rowCount, geometry.columnCount) <= conditionColumnLimit) else {
            return
                "condition of C: not computed here for \(geometry.rowCount)×\(geometry.columnCount) (`convmat spectrum … --route iterative` gives σ_max and σ_min)"
        }
        let spectrum = try Spectrum(kernel, route: route, memoryLimit: memoryLimit)
        let short = SpectrumCommand.short
        let sigmas = "σ_max = \(short(spectrum.sigmaMax)), σ_min = \(spectrum.sigmaMin.map(short) ?? "?"), \(route.rawValue)"
        guard let condition = spectrum.condition else { return "condition of C: undefined (\(sigmas))" }
        if geometry.rowCount < geometry.columnCount {
            return
                "condition of C: ∞ for recovering x: C has fewer rows (\(geometry.rowCount)) than columns (\(geometry.columnCount)), so C·x = y has many solutions; σ_max/σ_min = \(short(condition)) over its \(geometry.rowCount) singular values (\(sigmas))"
        }
        guard condition.isFinite && condition < spectrum.singularCondition else {
            return "condition of C: ∞ (\(sigmas)): C is singular, some x vanish in y; only λ > 0 gives an answer, the smallest-norm one"
        }
        return "condition of C: κ = σ_max/σ_min = \(short(condition)) (\(sigmas)): errors in y can grow up to κ times in x̂"
    }

    /// The most columns for which deconvolve computes κ by the dense SVD (a fraction of a second).
    static let conditionColumnLimit = 1024

    /// The most unknowns factorized without --force (a 512×512 image: about 20 s).
    static let unknownsLimit = 262_144
    /// Above this many unknowns the factorization says on standard error that it started.
    static let progressAbove = 65_536

    /// The files a set of images may hold; a folder with anything else is refused rather than mixed into.
    static let imageNames: Set<String> = ["clean.pgm", "blurred.pgm", "recovered.pgm", "transposed.pgm"]

    private func write(_ comparison: DeconvolutionComparison, geometry: ConvolutionGeometry, into set: FileSet) throws(FileError) {
        let reference = comparison.clean ?? comparison.blurred
        let low = reference.values.min() ?? 0
        let high = reference.values.max() ?? 1
        var images: [(String, DenseMatrix, [Int])] = [
            ("blurred", comparison.blurred, geometry.outputSize),
            ("recovered", comparison.recovered, geometry.inputSize),
            ("transposed", comparison.transposed, geometry.inputSize),
        ]
        if let clean = comparison.clean { images.insert(("clean", clean, geometry.inputSize), at: 0) }
        for (name, data, spatial) in images {
            let width = spatial.last ?? 1
            let picture = PortableAnymap(height: data.values.count / width, width: width, values: data.values)
            try set.write("\(name).pgm", bytes: picture.pgm(low: low, high: high))
        }
        try set.commit()
        for path in set.paths { emit("wrote \(path)") }
    }
}
