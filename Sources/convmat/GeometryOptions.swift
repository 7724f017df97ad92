import ArgumentParser
import ConvMatrix

#if canImport(Glibc)
    import Glibc
#endif

/// The help of the size flags, shared by every command that takes them.
enum SizeHelp {
    static let input = "Spatial input size, e.g. 4x4, 5 or 3x4x4. With --transposed: the transposed convolution's (small) input."
    static let kernel = "Kernel size, e.g. 3x3 or 3 (the same in every dimension)."
}

/// The flags that describe a convolution or, with `--transposed`, a transposed convolution.
struct GeometryOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp(SizeHelp.input, valueName: "size"))
    var input: String

    @Option(parsing: .unconditional, help: ArgumentHelp(SizeHelp.kernel, valueName: "size"))
    var kernel: String

    @OptionGroup var settings: GeometrySettings

    /// The described operation, checked.
    func resolve() throws(GeometryError) -> ConvolutionOperator {
        try settings.resolve(input: input, kernel: kernel)
    }
}

/// Every geometry flag except the sizes, for commands (like `verify --random`) where
/// `--input` and `--kernel` are optional.
struct GeometrySettings: ParsableArguments {
    @Option(
        parsing: .unconditional, help: ArgumentHelp("Stride, e.g. 2 or 2x1 (default 1; with --pool the kernel size, as PyTorch has it).", valueName: "size"))
    var stride: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Padding: 1, 1x0, before:after per dimension like 0:1x0:1, same (TensorFlow rule: odd extra at the end) or valid.", valueName: "padding"))
    var padding: String = "0"

    @Option(
        name: .customLong("padding-mode"), parsing: .unconditional,
        help: ArgumentHelp(
            "What fills the padding, as PyTorch's padding_mode: zeros, reflect (each padding below the input's size), replicate or circular (each padding at most the input's size). Copies make entries of C sums of taps. With --transposed: Cᵀ of that convolution, its input gradient (PyTorch's ConvTranspose takes only zeros).",
            valueName: "mode"))
    var paddingMode: String = "zeros"

    @Option(parsing: .unconditional, help: ArgumentHelp("Dilation (spacing of kernel taps), e.g. 2.", valueName: "size"))
    var dilation: String = "1"

    @Option(name: .customLong("in-channels"), parsing: .unconditional, help: "Input channels (with --transposed: the transposed convolution's own).")
    var inChannels: Int = 1

    @Option(name: .customLong("out-channels"), parsing: .unconditional, help: "Output channels (with --transposed: the transposed convolution's own).")
    var outChannels: Int = 1

    @Option(parsing: .unconditional, help: "Channel groups; both channel counts must be divisible by it.")
    var groups: Int = 1

    @Option(
        name: .customLong("output-padding"), parsing: .unconditional,
        help: ArgumentHelp("With --transposed: PyTorch's output_padding, each smaller than max(stride, dilation).", valueName: "size"))
    var outputPadding: String?

    @Option(
        name: .customLong("output-size"), parsing: .unconditional,
        help: ArgumentHelp(
            "With --transposed: the wanted output size instead of --output-padding. With numeric --padding it follows PyTorch's output_size (natural size … natural size + stride − 1); with same or valid TensorFlow's output_shape (sizes whose convolution with that padding gives --input back). `convmat shape --transposed` lists both sets.",
            valueName: "size"))
    var outputSize: String?

    @Flag(help: "Describe a transposed convolution (PyTorch ConvTranspose semantics); the matrix shown is Cᵀ.")
    var transposed = false

    /// The flags among these that differ from their defaults, by name.
    var changedFlags: [String] {
        [
            ("--stride", stride != nil), ("--padding", padding != "0"), ("--padding-mode", paddingMode != "zeros"), ("--dilation", dilation != "1"),
            ("--in-channels", inChannels != 1), ("--out-channels", outChannels != 1), ("--groups", groups != 1),
            ("--output-padding", outputPadding != nil), ("--output-size", outputSize != nil), ("--transposed", transposed),
        ]
        .filter(\.1).map(\.0)
    }

