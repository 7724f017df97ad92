import ConvMatrixCore
import ConvMatrixInterchange

/// Whether a matrix read from a file is an operator's matrix (a
/// convolution's C, or a transposed convolution's Cᵀ), and where it differs
/// — for checking a student's hand-built matrix.
///
/// With `weights`, the values must equal the kernel's (to a relative
/// tolerance of 1e−9). Without weights the structure must match, and in a
/// numeric file every copy of the same kernel entry w must hold one value;
/// that value is then reported as the kernel the file encodes. A stored
/// zero counts as a zero, as it does in a product.
public struct MatrixComparison: Sendable {
    /// One position where the file and C disagree (0-based).
    package struct Difference: Sendable, Equatable {
        /// Row of the position, 0-based.
        package let row: Int
        /// Column of the position, 0-based.
        package let column: Int
        /// What C holds there: a kernel entry's name or value, or `0`.
        package let expected: String
        /// What the file holds: a number, `nonzero` (pattern file) or `0`.
        package let found: String
    }

    /// The operation whose matrix the file was compared with.
    package let convolutionOperator: ConvolutionOperator
    /// Rows × columns the comparison expected (those of C, or of Cᵀ).
    package let expectedShape: (rows: Int, columns: Int)
    /// Rows × columns of the file.
    package let foundShape: (rows: Int, columns: Int)
    /// Every difference, sorted by row then column.
    package let differences: [Difference]
    /// The kernel read back from a numeric file when no weights were given and the copies agree, PyTorch order.
    package let inferredWeights: [Double]?

    /// Whether the file is exactly the expected matrix.
    public var matches: Bool { expectedShape == foundShape && differences.isEmpty }

    /// The verdict of the size line alone: a comparison that does not match when the
    /// header declares another shape than C's (or Cᵀ's), nil when the shape is right
    /// and the entries must be read and compared.
    ///
    /// Neither the entries nor C are needed, so a checker can answer a file of the
    /// wrong size without reading past its size line or building C.
    ///
    /// - Parameters:
    ///   - header: the file's size line as read.
    ///   - convolutionOperator: the operation whose matrix the file claims to be.
    /// - Complexity: O(1): only the sizes are compared.
    package init?(sizeOf header: MatrixMarketHeader, against convolutionOperator: ConvolutionOperator) {
        guard (convolutionOperator.rowCount, convolutionOperator.columnCount) != (header.rowCount, header.columnCount) else { return nil }
        self.init(wrongSize: (header.rowCount, header.columnCount), against: convolutionOperator)
    }

    /// The verdict on a file of `found` rows × columns, which is not the operator's shape.
    private init(wrongSize found: (rows: Int, columns: Int), against convolutionOperator: ConvolutionOperator) {
        self.convolutionOperator = convolutionOperator
        expectedShape = (convolutionOperator.rowCount, convolutionOperator.columnCount)
        foundShape = found
        differences = []
        inferredWeights = nil
    }

    /// Compares the text of a Matrix Market file with the matrix of
    /// `convolutionOperator`, numerically when `kernel` is given: a student's
    /// hand-built C (or Cᵀ) checked entry by entry.
    ///
    /// - Parameters:
    ///   - text: the whole file: banner, `%` comment lines, size line and entries.
    ///   - convolutionOperator: the operation whose matrix (C or Cᵀ) the file claims to be.
    ///   - kernel: the weights, to compare values; nil compares the pattern only.
    /// - Throws: `MatrixMarketError` naming the first line that is not a valid banner, size line or entry.
    /// - Complexity: O(lines + nnz) time and memory.
    public init(matrixMarket text: String, against convolutionOperator: ConvolutionOperator, kernel: Kernel?) throws(MatrixMarketError) {
        let file = try MatrixMarketFile(parsing: text)
        if (file.rowCount, file.columnCount) != (convolutionOperator.rowCount, convolutionOperator.columnCount) {
            self.init(wrongSize: (file.rowCount, file.columnCount), against: convolutionOperator)
        } else {
            self.init(file, against: convolutionOperator, kernel: kernel)
        }
    }

