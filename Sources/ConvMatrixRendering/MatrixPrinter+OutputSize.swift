import ConvMatrixCore
import ConvMatrixInterchange

extension MatrixPrinter {
    /// The most bytes `convmat matrix` writes unless asked for more
    /// (`--no-output-limit`): 10¹¹ bytes (93.1 GiB). The printer streams
    /// about 0.25 GB/s of Matrix Market, text or CSV with a release build on
    /// the 2-core development machine, so this is about 7 minutes of writing;
    /// `--force` lifts the limits that keep a matrix readable, not this one.
    package static let outputLimit = 100_000_000_000

    /// A lower bound on the bytes the matrix of `convolutionOperator` takes in
    /// this format, from its size alone: for `npy` the exact size of the data
    /// (8 · rows · columns), for the text formats the fewest bytes a cell or an
    /// entry can take (a separator and one character: 2 a cell, 1 for an empty
    /// CSV cell; "1 1\n", 4 an entry of Matrix Market; 9 an entry of COO JSON,
    /// three numbers with their separators), so a refusal based
    /// on it never turns away output that would have fit.
    ///
    /// - Parameter convolutionOperator: the operation whose matrix would be printed.
    /// - Returns: bytes, saturating at `Int.max`.
    package func outputBytes(_ convolutionOperator: ConvolutionOperator) -> Int {
        let view = try? MatrixView(convolutionOperator, flip: flip, order: order, showPadding: showPadding, block: channelBlock)
        return outputBytes(
            rows: view?.rowCount ?? convolutionOperator.rowCount, columns: view?.columnCount ?? convolutionOperator.columnCount,
            nonzeros: convolutionOperator.convolution.nonzeroCount)
    }

    /// The lower bound of `outputBytes(_:)` for a matrix of `rows` × `columns` with `nonzeros` entries.
    func outputBytes(rows: Int, columns: Int, nonzeros: Int) -> Int {
        Checked.saturating { () throws(GeometryError) in
            switch format {
            case .npy: return try Self.denseBytes(rows: rows, columns: columns)
            case .mtx: return try Checked.multiply(4, nonzeros, "bytes")
            case .cooJSON: return try Checked.multiply(9, nonzeros, "bytes")
            // An empty CSV cell is its comma alone; 0 and a comma with --zeros.
            case .csv: return try Checked.product([zerosAsDigits ? 2 : 1, rows, columns], "bytes")
            case .text, .latex, .markdown: return try Checked.product([2, rows, columns], "bytes")
            }
        }
    }

    /// Refuses output of `bytes` that cannot fit the room left on its file
    /// system (`available`, when the target is a file), or that exceeds
    /// `outputLimit` unless `unlimited`; both before anything is written.
    ///
    /// - Parameters:
    ///   - bytes: the output's size, or a lower bound of it (`outputBytes`).
    ///   - available: the bytes free where it would be written, or nil when unknown (a pipe, a terminal).
    ///   - target: the file's name in messages (`standard output`, or the path).
    ///   - unlimited: whether the user asked to write past `outputLimit` (field `no_output_limit`).
    /// - Throws: `RenderingError.tooLarge` saying how large the output is and what to do instead.
    package func checkOutputSize(bytes: Int, available: Int?, target: String, unlimited: Bool) throws(RenderingError) {
        let size = "\(format == .npy ? "" : "at least ")\(MemoryBudget.formatBytes(bytes)) as \(format.rawValue)"
        let instead: FieldMessage = format.isSparse ? "" : "; write it sparse with \(field: "format") mtx"
        if let available, bytes > available {
            throw .tooLarge(
                "the matrix takes \(size), more than the \(MemoryBudget.formatBytes(available)) free on the file system of \(target); free some space or write it elsewhere\(instead)"
            )
        }
        if bytes > Self.outputLimit && !unlimited {
            throw .tooLarge(
                "the matrix takes \(size), more than the \(MemoryBudget.formatBytes(Self.outputLimit)) (10¹¹ bytes, about 7 minutes of writing) convmat writes unless you add \(field: "no_output_limit")\(instead)"
            )
        }
    }
}