    /// The fields these flags (and the given sizes) spell, read by the one field codec.
    func fields(input: String, kernel: String) throws(GeometryError) -> ConvolutionFields {
        var texts = [
            "input": input, "kernel": kernel, "stride": stride ?? "1", "padding": padding, "padding_mode": paddingMode, "dilation": dilation,
            "in_channels": "\(inChannels)", "out_channels": "\(outChannels)", "groups": "\(groups)",
            "transposed": transposed ? "true" : "false",
        ]
        texts["output_padding"] = outputPadding
        texts["output_size"] = outputSize
        return try FieldCodec.decode(defaults: ConvolutionFields(input: [], kernel: [])) { texts[$0] }
    }

    /// The pooling layer these settings describe for the given sizes: the stride is the kernel size unless given.
    func pooling(input: String, kernel: String, ceilMode: Bool) throws(GeometryError) -> PoolingGeometry {
        let stride = try self.stride.map { text throws(GeometryError) in try FieldSyntax.sizes(text, field: "stride") }
        return try PoolingGeometry(fields(input: input, kernel: kernel), stride: stride, ceilMode: ceilMode)
    }

    /// The operation these settings describe for the given sizes, checked.
    func resolve(input: String, kernel: String) throws(GeometryError) -> ConvolutionOperator {
        try ConvolutionOperator(fields(input: input, kernel: kernel))
    }
}

/// `--pool`, `--ceil-mode` and `--values`: a pooling layer instead of a convolution.
struct PoolOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A pooling layer instead of a convolution (Dumoulin & Visin's pooling arithmetic): avg (its matrix A, weights 1/|window|) or max (the 0/1 selection S(x) at --values). --stride defaults to the kernel size, --in-channels counts the channels, which never mix.",
            valueName: "avg|max"))
    var pool: PoolingMatrix.Kind?

    @Flag(
        name: .customLong("ceil-mode"),
        help: "With --pool: PyTorch's ceil_mode (round the output size up; the last window must start inside the input or its left padding).")
    var ceilMode = false

    /// The layer, when --pool is given; `--ceil-mode` alone is refused.
    func geometry(_ settings: GeometrySettings, input: String, kernel: String) throws -> PoolingGeometry? {
        guard pool != nil else {
            if ceilMode { throw InputError("--ceil-mode applies only with --pool") }
            return nil
        }
        return try settings.pooling(input: input, kernel: kernel, ceilMode: ceilMode)
    }
}

/// `--values`: the input x of an operation, comma-separated.
struct ValueOptions: ParsableArguments {
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Input values x, comma-separated, [channels, spatial…] row-major: the input max pooling selects from (--pool max), the entries of X (matrix --of weights; several samples one after another), the input a picture writes into its cells (draw), or the input shape prints with its padding filled in.",
            valueName: "values"))
    var values: String?

    /// The numbers, or nil.
    func numbers() throws(GeometryError) -> [Double]? {
        try values.map { text throws(GeometryError) in try FieldSyntax.numbers(text, field: "values") }
    }
}

/// `--max-memory`: the guard against work that would not fit into memory.
struct MemoryOptions: ParsableArguments {
    @Option(
        name: .customLong("max-memory"), parsing: .unconditional,
        help: ArgumentHelp(
            "Refuse work whose matrix and vectors would need more memory, e.g. 512M or 4G (default: half of physical memory).", valueName: "size"))
    var maxMemory: String?

    @Flag(name: .customLong("show-memory"), help: "Say on standard error how much memory the work is estimated to need, part by part, before it starts.")
    var showMemory = false

    /// The limit in bytes, or nil for the default.
    func limit() throws(GeometryError) -> Int? {
        try maxMemory.map { text throws(GeometryError) in try MemoryBudget.parse(text) }
    }

    /// Refuses, before anything is allocated, a convolution whose C and `samples`-column
    /// products would need more than the limit.
    func check(_ geometry: ConvolutionGeometry, samples: Int = 1) throws(GeometryError) {
        try check(MemoryEstimate(geometry, samples: samples))
    }

    /// Refuses, before anything is allocated, work whose estimated peak exceeds the limit.
    func check(_ estimate: MemoryEstimate) throws(GeometryError) {
        if showMemory { report(estimate) }
        _ = try MemoryBudget.check(estimate, limit: limit())
    }

