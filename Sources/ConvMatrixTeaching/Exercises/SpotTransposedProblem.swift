import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// "Which of two matrices computes this transposed convolution?" One is Cᵀ
/// for the stated kernel; the other is Cᵀ for the flipped kernel, the
/// classic confusion between the transposed convolution (which scatters w
/// as it is) and its equivalent direct convolution (which slides the flipped w).
package struct SpotTransposedProblem: Hashable, Sendable {
    /// The transposed convolution (PyTorch ConvTranspose semantics).
    package let geometry: TransposedConvolutionGeometry
    /// Its kernel, row-major; never equal to its own reversal.
    package let weights: [Double]
    /// Whether matrix A (rather than B) is the right one.
    package let correctIsA: Bool

    /// Draws a setting: 1-D, kernel 3 at stride 1 (easy) or 2 (medium); 2-D, 2×2 input and kernel (hard).
    init(_ difficulty: Difficulty, _ random: inout SplitMix64) throws(GeometryError) {
        var rank = 1, n = 2, k = 3, s = 1
        switch difficulty {
        case .easy: n = random.int(in: 2...3)
        case .medium: n = random.int(in: 2...3); s = 2
        case .hard: rank = 2; n = 2; k = 2; s = random.int(in: 1...2)
        }
        geometry = try TransposedConvolutionGeometry(
            inputSize: [Int](repeating: n, count: rank), kernelSize: [k], stride: [s], padding: .symmetric([0]))
        var values = [Double]()
        repeat {
            values = (0..<geometry.convolution.kernelVolume).map { _ in Double(random.int(in: 1...9)) }
        } while values == values.reversed()
        weights = values
        correctIsA = random.bool()
    }

    /// Cᵀ for `kernel`, dense and row-major (o′ rows, i′ columns), from the library's matrix structure.
    ///
    /// - Parameters:
    ///   - geometry: the transposed convolution.
    ///   - weights: the kernel in PyTorch order.
    /// - Returns: o′ · i′ entries, zeros included.
    package static func transposedMatrix(_ geometry: TransposedConvolutionGeometry, weights: [Double]) -> [Double] {
        let matrix = ConvolutionMatrix(geometry: geometry.convolution)
        var dense = [Double](repeating: 0, count: matrix.rowCount * matrix.columnCount)
        for entry in matrix.entries {
            // Cᵀ[column, row] = C[row, column]; Cᵀ has rowCount columns.
            dense[entry.column * matrix.rowCount + entry.row] += weights[entry.weightIndex]
        }
        return dense
    }

    /// Matrices A and B as shown, row-major.
    package var matrices: (a: [Double], b: [Double]) {
        let right = Self.transposedMatrix(geometry, weights: weights)
        let wrong = Self.transposedMatrix(geometry, weights: weights.reversed())
        return correctIsA ? (right, wrong) : (wrong, right)
    }

    var prompt: [PromptBlock] {
        let c = geometry.convolution
        let rank = c.spatialRank
        let inText = rank == 1 ? "an input x of length \(geometry.inputSize[0])" : "a \(geometry.inputSize.map(String.init).joined(separator: "×")) input x"
        let outText =
            rank == 1 ? "an output z of length \(geometry.outputSize[0])" : "a \(geometry.outputSize.map(String.init).joined(separator: "×")) output z"
        let (a, b) = matrices
        return [
            .text(
                "`nn.ConvTranspose\(rank)d(1, 1, kernel_size=\(c.kernelSize[0]), stride=\(c.stride[0]), bias=False)` with the kernel w below maps \(inText) to \(outText). With x and z flattened row by row, z = M·x for a \(c.columnCount)×\(c.rowCount) matrix M. Which is M, A or B?"
            ),
            .grid("w", weights, columns: c.kernelSize[rank - 1]),
            .grid("A", a, columns: c.rowCount),
            .grid("B", b, columns: c.rowCount),
        ]
    }

    func solve() throws(ExerciseError) -> [AnswerPart] {
        let right = correctIsA ? "A" : "B", wrong = correctIsA ? "B" : "A"
        let c = geometry.convolution
        return [
            AnswerPart(
                name: "the matrix M", expected: .choice(right),
                working:
                    "M = Cᵀ: column j of M is the kernel w, unflipped, written into z starting at j·s = j·\(c.stride[0]) (input element j times w, scattered) — that is \(right); \(wrong) holds the flipped kernel",
                hint: "column j of the transposed convolution's matrix is w itself, placed where input j scatters it",
                mistakes: [
                    Mistake(
                        answer: .choice(wrong), note: "\(wrong) scatters the flipped kernel; the flip belongs to the equivalent direct convolution, not to Cᵀ")
                ])
        ]
    }
}
