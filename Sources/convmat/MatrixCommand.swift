import ArgumentParser
import ConvMatrix

/// `convmat matrix`: print C or Cᵀ.
struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Print the convolution matrix C (or, with --transposed, the transposed convolution's Cᵀ).",
        discussion: """
        Rows of C are the output elements [C_out, spatial…], columns the input elements [C_in, spatial…],
        both flattened row-major. Without --weights every nonzero is named by the kernel entry it copies.

        Examples:
          convmat matrix --input 4x4 --kernel 3x3
          convmat matrix --input 3x3 --kernel 2x2 --weights 1,2,3,4
          convmat matrix --input 2x2 --kernel 3x3 --transposed
          convmat matrix --input 4x4 --kernel 3 --format latex
          convmat matrix --input 8x8 --kernel 3 --stride 2 --format mtx > C.mtx
        """
    )

    @OptionGroup var geometry: GeometryOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("Kernel values, comma-separated, PyTorch order [C_out, C_in/groups, k…] (with --transposed: [C_in, C_out/groups, k…]), row-major. Without it the entries are symbolic.", valueName: "values"))
    var weights: String?

    @Option(help: "Output format: text, latex, markdown, csv or mtx (Matrix Market).")
    var format: String = "text"

    @Flag(name: .customLong("zeros"), help: "Write structural zeros as 0 instead of ·.")
    var zerosAsDigits = false

    @Flag(help: "ASCII names (w[0,1]) instead of subscripts in text.")
    var ascii = false

    @Flag(help: "Print even a very large matrix.")
    var force = false

    func run() throws {
        guard let format = MatrixPrinter.Format(rawValue: format) else {
            throw InputError("--format = \"\(self.format)\" must be one of \(MatrixPrinter.Format.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let described = try geometry.resolve()
        let convolution = described.convolution
        let kernel = try parseWeights(weights, for: convolution)
        let cells = convolution.rowCount.multipliedReportingOverflow(by: convolution.columnCount)
        if format != .mtx && !force && (cells.overflow || cells.partialValue > 250_000) {
            throw InputError("the matrix has \(convolution.rowCount)×\(convolution.columnCount) entries, too many to print; use --format mtx, or --force to print anyway")
        }
        let matrix = ConvolutionMatrix(geometry: convolution)
        let printer = MatrixPrinter(format: format, transposed: described.isTransposed, zerosAsDigits: zerosAsDigits, ascii: ascii)
        if format == .text {
            let rows = described.isTransposed ? matrix.columnCount : matrix.rowCount
            let columns = described.isTransposed ? matrix.rowCount : matrix.columnCount
            let name = described.isTransposed ? "Cᵀ" : "C"
            let operation = described.isTransposed ? "transposed convolution z = Cᵀ·y" : "convolution y = C·x"
            print("\(name): \(rows)×\(columns), \(matrix.nonzeroCount) nonzeros (\(operation))")
        }
        print(printer.render(matrix, weights: kernel?.values), terminator: "")
    }
}
