import ConvMatrixCore

/// Writes an operator's matrix (C or Cᵀ) in Matrix Market coordinate
/// format, 1-based, entries column by column: `real` with the kernel's
/// values, `pattern` when the matrix is symbolic. `MatrixMarketReader`
/// reads it back; so do `scipy.io.mmread`, MATLAB's `mmread` and Julia's
/// MatrixMarket.jl.
///
/// After the banner, `%` comment lines say what the file holds, so that it
/// can be recognised and written again (`commentLines(kernel:)`):
///
/// ```
/// %%MatrixMarket matrix coordinate real general
/// % ConvMatrix: convolution matrix C
/// % command: convmat matrix --input 3 --kernel 2 --weights 1,2 --format mtx
/// % geometry: convolution, input 3, output 2, kernel 2, stride 1, padding_before 0, …
/// % rows: outputs y [out_channels, positions...], columns: inputs x [in_channels, positions...], row-major, 1-based
/// % weights: 1,2 (shape 1x1x2, PyTorch order [out_channels, in_channels/groups, kernel...])
/// ```
///
/// Comment lines are ASCII and at most 1024 characters, as the Matrix Market
/// exchange format asks; a long list of weights continues over several
/// lines, each ending with a comma but the last.
package struct MatrixMarketWriter: Sendable {
    /// The operation whose matrix is written.
    package let convolutionOperator: ConvolutionOperator

    /// A writer for the matrix of `convolutionOperator`.
    ///
    /// - Parameter convolutionOperator: the convolution (C) or its transpose (Cᵀ) to write.
    package init(_ convolutionOperator: ConvolutionOperator) {
        self.convolutionOperator = convolutionOperator
    }

    /// Writes the file to `target` an entry at a time, numeric with `kernel`
    /// (which must belong to the operator's C), a pattern file without.
    ///
    /// - Parameters:
    ///   - kernel: the weights, or nil for a pattern file of C's structure.
    ///   - target: where the text goes: a `TextOutput` (file or standard output) or a `String`.
    /// - Complexity: O(nnz) time, memory for one column of the matrix.
    package func write<Target: TextOutputStream>(kernel: Kernel?, to target: inout Target) {
        let op = convolutionOperator
        let weights = kernel?.values
        target.write("%%MatrixMarket matrix coordinate \(weights == nil ? "pattern" : "real") general\n")
        for line in commentLines(kernel: kernel) { target.write(line + "\n") }
        target.write("\(op.rowCount) \(op.columnCount) \(op.convolution.nonzeroCount)\n")
        op.forEachMatrixColumn { column, entries in
            // Taps that copies in the padding gather into one entry are written as their sum.
            forEachEntry(of: entries) { row, taps in
                if let weights {
                    var sum = 0.0
                    for tap in taps { sum += weights[entries[tap].weightIndex] }
                    target.write("\(row + 1) \(column + 1) \(sum)\n")
                } else {
                    target.write("\(row + 1) \(column + 1)\n")
                }
            }
        }
    }

    /// The longest line the Matrix Market format allows.
    package static let lineLimit = 1024

    /// The `%` lines after the banner: what the matrix is, the command that
    /// writes it, the geometry's fields, how rows and columns are numbered,
    /// and the weights (or that there are none).
    ///
    /// - Parameter kernel: the weights, or nil for a pattern file.
    /// - Returns: lines without their newline, each at most `lineLimit` characters.
    package func commentLines(kernel: Kernel?) -> [String] {
        let op = convolutionOperator
        let description = MatrixFileDescription(convolutionOperator: op, weights: kernel?.values)
        let (outputs, inputs) = op.isTransposed ? ("z", "y") : ("y", "x")
        var lines = [
            "% ConvMatrix: \(op.isTransposed ? "transposed convolution matrix C^T" : "convolution matrix C")",
            "",
            "% geometry: \(description.fieldsLine)",
            "% rows: outputs \(outputs) [out_channels, positions...], columns: inputs \(inputs) [in_channels, positions...], row-major, 1-based",
        ]
        let command = "% command: " + description.command(extra: ["--format", "mtx"])
        let shape = "(shape \(description.weightShapeText), PyTorch order [out_channels, in_channels/groups, kernel...])"
        guard let weights = description.weightsText else {
            lines[1] = command
            lines.append("% weights: none, the entries are symbolic (a pattern file: positions only)")
            return lines
        }
        let single = "% weights: \(weights) \(shape)"
        if single.utf8.count <= Self.lineLimit {
            lines[1] = command
            lines.append(single)
            return lines
        }
        // Too long for one line: the command names them, and they follow over several lines.
        lines[1] =
            "% command: " + ConvolutionFields(describing: op).matrixCommand(weights: "W", extra: ["--format", "mtx"]) + " (W: the weights below, joined)"
        lines.append("% weights \(shape), \(kernel?.values.count ?? 0) values:")
        lines += Self.commentLines(continuing: weights)
        return lines
    }

    /// A comma-separated list too long for one comment line, as `%` lines of about 100 characters,
    /// each but the last ending in a comma, so that joining them (without the `% `) gives the list back.
    ///
    /// - Parameter list: the values, separated by commas.
    /// - Returns: the lines, without their newline.
    package static func commentLines(continuing list: String) -> [String] {
        var lines: [String] = []
        var line = "%"
        for value in list.split(separator: ",") {
            if line.utf8.count + value.utf8.count + 2 > 100 {
                lines.append(line + ",")
                line = "%"
            }
            line += (line == "%" ? " " : ",") + value
        }
        lines.append(line)
        return lines
    }
}
