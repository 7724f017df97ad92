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
            Writes DIR/case-0001.json … DIR/case-N.json: each a case document (docs/case-format.md) plus
            "expected", the output tensor `convmat run` prints for it (convmat run ignores that key). The
            same N and seed always give the same files byte for byte, and case i does not depend on N.

            The operations are conv, conv_transpose, conv_input_grad and conv_weight_grad (the
            gradient of the weights, through X = im2col of the input: Xᵀ·g). The geometries cover the
            spatial ranks of --dims (default 1-D to 3-D; 1 … 6 can be asked for), stride and dilation 1–3, symmetric and [before, after]
            padding (TensorFlow's explicit list in 2-D), same/valid, PyTorch's padding_mode (for
            pytorch conv and conv_input_grad: zeros in half of them, reflect, replicate and circular in
            a sixth each), groups, output_padding up to max(stride, dilation) − 1, TensorFlow
            output_shape anywhere in its valid range, batches and several channels, and a bias (one
            value per output channel) on half of the conv and conv_transpose cases (--bias off leaves
            it out); the data are multiples of 1/4, so every result is exact.

            DIR must be new or hold only an earlier set of case files, which is replaced whole; the
            new set appears only when every case is written.

            Examples:
              convmat cases --random 20 --seed 1 --output cases
              convmat cases --random 50 --seed 7 --layout tensorflow --dims 2 --op conv_transpose --output tf
              convmat cases --random 20 --op conv --padding-modes reflect,circular --output padded
              convmat cases --random 20 --op conv --bias off --output unbiased
              convmat cases --random 50 --ops conv,conv_weight_grad --output forward-and-weights
            """)
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("Number of cases to write (1 … \(CaseGenerator.countLimit)).", valueName: "n"))
    var random: Int

    @Option(help: "Seed of the pseudo-random numbers (0 … 2^64 − 1).")
    var seed: UInt64 = 1

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

    @Option(name: .customLong("max-size"), parsing: .unconditional, help: "Largest spatial extent of any tensor, padding included (1 … 64).")
    var maxSize: Int = 8

    @Option(name: .customLong("max-channels"), parsing: .unconditional, help: "Largest channel count (1 … 16).")
    var maxChannels: Int = 3

    @Option(name: .customLong("max-work"), parsing: .unconditional, help: "Most multiply-adds per case: nonzeros of C times the batch size.")
    var maxWork: Int = 100_000

    @Option(
        name: .customLong("padding-modes"), parsing: .unconditional,
        help: ArgumentHelp(
            "PyTorch padding modes to draw for conv and conv_input_grad, e.g. zeros or reflect,circular (default: all four; conv_transpose and the tensorflow layout always take zeros).",
            valueName: "modes"))
    var paddingModes: String = "zeros,reflect,replicate,circular"

    @Option(help: ArgumentHelp("on: half of the conv and conv_transpose cases carry a bias; off: none do.", valueName: "on|off"))
    var bias: Switch = .on

    /// Whether `--bias` draws biases.
    enum Switch: String, CaseIterable, ExpressibleByArgument {
        case on, off
    }

    func run() throws {
        guard (1...CaseGenerator.countLimit).contains(random) else {
            throw InputError("--random = \(random) must be between 1 and \(CaseGenerator.countLimit)")
        }
        var generator = CaseGenerator()
        if let operation = ConvolutionCase.Operation(rawValue: op.rawValue) { generator.operations = [operation] }
        if let ops {
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
