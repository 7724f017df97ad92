import ArgumentParser
import ConvMatrix

#if canImport(Glibc)
    import Glibc
#endif

/// Which matrix of a convolution `convmat matrix --of` prints: C (acting on the input) or X (acting on the weights).
enum MatrixOperand: String, ExpressibleByArgument {
    case input, weights
}

/// `convmat matrix`: print C or Cᵀ (or X, the matrix of the weights), or check a Matrix Market file against it.
struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Print the convolution matrix C (or, with --transposed, the transposed convolution's Cᵀ), or check a file against it.",
        discussion: reflowed(
            """
            Rows of C are the output elements [C_out, spatial…], columns the input
            elements [C_in, spatial…], both flattened row-major. Without --weights
            every nonzero is named by the kernel entry it copies. Matrices wider than
            \(MatrixPrinter.columnLimit) columns or with more than \(MatrixPrinter.cellLimit) cells are printed only with
            --force; `convmat draw spy` draws their sparsity pattern up to 10⁸ nonzeros.

            With --of weights it prints X instead, the same convolution as a matrix of its
            weights: y = X·w, where w is the kernel flattened in PyTorch order [C_out,
            C_in/groups, k…], and the weight gradient is ∂L/∂w = Xᵀ·g. Rows of X are the
            output elements (one block per sample), columns the weights; each entry is the
            input element that weight reads (x₀,₁, or its value with --values), so X is
            torch.nn.functional.unfold(x) transposed, one block per output channel.

            Examples:
              convmat matrix --input 4x4 --kernel 3x3
              convmat matrix --input 4x4 --kernel 3x3 --labels --ascii
              convmat matrix --input 3x3 --kernel 2x2 --weights 1,2,3,4
              convmat matrix --input 2x2 --kernel 3x3 --transposed
              convmat matrix --input 4x4 --kernel 3 --format latex --highlight-row 1 \\
                --standalone > c.tex
              convmat matrix --input 4x4 --kernel 3 --format latex --labels --fit slide
              convmat matrix --input 3 --kernel 2 --in-channels 2 --out-channels 2 \\
                --format latex --blocks
              convmat matrix --input 3x3 --kernel 2 --stride 2 --padding 1 \\
                  --show-padding --labels
              convmat matrix --input 3x3 --kernel 3 --flip --order column-major \\
                  --padding 2
              convmat matrix --input 4x4 --kernel 2 --stride 2 --in-channels 2 \\
                  --out-channels 2 --format latex --labels --block 1,0
              convmat matrix --input 4x4 --kernel 2 --pool avg --labels
              convmat matrix --input 4x4 --kernel 2 --pool max \\
                  --values 1,5,2,0,3,4,8,1,0,2,6,7,9,1,3,5
              convmat matrix --input 8x8 --kernel 3 --stride 2 --format mtx > C.mtx
              convmat matrix --input 4x4 --kernel 3 --weights 1,2,3,4,5,6,7,8,9 \\
                  --format csv --zeros
              convmat matrix --input 8x8 --kernel 3 --weights 1,0,-1,2,0,-2,1,0,-1 \\
                  --format npy --output C.npy
              convmat matrix --input 8x8 --kernel 3 --weights 1,0,-1,2,0,-2,1,0,-1 \\
                --format coo-json --output C.json
              convmat matrix --input 4x4 --kernel 3 --check answer.mtx
              convmat matrix --input 4x4 --kernel 3 --of weights
              convmat matrix --input 3x3 --kernel 2 --padding 1 --of weights --show-padding
              convmat matrix --input 3x3 --kernel 2 --of weights \\
                --values 1,2,3,4,5,6,7,8,9 --format npy --output X.npy
              convmat matrix --input 3x3 --kernel 2 --in-channels 2 --of weights \\
                --layout tensorflow
            """)
    )

    @OptionGroup var geometry: GeometryOptions

    @OptionGroup var weights: WeightOptions

    @Option(
        help: ArgumentHelp(
            "Which matrix of the convolution: input prints C, acting on the input (y = C·x); weights prints X, acting on the weights (y = X·w, the weight gradient ∂L/∂w = Xᵀ·g), whose entries are the input's names or, with --values, its values (several samples stack their rows).",
            valueName: "input|weights"))
    var of: MatrixOperand = .input

    @Option(
        help: ArgumentHelp(
            "With --of weights: whose order X follows, as the case format's tensors are flattened: pytorch (rows [N, C_out, o…], columns [C_out, C_in/groups, k…], --values [N, C_in, i…]) or tensorflow (rows [N, o…, C_out], columns [k…, C_in, C_out], --values [N, i…, C_in]).",
            valueName: "pytorch|tensorflow"))
    var layout: ConvolutionCase.Layout?

    @Option(
        help:
            "Output format: text, latex, markdown, csv (an empty cell is a structural zero; with --zeros it is 0, which numpy.loadtxt reads), mtx (Matrix Market, with the geometry and weights in % comment lines), npy (NumPy's .npy: the dense matrix as float64, for numpy.load) or coo-json (the nonzeros as JSON lists row, col, data, 0-based, for scipy.sparse.coo_matrix). npy and coo-json need --weights."
    )
    var format: MatrixPrinter.Format = .text

    @Flag(name: .customLong("zeros"), help: "Write structural zeros as 0 instead of · (\\cdot in LaTeX, an empty cell in CSV).")
    var zerosAsDigits = false

    @Option(
        help: ArgumentHelp("Write the matrix into this file (it appears whole, under its name, once complete) instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(help: "ASCII names (w[0,1]) instead of subscripts in text.")
    var ascii = false

    @Flag(
        help:
            "Name rows and columns by tensor element, e.g. y(0,1) and x(2,3), with the channel after the letter when there are several (text, latex, markdown, csv; in LaTeX y_{(0,1)}, x^{(1)}_{(2,3)})."
    )
    var labels = false

    @Flag(
        help:
            "True convolution: the kernel rotated by 180°, as MATLAB's conv2/convmtx2, SciPy's signal.convolve2d and linalg.convolution_matrix define it (PyTorch and TensorFlow compute cross-correlation, without the flip)."
    )
    var flip = false

    @Option(
        help:
            "How positions are flattened: row-major (NumPy, PyTorch, TensorFlow; the default) or column-major (MATLAB's X(:), as convmtx2 has it; channels stay slowest)."
    )
    var order: MatrixOrder = .rowMajor

    @Flag(
        name: .customLong("show-padding"),
        help:
            "Print C over the padded input: one column per padded position, so every row holds all its taps and those on padding are marked (░ and parentheses in text, grey in LaTeX). With --transposed: a row per position of the padded output, the rows the padding crops marked, and * on the rows output_padding adds (text, latex, markdown). With a --padding-mode other than zeros the labels (as --labels) name the element each padded position copies, x(-1)=x(1)."
    )
    var showPadding = false

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Print only one channel block: the rows of output channel O against the columns of input channel I (text, latex, markdown, csv), so that a many-channel matrix fits a page.",
            valueName: "O,I"))
    var block: String?

    @Flag(help: "Draw lines between channel blocks (text and latex).")
    var blocks = false

    @Option(
        name: .customLong("highlight-row"), parsing: .unconditional,
        help: ArgumentHelp("Colour printed row R (0-based): the inputs that feed one output (latex, markdown).", valueName: "R"))
    var highlightRow: Int?

    @Option(
        name: .customLong("highlight-column"), parsing: .unconditional,
        help: ArgumentHelp("Colour printed column C (0-based): the outputs one input feeds (latex, markdown).", valueName: "C"))
    var highlightColumn: Int?

    @Flag(help: "With --format latex: a whole document that pdflatex compiles on its own (with --fit slide, a beamer frame).")
    var standalone = false

    @Option(
        help: ArgumentHelp(
            "With --format latex: fit a 4:3 beamer frame (slide), an article's text width (page) or a width such as 10cm without shrinking the type: tighter columns, shorter names (w_{00}, then w_{4} for the taps by number), labels beside the brackets, and column blocks continued with \\cdots when nothing else fits (a comment says so).",
            valueName: "slide|page|width"))
    var fit: String?

    @Option(
        help: ArgumentHelp(
            "Instead of printing, check whether this Matrix Market file is C (or Cᵀ with --transposed) and list where it differs.", valueName: "file.mtx"))
    var check: String?

    @Option(name: .customLong("max-differences"), parsing: .unconditional, help: "With --check: how many differences to list.")
    var maxDifferences: Int = Self.defaultMaxDifferences

    /// Differences listed by --check unless --max-differences says otherwise.
    static let defaultMaxDifferences = 10

    @Flag(
        help:
            "Print even a very large matrix (past the limits above and Matrix Market's 10⁹ entries); output larger than 10¹¹ bytes still needs --no-output-limit."
    )
    var force = false

    @Flag(
        name: .customLong("no-output-limit"),
        help:
            "Write output larger than 10¹¹ bytes (93.1 GiB, about 7 minutes of writing). Output that cannot fit the free space of its file system is refused all the same."
    )
    var noOutputLimit = false

    @OptionGroup var pooling: PoolOptions

    @OptionGroup var values: ValueOptions

    @OptionGroup var memory: MemoryOptions

    func run() throws {
        if of == .weights { return try runWeightMatrix() }
        if layout != nil { throw InputError("--layout applies to --of weights; C is printed in PyTorch's order [C, spatial…]") }
        if let layer = try pooling.geometry(geometry.settings, input: geometry.input, kernel: geometry.kernel), let kind = pooling.pool {
            return try runPooling(layer, kind: kind)
        }
        if values.values != nil { throw InputError("--values applies to matrix only with --of weights (the input whose X is printed) or --pool max") }
        let convolutionOperator = try geometry.resolve()
        let kernel = try weights.kernel(for: convolutionOperator)
        if let check {
            if output != nil { throw InputError("--output applies to printing the matrix, not to --check \(check)") }
            return try runCheck(check, convolutionOperator, kernel: kernel)
        }
        if maxDifferences != Self.defaultMaxDifferences {
            throw InputError("--max-differences applies only with --check")
        }
        var printer = try makePrinter()
        if showPadding && convolutionOperator.convolution.paddingMode != .zeros && [.text, .latex, .markdown].contains(format) {
            // The labels are what says which element each padded position copies.
            printer.labels = true
        }
        try printer.check(convolutionOperator, kernel: kernel)
        try memory.check(printer.memoryEstimate(convolutionOperator))
        try writing(bytes: printer.outputBytes(convolutionOperator), printer: printer) { target in
            if format == .text {
                target.write(printer.summary(convolutionOperator) + "\n")
                if let note = transposeNote(convolutionOperator) {
                    target.write((ascii ? note.replacing("Cᵀ", with: "C^T").replacing("×", with: "x").replacing("→", with: "->") : note) + "\n")
                }
            }
            if format.isBinary, let kernel {
                try printer.writeBinary(convolutionOperator, kernel: kernel, to: &target)
            } else {
                try printer.render(convolutionOperator, kernel: kernel, to: &target)
            }
        }
    }

    /// Runs `body` with the target: `--output FILE` (renamed into place when
    /// complete, removed on failure) or standard output. A binary format is
    /// not sent to a terminal, which would show it as noise. Output of `bytes`
    /// (at least) that cannot fit the target's file system, or is larger than
    /// `MatrixPrinter.outputLimit` without --no-output-limit, is refused before
    /// anything is written.
    private func writing(bytes: Int, printer: MatrixPrinter, _ body: (inout TextOutput) throws -> Void) throws {
        guard let output else {
            if format.isBinary && isatty(1) == 1 {
                throw InputError(
                    "--format \(format.rawValue) writes binary data, which a terminal cannot show; give --output FILE or redirect standard output to a file")
            }
            try printer.checkOutputSize(bytes: bytes, available: console.availableBytes, target: "standard output", unlimited: noOutputLimit)
            var target = console
            return try body(&target)
        }
        var file = try TextOutput(creatingFileAt: output)
        file.stopProcessOnFailure(stopOnWriteFailure)
        do {
            try printer.checkOutputSize(bytes: bytes, available: file.availableBytes, target: output, unlimited: noOutputLimit)
            try body(&file)
            try file.finish()
        } catch {
            file.discard()
            throw error
        }
        emit("wrote \(output)")
    }

    /// The printer the flags describe (the library checks them against the format and the matrix).
    private func makePrinter() throws -> MatrixPrinter {
        MatrixPrinter(
            format: format, zerosAsDigits: zerosAsDigits, ascii: ascii, labels: labels, blockSeparators: blocks,
            highlightedRow: highlightRow, highlightedColumn: highlightColumn, standalone: standalone, force: force,
            flip: flip, order: order, showPadding: showPadding, channelBlock: try block.map(FieldSyntax.channelBlock),
            fit: try fit.map { text throws(RenderingError) in try PageFit(parsing: text) })
    }

    /// For Cᵀ, a line that names the convolution it transposes, since `--input` gives the
    /// transposed convolution's input y (the output of that convolution), not the convolution's
    /// input; and the command for the transpose of the convolution whose input is that size.
    private func transposeNote(_ convolutionOperator: ConvolutionOperator) -> String? {
        guard convolutionOperator.isTransposed else { return nil }
        let c = convolutionOperator.convolution
        let flag = { (size: [Int]) in size.map(String.init).joined(separator: "x") }
        var note = "note: Cᵀ of the \(formatSize(c.inputSize)) → \(formatSize(c.outputSize)) convolution (--input is its output y)"
        if let own = try? ConvolutionGeometry(
            inputSize: c.outputSize, kernelSize: c.kernelSize, stride: c.stride, dilation: c.dilation,
            padding: .explicit(before: c.paddingBefore, after: c.paddingAfter), inChannels: c.inChannels, outChannels: c.outChannels, groups: c.groups)
        {
            note += "; for Cᵀ of the \(formatSize(own.inputSize)) → \(formatSize(own.outputSize)) convolution: --input \(flag(own.outputSize)) --transposed"
        }
        return note
    }

    /// `--of weights`: X, the matrix of the weights, symbolic or at `--values`.
    private func runWeightMatrix() throws {
        if pooling.pool != nil { throw InputError("--of weights applies to convolutions; a pooling layer has no weights") }
        if weights.weights != nil {
            throw InputError("--weights does not apply to --of weights: the entries of X are the input, not the weights; give the input's values with --values")
        }
        if check != nil { throw InputError("--check compares a file with C; it does not apply to --of weights") }
        if maxDifferences != Self.defaultMaxDifferences { throw InputError("--max-differences applies only with --check") }
        guard case .convolution(let convolution) = try geometry.resolve() else {
            throw InputError("--of weights prints X of a convolution (y = X·w); it does not apply with --transposed")
        }
        let inputs = try values.numbers()
        let printer = try makePrinter()
        let layout = self.layout ?? .pytorch
        try printer.check(weightMatrixOf: convolution, inputs: inputs, layout: layout)
        let samples = inputs.map { $0.count / max(convolution.columnCount, 1) } ?? 1
        try memory.check(printer.memoryEstimate(weightMatrixOf: convolution, samples: samples))
        try writing(bytes: printer.outputBytes(weightMatrixOf: convolution, samples: samples), printer: printer) { target in
            if format == .text { target.write(printer.summary(weightMatrixOf: convolution, inputs: inputs, layout: layout) + "\n") }
            if format.isBinary, let inputs {
                try printer.writeBinary(weightMatrixOf: convolution, inputs: inputs, layout: layout, to: &target)
            } else {
                try printer.render(weightMatrixOf: convolution, inputs: inputs, layout: layout, to: &target)
            }
        }
    }

    /// `--pool`: the pooling matrix, or with --transposed its transpose (the backward pass).
    private func runPooling(_ layer: PoolingGeometry, kind: PoolingMatrix.Kind) throws {
        if weights.weights != nil { throw InputError("--weights does not apply to --pool: a pooling layer has no weights") }
        if check != nil { throw InputError("--check applies to convolution matrices, not to --pool") }
        var matrix = try PoolingMatrix(kind, geometry: layer, values: values.numbers())
        if geometry.settings.transposed { matrix = matrix.transposed() }
        let printer = try makePrinter()
        try printer.check(matrix)
        try memory.check(printer.memoryEstimate(matrix))
        try writing(bytes: printer.outputBytes(matrix), printer: printer) { target in
            if format == .text { target.write(printer.summary(matrix) + "\n") }
            try printer.render(matrix, to: &target)
        }
    }

    /// `--check FILE`: reads the file and prints the verdict; exit status 1 when it is not the matrix.
    /// A size line that disagrees with the matrix is answered at once, without reading the entries.
    private func runCheck(_ path: String, _ convolutionOperator: ConvolutionOperator, kernel: Kernel?) throws {
        if maxDifferences < 1 { throw InputError("--max-differences = \(maxDifferences) must be at least 1") }
        let lines = try FileLines(path: path)
        var reader = try readingFile(lines) { () throws(MatrixMarketError) in try MatrixMarketReader(lines: lines) }
        if kernel != nil && reader.header.field == .pattern {
            throw InputError(
                "\(path) is a pattern file (positions only), so it cannot be checked against --weights; write the values (coordinate real) or drop --weights to check the positions"
            )
        }
        if let wrongSize = MatrixComparison(sizeOf: reader.header, against: convolutionOperator) {
            emit(wrongSize.report(limit: maxDifferences, limitName: "--max-differences"), terminator: "")
            throw ExitCode(1)
        }
        try memory.check(MatrixComparison.memoryEstimate(entries: reader.header.entryCount, against: convolutionOperator))
        let file = try readingFile(lines) { () throws(MatrixMarketError) in try reader.readEntries() }
        let comparison = MatrixComparison(file, against: convolutionOperator, kernel: kernel)
        emit(comparison.report(limit: maxDifferences, limitName: "--max-differences"), terminator: "")
        if !comparison.matches { throw ExitCode(1) }
    }

    /// Runs one step of reading `lines`; a file that could not be read (or had a line too long
    /// or not UTF-8) is reported as such, not as the Matrix Market error its early end caused.
    private func readingFile<T>(_ lines: FileLines, _ step: () throws(MatrixMarketError) -> T) throws(InputError) -> T {
        let result = Result { () throws(MatrixMarketError) in try step() }
        if let failure = lines.failure {
            if case .lineTooLong = failure { throw InputError("\(failure); Matrix Market lines are short, so this is not a Matrix Market file") }
            throw InputError(failure.description)
        }
        do { return try result.get() } catch { throw InputError("\(lines.path): \(error)") }
    }
}
