import ArgumentParser
import ConvMatrix

/// `convmat matrix`: print C or Cᵀ, or check a Matrix Market file against it.
struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Print the convolution matrix C (or, with --transposed, the transposed convolution's Cᵀ), or check a file against it.",
        discussion: """
        Rows of C are the output elements [C_out, spatial…], columns the input
        elements [C_in, spatial…], both flattened row-major. Without --weights
        every nonzero is named by the kernel entry it copies. Matrices wider than
        \(MatrixCommand.columnLimit) columns or with more than \(MatrixCommand.cellLimit) cells are printed only with
        --force; `convmat draw spy` draws their sparsity pattern up to 10⁸ nonzeros.

        Examples:
          convmat matrix --input 4x4 --kernel 3x3
          convmat matrix --input 4x4 --kernel 3x3 --labels --ascii
          convmat matrix --input 3x3 --kernel 2x2 --weights 1,2,3,4
          convmat matrix --input 2x2 --kernel 3x3 --transposed
          convmat matrix --input 4x4 --kernel 3 --format latex --highlight-row 1 \\
            --standalone > c.tex
          convmat matrix --input 3 --kernel 2 --in-channels 2 --out-channels 2 \\
            --format latex --blocks
          convmat matrix --input 8x8 --kernel 3 --stride 2 --format mtx > C.mtx
          convmat matrix --input 4x4 --kernel 3 --check answer.mtx
        """
    )

    /// Widest matrix printed without --force.
    static let columnLimit = 256
    /// Most cells printed without --force.
    static let cellLimit = 100_000
    /// Widest LaTeX matrix without --force: pdflatex runs out of memory (or needs a page
    /// over two metres wide) a little beyond this.
    static let latexColumnLimit = 100

    @OptionGroup var geometry: GeometryOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Kernel values, comma-separated, PyTorch order [C_out, C_in/groups, k…] (with --transposed: [C_in, C_out/groups, k…]), row-major. Without it the entries are symbolic.", valueName: "values"))
    var weights: String?

    @Option(help: "Output format: text, latex, markdown, csv or mtx (Matrix Market).")
    var format: String = "text"

    @Flag(name: .customLong("zeros"), help: "Write structural zeros as 0 instead of · (\\cdot in LaTeX).")
    var zerosAsDigits = false

    @Flag(help: "ASCII names (w[0,1]) instead of subscripts in text.")
    var ascii = false

    @Flag(help: "Name rows and columns by tensor element, e.g. y(0,1) and x(2,3), with the channel after the letter when there are several (text, markdown, csv).")
    var labels = false

    @Flag(help: "Draw lines between channel blocks (text and latex).")
    var blocks = false

    @Option(name: .customLong("highlight-row"), parsing: .unconditional, help: ArgumentHelp("Colour printed row R (0-based): the inputs that feed one output (latex, markdown).", valueName: "R"))
    var highlightRow: Int?

    @Option(name: .customLong("highlight-column"), parsing: .unconditional, help: ArgumentHelp("Colour printed column C (0-based): the outputs one input feeds (latex, markdown).", valueName: "C"))
    var highlightColumn: Int?

    @Flag(help: "With --format latex: a whole document that pdflatex compiles on its own.")
    var standalone = false

    @Option(help: ArgumentHelp("Instead of printing, check whether this Matrix Market file is C (or Cᵀ with --transposed) and list where it differs.", valueName: "file.mtx"))
    var check: String?

    @Option(name: .customLong("max-differences"), parsing: .unconditional, help: "With --check: how many differences to list.")
    var maxDifferences: Int = Self.defaultMaxDifferences

    /// Differences listed by --check unless --max-differences says otherwise.
    static let defaultMaxDifferences = 10

    @Flag(help: "Print even a very large matrix.")
    var force = false

    func run() throws {
        guard let format = MatrixPrinter.Format(rawValue: format) else {
            throw InputError("--format = \"\(self.format)\" must be one of \(MatrixPrinter.Format.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let described = try geometry.resolve()
        let convolution = described.convolution
        let kernel = try parseWeights(weights, for: convolution)
        if let check { return try runCheck(check, described: described, weights: kernel?.values) }
        try requireApplicable(format)
        let rows = described.isTransposed ? convolution.columnCount : convolution.rowCount
        let columns = described.isTransposed ? convolution.rowCount : convolution.columnCount
        let cells = rows.multipliedReportingOverflow(by: columns)
        if format == .latex && !force && columns > Self.latexColumnLimit {
            throw InputError("the matrix has \(columns) columns; LaTeX output is limited to \(Self.latexColumnLimit) (pdflatex cannot typeset much wider matrices); draw its pattern with `convmat draw spy --format tikz`, or add --force")
        }
        if format != .mtx && !force && (columns > Self.columnLimit || cells.overflow || cells.partialValue > Self.cellLimit) {
            throw InputError("the matrix is \(rows)×\(columns), too large to print (limits: \(Self.columnLimit) columns, \(Self.cellLimit) cells); draw its pattern with `convmat draw spy` and the same geometry flags, write it with --format mtx, or add --force")
        }
        for (flag, value, limit) in [("--highlight-row", highlightRow, rows), ("--highlight-column", highlightColumn, columns)] {
            if let value, !(0..<limit).contains(value) {
                throw InputError("\(flag) = \(value) must be between 0 and \(limit - 1), a printed \(flag == "--highlight-row" ? "row" : "column") of the \(rows)×\(columns) matrix")
            }
        }
        let matrix = ConvolutionMatrix(geometry: convolution)
        let printer = MatrixPrinter(
            format: format, transposed: described.isTransposed, zerosAsDigits: zerosAsDigits, ascii: ascii,
            labels: labels, blockSeparators: blocks,
            highlightedRow: highlightRow, highlightedColumn: highlightColumn, standalone: standalone)
        if format == .text {
            let name = described.isTransposed ? "Cᵀ" : "C"
            let operation = described.isTransposed ? "transposed convolution z = Cᵀ·y" : "convolution y = C·x"
            print("\(name): \(rows)×\(columns), \(matrix.nonzeroCount) nonzeros (\(operation))")
        }
        print(printer.render(matrix, weights: kernel?.values), terminator: "")
    }

    /// Refuses flags that the chosen format ignores, so nobody waits for a colour that never comes.
    private func requireApplicable(_ format: MatrixPrinter.Format) throws(InputError) {
        let supported: [(flag: String, used: Bool, formats: [MatrixPrinter.Format])] = [
            ("--labels", labels, [.text, .markdown, .csv]),
            ("--blocks", blocks, [.text, .latex]),
            ("--highlight-row", highlightRow != nil, [.latex, .markdown]),
            ("--highlight-column", highlightColumn != nil, [.latex, .markdown]),
            ("--standalone", standalone, [.latex]),
            ("--zeros", zerosAsDigits, [.text, .latex, .markdown]),
            ("--ascii", ascii, [.text, .markdown, .csv]),
        ]
        if maxDifferences != Self.defaultMaxDifferences {
            throw InputError("--max-differences applies only with --check")
        }
        for option in supported where option.used && !option.formats.contains(format) {
            throw InputError("\(option.flag) does not apply to --format \(format.rawValue); it works with \(option.formats.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// `--check FILE`: reads the file and prints the verdict; exit status 1 when it is not the matrix.
    /// A size line that disagrees with C is answered at once, without reading the entries.
    private func runCheck(_ path: String, described: DescribedGeometry, weights: [Double]?) throws {
        if maxDifferences < 1 { throw InputError("--max-differences = \(maxDifferences) must be at least 1") }
        let lines: FileLines
        do { lines = try FileLines(path: path) } catch { throw InputError(error.description) }
        var reader = try readingFile(lines) { () throws(MatrixMarketError) in try MatrixMarketReader(lines: lines) }
        if weights != nil && reader.header.field == .pattern {
            throw InputError("\(path) is a pattern file (positions only), so it cannot be checked against --weights; write the values (coordinate real) or drop --weights to check the positions")
        }
        let name = described.isTransposed ? "Cᵀ" : "C"
        let labels = PositionLabels(geometry: described.convolution, transposed: described.isTransposed)
        if let wrongSize = MatrixComparison(sizeOf: reader.header, against: described.convolution, transposed: described.isTransposed) {
            print(wrongSize.report(labels: labels, limit: maxDifferences, name: name), terminator: "")
            throw ExitCode(1)
        }
        let file = try readingFile(lines) { () throws(MatrixMarketError) in try reader.readEntries() }
        let matrix = ConvolutionMatrix(geometry: described.convolution)
        let comparison = MatrixComparison(file, against: matrix, transposed: described.isTransposed, weights: weights)
        print(comparison.report(labels: labels, limit: maxDifferences, name: name), terminator: "")
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
