import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// "Which of two matrices computes this transposed convolution?" One is Cᵀ
/// for the stated kernel; the other is one of the classic mistakes, of the
/// same shape (`Distractor`): Cᵀ for the flipped kernel (the transposed
/// convolution scatters w as it is; its equivalent direct convolution slides
/// the flipped w), the stride ignored, or a 2-D kernel's rows and columns swapped.
package struct SpotTransposedProblem: Hashable, Sendable {
    /// The wrong matrix's mistake.
    package enum Distractor: String, Hashable, Sendable, CaseIterable {
        /// Cᵀ for the kernel rotated by 180°.
        case flippedKernel
        /// Each column's copy of w starts j rows down instead of j·s: the stride forgotten.
        case strideIgnored
        /// A 2-D kernel read column by column: w's rows and columns swapped.
        case transposedKernel
    }

    /// The transposed convolution (PyTorch ConvTranspose semantics).
    package let geometry: TransposedConvolutionGeometry
    /// Its kernel, row-major; never equal to its own reversal.
    package let weights: [Double]
    /// Whether matrix A (rather than B) is the right one.
    package let correctIsA: Bool
    /// What is wrong with the other matrix.
    package let distractor: Distractor

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
        let k2 = geometry.convolution.kernelSize
        let transposedKernel = rank == 2 ? (0..<values.count).map { values[($0 % k2[0]) * k2[0] + $0 / k2[0]] } : values
        let possible = Distractor.allCases.filter { kind in
            switch kind {
            case .flippedKernel: return true
            case .strideIgnored: return s > 1
            case .transposedKernel: return rank == 2 && k2[0] == k2[k2.count - 1] && transposedKernel != values
            }
        }
        distractor = possible[random.int(in: 0...(possible.count - 1))]
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
        let wrong: [Double]
        switch distractor {
        case .flippedKernel:
            wrong = Self.transposedMatrix(geometry, weights: weights.reversed())
        case .transposedKernel:
            let k = geometry.convolution.kernelSize[0]
            wrong = Self.transposedMatrix(geometry, weights: (0..<weights.count).map { weights[($0 % k) * k + $0 / k] })
        case .strideIgnored:
            wrong = Self.strideIgnoredMatrix(geometry, weights: weights)
        }
        return correctIsA ? (right, wrong) : (wrong, right)
    }

    /// The mistake of forgetting the stride: the same shape as Cᵀ, but input element j's copy
    /// of w starts at output j (per dimension) instead of j·s.
    private static func strideIgnoredMatrix(_ geometry: TransposedConvolutionGeometry, weights: [Double]) -> [Double] {
        let c = geometry.convolution
        let rows = c.inputVolume, columns = c.outputVolume
        var dense = [Double](repeating: 0, count: rows * columns)
        let out = c.outputSize, size = c.inputSize, k = c.kernelSize
        for j in 0..<columns {
            let position = out.count == 1 ? [j] : [j / out[1], j % out[1]]
            for tap in 0..<weights.count {
                let offset = k.count == 1 ? [tap] : [tap / k[1], tap % k[1]]
                let target = zip(position, offset).map(+)
                guard zip(target, size).allSatisfy({ $0 < $1 }) else { continue }
                let row = target.count == 1 ? target[0] : target[0] * size[1] + target[1]
                dense[row * columns + j] = weights[tap]
            }
        }
        return dense
    }

    var prompt: [PromptBlock] {
        let c = geometry.convolution
        let rank = c.spatialRank
        let inText = rank == 1 ? "an input x of length \(geometry.inputSize[0])" : "\(withArticle(formatSize(geometry.inputSize))) input x"
        let outText =
            rank == 1 ? "an output z of length \(geometry.outputSize[0])" : "\(withArticle(formatSize(geometry.outputSize))) output z"
        let (a, b) = matrices
        return [
            .text(
                "`nn.ConvTranspose\(rank)d(1, 1, kernel_size=\(c.kernelSize[0]), stride=\(c.stride[0]), bias=False)` with the kernel w below maps \(inText) to \(outText). With x and z flattened row by row, z = M·x for \(withArticle("\(c.columnCount)×\(c.rowCount)")) matrix M. Which is M, A or B?"
            ),
            .grid("w", weights, columns: c.kernelSize[rank - 1]),
            .grid("A", a, columns: c.rowCount),
            .grid("B", b, columns: c.rowCount),
        ]
    }

    func solve() throws(ExerciseError) -> [AnswerPart] {
        let right = correctIsA ? "A" : "B", wrong = correctIsA ? "B" : "A"
        let c = geometry.convolution
        let (wrongNote, mistakeNote): (String, String)
        switch distractor {
        case .flippedKernel:
            (wrongNote, mistakeNote) = (
                "holds the flipped kernel", "scatters the flipped kernel; the flip belongs to the equivalent direct convolution, not to Cᵀ"
            )
        case .strideIgnored:
            (wrongNote, mistakeNote) = (
                "starts each copy of w at j, not j·s: the stride is forgotten",
                "places input j's copy of w at j instead of j·s = j·\(c.stride[0]); the stride spaces the copies apart"
            )
        case .transposedKernel:
            (wrongNote, mistakeNote) = (
                "reads w column by column (its rows and columns swapped)",
                "scatters w with its rows and columns swapped; the transposed convolution transposes the matrix C, not the kernel"
            )
        }
        return [
            AnswerPart(
                name: "matrix M", expected: .choice(right),
                working:
                    "M = Cᵀ: column j of M is the kernel w, unflipped, written into z starting at j·s = j·\(c.stride[0]) (input element j times w, scattered) — that is \(right); \(wrong) \(wrongNote)",
                hint: "column j of the transposed convolution's matrix is w itself, placed where input j scatters it",
                mistakes: [
                    Mistake(answer: .choice(wrong), note: "\(wrong) \(mistakeNote)")
                ])
        ]
    }
}
