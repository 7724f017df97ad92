import ArgumentParser
import ConvMatrix

#if canImport(Glibc)
    import Glibc
#endif

/// `convmat cases`: write random case files with their expected outputs.
struct CasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "Write random case files (the format of convmat run) with the output convmat run prints for each.",
        discussion: reflowed(
            """
            Writes DIR/case-0001.json … DIR/case-N.json: each a case document (docs/case-format.md) plus "expected", the output tensor `convmat run` prints for it (convmat run ignores that key). The same N and seed always give the same files byte for byte, and case i does not depend on N. DIR must be new or hold only an earlier set of case files, which is replaced whole; the new set appears only when every case is written.

            Each case draws its operation and spatial rank first, evenly from --op/--ops and --dims, then a geometry of that kind. What the defaults draw: conv, conv_transpose, conv_input_grad and conv_weight_grad (the gradient of the weights, through X = im2col of the input: Xᵀ·g); 1-D, 2-D and 3-D (--dims 1 … 6 can be asked for); kernels 1–3; stride and dilation 1–3; padding of 0–2 the same on both sides or as [before, after] pairs (TensorFlow's explicit list in 2-D), and same/valid (PyTorch's "same" at stride 1, in about 10 % of a pytorch set; an odd total of padding puts its extra zero at the end, as in TensorFlow's SAME); PyTorch's padding_mode (reflect, replicate or circular on about half of the padded pytorch conv, conv_input_grad and conv_weight_grad cases, each mode in about 6 % of a pytorch set); groups, with up to 4 channels so that a group holds several; output_padding up to max(stride, dilation) − 1 and TensorFlow output_shape anywhere in its valid range; batches of 1–2; extents up to 16, so outputs wider than 8, and at most 16² positions per tensor; a bias on half of the conv and conv_transpose cases. Half the cases hold multiples of 1/4, so every result is exact; the other half hold real numbers and carry "expected.tolerance", per element the rounding error a correct Float64 implementation may make in any order of summation (Float32 arithmetic exceeds it).

            Each flag narrows the draw to what an implementation supports. Settings that cannot give a case are refused, naming the flag.

            Examples:
              convmat cases --random 20 --seed 1 --output cases
              convmat cases --random 50 --seed 7 --layout tensorflow --dims 2 \\
                  --op conv_transpose --output tf
              convmat cases --random 20 --op conv --padding-modes reflect,circular \\
                  --output padded
              convmat cases --random 50 --ops conv,conv_weight_grad \\
                  --output forward-and-weights
              convmat cases --random 100 --dims 2 --max-dilation 1 --groups off \\
                  --padding-modes zeros --output plain
              convmat cases --random 100 --data dyadic --bias off --output exact
            """)
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("Number of cases to write (1 … \(CaseGenerator.countLimit)).", valueName: "n"))
    var random: Int

    @Option(parsing: .unconditional, help: "Seed of the pseudo-random numbers (0 … 2^64 − 1).")
    var seed: String = "1"

    @Option(help: ArgumentHelp("The folder to write the cases into.", valueName: "directory"))
    var output: String

    @Option(help: ArgumentHelp("conv, conv_transpose, conv_input_grad, conv_weight_grad or all.", valueName: "op"))
    var op: Operations = .all

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("A list of operations to draw from instead of --op, e.g. conv,conv_weight_grad.", valueName: "ops"))
    var ops: String?

    /// The operations `--op` chooses from.
    enum Operations: String, CaseIterable, ExpressibleByArgument {
        case conv, convTranspose = "conv_transpose", convInputGrad = "conv_input_grad", convWeightGrad = "conv_weight_grad", all
    }

    @Option(help: "pytorch or tensorflow.")
    var layout: ConvolutionCase.Layout = .pytorch

    @Option(parsing: .unconditional, help: ArgumentHelp("Spatial ranks to draw from, e.g. 1,2,3 or 2.", valueName: "ranks"))
    var dims: String = "1,2,3"

    @Option(
        name: .customLong("max-size"), parsing: .unconditional,
        help: "Largest spatial extent of any tensor, padding included (1 … 64); a tensor has at most its square of positions.")
    var maxSize: Int = CaseGenerator().maxSize

    @Option(name: .customLong("max-channels"), parsing: .unconditional, help: "Largest channel count (1 … 16).")
    var maxChannels: Int = CaseGenerator().maxChannels

    @Option(name: .customLong("max-work"), parsing: .unconditional, help: "Most multiply-adds per case: nonzeros of C times the batch size.")
    var maxWork: Int = CaseGenerator().maxWork

    @Option(
        name: .customLong("padding-modes"), parsing: .unconditional,
        help: ArgumentHelp(
            "PyTorch padding modes to draw for conv, conv_input_grad and conv_weight_grad, e.g. zeros or reflect,circular (conv_transpose and the tensorflow layout always take zeros).",
            valueName: "modes"))
    var paddingModes: String = "zeros,reflect,replicate,circular"

    @Option(help: ArgumentHelp("on: half of the conv and conv_transpose cases carry a bias; off: none do.", valueName: "on|off"))
    var bias: Switch = .on

    @Option(name: .customLong("max-stride"), parsing: .unconditional, help: "Largest stride (1 … 8).")
    var maxStride: Int = 3

    @Option(name: .customLong("max-dilation"), parsing: .unconditional, help: "Largest dilation (1 … 8; 1 draws no dilation).")
    var maxDilation: Int = 3

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Padding forms to draw: symmetric (one number per dimension), asymmetric ([before, after] pairs), same, valid (PyTorch takes same and valid for conv only).",
            valueName: "forms"))
    var paddings: String = "symmetric,asymmetric,same,valid"

    @Option(help: ArgumentHelp("on: three in ten pytorch cases have groups (when their channel counts share a divisor); off: none do.", valueName: "on|off"))
    var groups: Switch = .on

    @Option(
        name: .customLong("output-padding"),
        help: ArgumentHelp(
            "on: transposed convolutions take any output size their rule accepts (output_padding, output_shape); off: always the smallest.",
            valueName: "on|off"))
    var outputPadding: Switch = .on

    @Option(parsing: .unconditional, help: "Largest batch: cases have 1 … this many samples (1 … 16).")
    var batch: Int = 2

    @Option(
        help: ArgumentHelp(
            "dyadic: multiples of 1/4, every result exact; real: reals in [−1, 1) with expected.tolerance; both: half each.", valueName: "kind"
        ))
    var data: CaseGenerator.CaseData = .both

    /// Whether `--bias` draws biases.
    enum Switch: String, CaseIterable, ExpressibleByArgument {
        case on, off
    }

    func run() throws {
        guard (1...CaseGenerator.countLimit).contains(random) else {
            throw InputError("--random = \(random) must be between 1 and \(CaseGenerator.countLimit)")
        }
        guard let seed = UInt64(seed) else {
            throw InputError("--seed = \(oneLine(seed)) must be a whole number between 0 and 2^64 − 1")
        }
        var generator = CaseGenerator()
        if let operation = ConvolutionCase.Operation(rawValue: op.rawValue) { generator.operations = [operation] }
        if let ops {
            if op != .all { throw InputError("--op and --ops cannot both be given; --ops takes a list, e.g. --ops conv,conv_transpose") }
            generator.operations = try ops.split(separator: ",", omittingEmptySubsequences: false).map { name in
                guard let operation = ConvolutionCase.Operation(rawValue: String(name)) else {
                    throw InputError("--ops has \"\(oneLine(String(name)))\"; the operations are conv, conv_transpose, conv_input_grad and conv_weight_grad")
                }
                return operation
            }
        }
        generator.layout = layout
        generator.ranks = try FieldSyntax.sizes(dims.replacing(",", with: "x"), field: "dims")
        generator.maxSize = maxSize
        generator.maxChannels = maxChannels
        generator.maxWork = maxWork
        generator.drawsBias = bias == .on
        generator.maxStride = maxStride
        generator.maxDilation = maxDilation
        generator.drawsGroups = groups == .on
        generator.drawsOutputPadding = outputPadding == .on
        generator.maxBatch = batch
        generator.data = data
        generator.paddingForms = try paddings.split(separator: ",", omittingEmptySubsequences: false).map { name in
            guard let form = GeometryLimits.PaddingForm(caseName: String(name)) else {
                throw InputError("--paddings has \"\(oneLine(String(name)))\"; the padding forms are symmetric, asymmetric, same and valid")
            }
            return form
        }
        generator.paddingModes = try paddingModes.split(separator: ",", omittingEmptySubsequences: false).map { name in
            guard let mode = PaddingMode(rawValue: String(name)) else {
                throw InputError("--padding-modes has \"\(oneLine(String(name)))\"; the modes are zeros, reflect, replicate and circular")
            }
            return mode
        }
        try generator.check()

        let set = try FileSet(directory: output) { $0.hasPrefix("case-") && $0.hasSuffix(".json") }
        let width = max(4, String(random).count)
        for index in 0..<random {
            let number = String(index + 1)
            let name = "case-" + String(repeating: "0", count: width - number.count) + number + ".json"
            try set.write(name, text: try generator.document(seed: seed, index: index) + "\n")
        }
        try set.commit()
        emit("wrote \(random) case\(random == 1 ? "" : "s") to \(output)/")
    }
}

extension CaseGenerator.CaseData: ExpressibleByArgument {}
