import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// "Compute this transposed convolution by hand" for a tiny input and kernel,
/// as in the d2l chapter: each input element times the whole kernel, written
/// at stride spacing into a larger grid and summed; padding then removes
/// rows and columns from the border of the result.
package struct TransposedByHandProblem: Hashable, Sendable {
    /// The transposed convolution (PyTorch ConvTranspose semantics).
    package let geometry: TransposedConvolutionGeometry
    /// Its input, row-major.
    package let input: [Double]
    /// Its kernel, row-major.
    package let weights: [Double]

    /// Draws a setting: 2×2 with a 2×2 kernel at stride 1 (easy), stride 2 (medium),
    /// a 3×3 kernel with stride 2, padding 1 and possibly output_padding 1 (hard).
    init(_ difficulty: Difficulty, _ random: inout SplitMix64) throws(GeometryError) {
        var rank = 2, n = 2, k = 2, s = 1, p = 0, a = 0
        var range = 0...4
        switch difficulty {
        case .easy:
            break
        case .medium:
            if random.bool() { s = 2 } else { rank = 1; n = 3; k = 3; s = 2; range = 1...5 }
        case .hard:
            n = random.int(in: 2...3); k = 3; s = 2; p = 1; a = random.outputPadding(stride: s, dilation: 1); range = -3...3
        }
        geometry = try TransposedConvolutionGeometry(
            inputSize: [Int](repeating: n, count: rank), kernelSize: [k], stride: [s],
            padding: .symmetric([p]), outputPadding: [a])
        input = (0..<geometry.convolution.rowCount).map { _ in Double(random.int(in: range)) }
        weights = random.exerciseKernel(geometry.convolution.kernelVolume, in: range)
    }

    /// z = Cᵀ·x, computed by CHOLMOD from the matrix C of the matching convolution.
    ///
    /// - Returns: z, the transposed convolution's output.
    /// - Throws: `ExerciseError` when the geometry or CHOLMOD's product fails.
    package func answer() throws(ExerciseError) -> [Double] {
        try Self.product(geometry, input, weights)
    }

    private static func product(_ geometry: TransposedConvolutionGeometry, _ x: [Double], _ w: [Double]) throws(ExerciseError) -> [Double] {
        let kernel = try checkedGeometry { () throws(GeometryError) in try Kernel(w, geometry: geometry.convolution) }
        return try checkedProduct { () throws(CholmodError) in
            try SparseMatrix(convolution: kernel).multiplyTransposed(DenseMatrix(column: x)).values
        }
    }

    private var columns: Int { geometry.outputSize[geometry.outputSize.count - 1] }

    var prompt: [PromptBlock] {
        let c = geometry.convolution
        let rank = c.spatialRank
        let extra = geometry.outputPadding[0] == 0 ? "" : ", output_padding=\(geometry.outputPadding[0])"
        let size = geometry.outputSize.map(String.init).joined(separator: "×")
        return [
            .text(
                "`nn.ConvTranspose\(rank)d(1, 1, kernel_size=\(c.kernelSize[0]), stride=\(c.stride[0]), padding=\(c.paddingBefore[0])\(extra), bias=False)` has the kernel w and receives the input x below. Compute its output z (\(rank == 1 ? "length \(size)" : size)) by hand and write it row by row."
            ),
            .grid("x", input, columns: geometry.inputSize[rank - 1]),
            .grid("w", weights, columns: c.kernelSize[rank - 1]),
        ]
    }

    func solve() throws(ExerciseError) -> [AnswerPart] {
        let c = geometry.convolution
        let z = try answer()
        let flipped = try Self.product(geometry, input, weights.reversed())
        var mistakes = [
            Mistake(
                answer: .numbers(flipped),
                note: "you flipped the kernel; the transposed convolution scatters w as it is (the flip belongs to the equivalent direct convolution)")
        ]
        if c.paddingBefore[0] > 0 {
            let uncropped = try checkedGeometry { () throws(GeometryError) in
                try TransposedConvolutionGeometry(
                    inputSize: geometry.inputSize, kernelSize: c.kernelSize, stride: c.stride,
                    padding: .symmetric([0]), outputPadding: geometry.outputPadding)
            }
            mistakes.append(
                Mistake(
                    answer: .numbers(try Self.product(uncropped, input, weights)),
                    note:
                        "padding=\(c.paddingBefore[0]) is applied to the output of a transposed convolution: drop the first and last \(c.paddingBefore[0]) row(s) and column(s) of the scattered grid"
                ))
        }
        let positions = (0..<z.count).map { flat -> String in
            c.spatialRank == 1 ? "z[\(flat)]" : "z[\(flat / columns),\(flat % columns)]"
        }
        let rows = stride(from: 0, to: z.count, by: columns).map { z[$0..<$0 + columns].map(formatNumber).joined(separator: " ") }
        return [
            AnswerPart(
                name: "output z", expected: .numbers(z),
                working: "each x[q] times the whole kernel is added into z starting at q·\(c.stride[0]) − \(c.paddingBefore[0]); z = "
                    + rows.joined(separator: " / "),
                hint: "z[q·s − p + u] += x[q]·w[u] for every input q and kernel offset u, keeping only positions inside z",
                positions: positions, mistakes: mistakes)
        ]
    }
}