    /// With --show-memory, one line on standard error: the estimate in bytes and its parts.
    func report(_ estimate: MemoryEstimate) {
        printError(
            "memory estimate: \(estimate.totalBytes) bytes (\(MemoryBudget.formatBytes(estimate.totalBytes)): \(estimate.itemised), and the program itself)")
    }
}

/// `--threads`: how many threads the products with C use, declared once for every command that multiplies.
///
/// Without it the library's default applies: the environment variable `CONVMAT_THREADS`, else the
/// processors this process may run on (`SparseMatrix.defaultThreadCount`). Each thread beyond the first
/// keeps partial results of C·x, which the memory guard counts: where they would not fit under
/// --max-memory the command uses fewer threads instead of refusing.
struct ThreadOptions: ParsableArguments {
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Threads for the products with C, 1 to 1024 (default: $CONVMAT_THREADS, else the processors this process may run on). With 1, results are CHOLMOD's to the last bit; Cᵀ·y is on any number.",
            valueName: "n"))
    var threads: Int?

    func validate() throws {
        if let threads, !(1...ProductThreads.maximum).contains(threads) {
            throw ValidationError("--threads = \(threads) must be a whole number from 1 to \(ProductThreads.maximum)")
        }
        if threads == nil, let text = getenv(ProductThreads.environmentVariable).map({ String(cString: $0) }), !text.isEmpty,
            ProductThreads.count(text) == nil
        {
            throw ValidationError(
                "\(ProductThreads.environmentVariable) = \"\(escapingControlCharacters(text))\" must be a whole number from 1 to \(ProductThreads.maximum), or unset"
            )
        }
    }

    /// The threads asked for: --threads, else the library's default.
    var requested: Int { threads ?? SparseMatrix.defaultThreadCount }

    /// Makes the products of this process use as many of the requested threads as fit under the
    /// memory limit beside `estimate` (C·X with `rows` rows and `samples` columns keeps partial results
    /// per thread), and says so on standard error with --show-memory.
    ///
    /// - Returns: the thread count chosen.
    @discardableResult
    func apply(rows: Int, samples: Int, beside estimate: MemoryEstimate, memory: MemoryOptions) throws -> Int {
        let chosen = MemoryBudget.productThreads(requested, rows: rows, samples: samples, beside: estimate, limit: try memory.limit())
        SparseMatrix.defaultThreadCount = chosen
        if memory.showMemory && chosen > 1 {
            let part = MemoryEstimate.partialResults(rows: rows, samples: samples, threads: chosen)
            printError("memory for threads: \(part.name) \(MemoryBudget.formatBytes(part.bytes)) beside the estimate")
        }
        if chosen < requested {
            printError("note: \(chosen) thread\(chosen == 1 ? "" : "s") instead of \(requested): more would not fit under the memory limit")
        }
        return chosen
    }
}

/// `--weights`: the kernel's values, declared once for every command that takes them.
struct WeightOptions: ParsableArguments {
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Kernel values, comma-separated, PyTorch order [C_out, C_in/groups, k…] (with --transposed: ConvTranspose's [C_in, C_out/groups, k…], the same array), row-major. Without it the entries are symbolic.",
            valueName: "values"))
    var weights: String?

    /// The kernel of `convolutionOperator`'s C, or nil when no weights were given.
    func kernel(for convolutionOperator: ConvolutionOperator) throws(GeometryError) -> Kernel? {
        guard let weights else { return nil }
        return try Kernel(FieldSyntax.numbers(weights, field: "weights"), geometry: convolutionOperator.convolution)
    }
}

extension MatrixPrinter.Format: ExpressibleByArgument {}
extension MatrixOrder: ExpressibleByArgument {}
extension PoolingMatrix.Kind: ExpressibleByArgument {}
extension ConvolutionPicture.Kind: ExpressibleByArgument {}
extension Figure.Format: ExpressibleByArgument {}
extension Difficulty: ExpressibleByArgument {}
extension FillReducingOrdering: ExpressibleByArgument {}
extension ConvolutionCase.Layout: ExpressibleByArgument {}