    /// Compares `file` with the matrix of `convolutionOperator`, numerically when `kernel` is given.
    ///
    /// - Complexity: O(nnz) expected, with one hash lookup per stored entry.
    /// - Parameters:
    ///   - file: the entries read from a Matrix Market file.
    ///   - convolutionOperator: the operation whose matrix (C or Cᵀ) the file claims to be.
    ///   - kernel: the weights, to compare values; nil compares the pattern only.
    package init(_ file: MatrixMarketFile, against convolutionOperator: ConvolutionOperator, kernel: Kernel?) {
        self.convolutionOperator = convolutionOperator
        let weights = kernel?.values
        let rows = convolutionOperator.rowCount, columns = convolutionOperator.columnCount
        expectedShape = (rows, columns)
        foundShape = (file.rowCount, file.columnCount)
        guard expectedShape == foundShape else {
            differences = []
            inferredWeights = nil
            return
        }
        let names = EntryNames(geometry: convolutionOperator.convolution, weights: nil, style: .unicode)
        // Keyed by (row, column), not row·columns + column: that product can leave 64 bits.
        var found = [SIMD2<Int>: Double?]()
        found.reserveCapacity(file.entries.count)
        for entry in file.entries where entry.value != 0 {
            found[SIMD2(entry.row, entry.column)] = .some(entry.value)
        }
        var differences = [Difference]()
        var copies = [Double?](repeating: nil, count: convolutionOperator.convolution.weightCount)
        var consistent = file.field != .pattern
        convolutionOperator.forEachMatrixColumn { column, entries in
            forEachEntry(of: entries) { row, taps in
                let indices = taps.map { entries[$0].weightIndex }
                let name = names.name(ofSum: indices)
                let want = weights.map { weights in indices.reduce(0) { $0 + weights[$1] } }
                guard let stored = found.removeValue(forKey: SIMD2(row, column)) else {
                    // A weight of 0 is met by a stored 0 (dropped above) as by no entry at all;
                    // `--format mtx` writes such entries, so its own files must pass.
                    if want == 0 { return }
                    differences.append(Difference(row: row, column: column, expected: want.map(formatNumber) ?? name, found: "0"))
                    consistent = false
                    return
                }
                guard let value = stored else { return }
                if let want {
                    if abs(value - want) > 1e-9 * max(1, abs(want)) {
                        differences.append(Difference(row: row, column: column, expected: formatNumber(want), found: formatNumber(value)))
                    }
                } else if indices.count > 1 {
                    // A sum of kernel entries (copies in the padding) names no single weight to infer.
                    return
                } else if let first = copies[indices[0]] {
                    if value != first {
                        differences.append(
                            Difference(
                                row: row, column: column, expected: "\(name) = \(formatNumber(first)) as in its other copies", found: formatNumber(value)))
                        consistent = false
                    }
                } else {
                    copies[indices[0]] = value
                }
            }
        }
        for (key, stored) in found {
            differences.append(Difference(row: key[0], column: key[1], expected: "0", found: stored.map(formatNumber) ?? "nonzero"))
        }
        differences.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        self.differences = differences
        let complete = copies.allSatisfy { $0 != nil }
        inferredWeights = weights == nil && consistent && complete && differences.isEmpty ? copies.map { $0 ?? 0 } : nil
    }

    /// The peak memory of comparing a file of `entries` declared entries with
    /// the matrix of `convolutionOperator`: the entries as read (40 bytes
    /// each), the reader's and the comparison's tables of positions (about 120
    /// bytes an entry between them), and one column of the matrix at a time.
    ///
    /// - Parameters:
    ///   - entries: the entry count the file's size line declares.
    ///   - convolutionOperator: the operation compared with.
    /// - Returns: the estimate, for the memory guard before any entry is read.
    package static func memoryEstimate(entries: Int, against convolutionOperator: ConvolutionOperator) -> MemoryEstimate {
        MemoryEstimate([MemoryEstimate.items("the file's entries and their positions", count: entries, bytesEach: 160)])
    }

    /// A report for people: the verdict, then up to `limit` differences with
    /// 1-based positions (as in the file) and the tensor elements they stand
    /// for; `limitName` is how the reader raises the limit (a flag, say).
    ///
    /// - Parameters:
    ///   - limit: the most differences listed; the count of all of them is always given.
    ///   - limitName: how a reader raises the limit, e.g. a flag name.
    /// - Returns: several lines, ending with a newline.
    public func report(limit: Int, limitName: String = "the limit") -> String {
        let labels = PositionLabels(convolutionOperator)
        let name = convolutionOperator.matrixName
        var lines = [String]()
        guard expectedShape == foundShape else {
            return "NO: the file is \(foundShape.rows)×\(foundShape.columns) but \(name) is \(expectedShape.rows)×\(expectedShape.columns)\n"
        }
        if matches {
            lines.append("YES: the file is \(name) (\(expectedShape.rows)×\(expectedShape.columns))")
            if let inferredWeights {
                lines.append("kernel read from the file (PyTorch order): \(inferredWeights.map(formatNumber).joined(separator: ","))")
            }
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append("NO: the file differs from \(name) at \(differences.count) position\(differences.count == 1 ? "" : "s")")
        lines.append("(row, column) 1-based as in the file, the output ← input it links: expected, found")
        for difference in differences.prefix(limit) {
            let position = "(\(difference.row + 1), \(difference.column + 1))"
            let meaning = "\(labels.row(difference.row)) ← \(labels.column(difference.column))"
            lines.append("  \(position) \(meaning): expected \(difference.expected), found \(difference.found)")
        }
        if differences.count > limit { lines.append("… and \(differences.count - limit) more (raise \(limitName) to see them)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
