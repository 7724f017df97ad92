import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// "Write row r (or column c) of C" for a small convolution with a numeric kernel.
///
/// Row r of C holds the kernel laid over the input window that output r
/// reads; column c lists every output that input c feeds, which is the
/// pattern the transposed convolution scatters.
package struct MatrixLineProblem: Hashable, Sendable {
    /// The convolution (square input and kernel, 1 or 2 spatial dimensions).
    package let geometry: ConvolutionGeometry
    /// The kernel values, row-major.
    package let weights: [Double]
    /// A row (true) or a column (false) of C is asked for.
    package let asksRow: Bool
    /// Which row or column, from 0.
    package let index: Int

    /// Draws a setting: a 1-D row with stride 1 (easy), a 2-D row or column
    /// with padding (medium), stride 2 and padding 1 with signed weights (hard).
    init(_ difficulty: Difficulty, _ random: inout SplitMix64) throws(GeometryError) {
        var rank = 2, n = 4, k = 3, s = 1, p = 0
        var weightRange = 1...9
        switch difficulty {
        case .easy:
            rank = 1; n = random.int(in: 5...7)
        case .medium:
            (n, k) = random.element(of: [(4, 3), (3, 2), (4, 2)]); p = random.int(in: 0...1)
        case .hard:
            n = random.int(in: 4...5); s = 2; p = 1; weightRange = -5...5
        }
        geometry = try ConvolutionGeometry(
            inputSize: [Int](repeating: n, count: rank), kernelSize: [k], stride: [s], padding: .symmetric([p]))
        weights = random.exerciseKernel(geometry.kernelVolume, in: weightRange)
        asksRow = difficulty == .easy ? true : random.bool()
        index = random.int(in: 0...((asksRow ? geometry.rowCount : geometry.columnCount) - 1))
    }

    /// The requested line of C, read from the library's matrix structure.
    ///
    /// - Returns: the row or column's entries, zeros included.
    package func answer() -> [Double] {
        let matrix = ConvolutionMatrix(geometry: geometry)
        let count = asksRow ? matrix.columnCount : matrix.rowCount
        return (0..<count).map { other in
            let entry = asksRow ? matrix.weightIndices(row: index, column: other) : matrix.weightIndices(row: other, column: index)
            return entry.reduce(0) { $0 + weights[$1] }
        }
    }

    private func position(_ flat: Int, _ sizes: [Int]) -> String {
        rowMajorCoordinates(of: flat, in: sizes).map(String.init).joined(separator: ",")
    }

    private var shapeText: String { geometry.inputSize.map(String.init).joined(separator: "×") }

    var prompt: [PromptBlock] {
        let g = geometry
        let kernelText = g.kernelSize.map(String.init).joined(separator: "×")
        let outText = g.outputSize.map(String.init).joined(separator: "×")
        let line =
            asksRow
            ? "Write row \(index) of C: all \(g.columnCount) entries, zeros included."
            : "Write column \(index) of C: all \(g.rowCount) entries, zeros included."
        let intro =
            g.spatialRank == 1
            ? "An input x of length \(shapeText) and the kernel w of width \(kernelText) below, with stride \(g.stride[0]) and padding \(g.paddingBefore[0]) at both ends, give an output y of length \(outText)"
            : "A \(shapeText) input x and the \(kernelText) kernel w below, with stride \(g.stride[0]) and padding \(g.paddingBefore[0]) on every side, give a \(outText) output y"
        return [
            .text(
                intro
                    + " (deep-learning convolution, that is cross-correlation: w is not flipped). Flatten x and y row by row, so that y = C·x with C of size \(g.rowCount)×\(g.columnCount); rows and columns are numbered from 0."
            ),
            .grid("w", weights, columns: g.kernelSize[g.spatialRank - 1]),
            .text(line),
        ]
    }

    func solve() throws(ExerciseError) -> [AnswerPart] {
        let g = geometry
        let line = answer()
        let flipped = try checkedGeometry { () throws(GeometryError) in try Kernel(weights.reversed(), geometry: g) }
        let flippedLine = MatrixLineProblem(geometry: g, weights: flipped.values, asksRow: asksRow, index: index).answer()
        let name: String, working: String, positions: [String]
        if asksRow {
            let where_ = position(index, g.outputSize)
            let start = rowMajorCoordinates(of: index, in: g.outputSize).map { $0 * g.stride[0] - g.paddingBefore[0] }
            name = "row \(index) of C"
            positions = (0..<g.columnCount).map { "C[\(index), \($0)] (input x[\(position($0, g.inputSize))])" }
            working =
                "row \(index) is output y[\(where_)]; its window starts at input (\(start.map(String.init).joined(separator: ","))) = output position·s − p, and w is laid over it row by row; inputs outside the window (or in the padding) give 0"
        } else {
            let where_ = position(index, g.inputSize)
            let readers = (0..<g.rowCount).filter { line[$0] != 0 }.map { "y[\(position($0, g.outputSize))]" }
            name = "column \(index) of C"
            positions = (0..<g.rowCount).map { "C[\($0), \(index)] (output y[\(position($0, g.outputSize))])" }
            working =
                "column \(index) is input x[\(where_)]; it is read by \(readers.isEmpty ? "no output" : readers.joined(separator: ", ")), each through the kernel entry that lands on it"
        }
        return [
            AnswerPart(
                name: name, expected: .numbers(line), working: working,
                hint: "C[r, c] = w[u] when input c sits at offset u inside the window of output r (window start = output position·s − p), else 0",
                positions: positions,
                mistakes: [
                    Mistake(
                        answer: .numbers(flippedLine),
                        note: "you flipped the kernel (textbook convolution); deep-learning layers do not flip: w at offset 0 meets the window's first input")
                ])
        ]
    }

    private init(geometry: ConvolutionGeometry, weights: [Double], asksRow: Bool, index: Int) {
        self.geometry = geometry
        self.weights = weights
        self.asksRow = asksRow
        self.index = index
    }
}
