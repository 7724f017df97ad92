import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// "Dilated versus transposed": the same 1-D signal and kernel through a
/// convolution with dilation d = f and a transposed convolution with stride s = f.
/// Dilation spreads the kernel's taps over the input (holes in the kernel,
/// the output shrinks); a stride-f transposed convolution spreads the
/// input's elements over the output (zeros between inputs, the output grows).
package struct DilatedVersusTransposedProblem: Hashable, Sendable {
    /// The signal x.
    package let input: [Double]
    /// The kernel w.
    package let weights: [Double]
    /// The dilation of the convolution and the stride of the transposed convolution.
    package let factor: Int
    /// Whether only the lengths are asked (easy) or the values too.
    package let asksValues: Bool

    /// Draws a setting: lengths only with f = 2 (easy), values with f = 2 (medium), values with f = 3 and signed numbers (hard).
    init(_ difficulty: Difficulty, _ random: inout SplitMix64) throws(GeometryError) {
        var n = 5, k = 3, f = 2, range = 0...3
        switch difficulty {
        case .easy: n = random.int(in: 5...8)
        case .medium: n = random.int(in: 5...6); k = random.int(in: 2...3)
        case .hard: n = random.int(in: 5...6); k = 2; f = 3; range = -2...3
        }
        input = (0..<n).map { _ in Double(random.int(in: range)) }
        // A kernel that reads the same backwards would let a flipped kernel give the right
        // transposed output, hiding the one mistake the question is about.
        var kernel = random.exerciseKernel(k, in: range)
        while kernel == kernel.reversed() { kernel = random.exerciseKernel(k, in: range) }
        weights = kernel
        factor = f
        asksValues = difficulty != .easy
        _ = try dilatedGeometry()
    }

    /// The dilated convolution: stride 1, no padding, dilation f.
    ///
    /// - Returns: the geometry of the dilated convolution.
    /// - Throws: `GeometryError` if the drawn sizes make no convolution (not for sizes the generator draws).
    package func dilatedGeometry() throws(GeometryError) -> ConvolutionGeometry {
        try ConvolutionGeometry(inputSize: [input.count], kernelSize: [weights.count], dilation: [factor])
    }

    /// The transposed convolution: stride f, PyTorch padding 0 (not `.valid`, whose
    /// TensorFlow size rule gives i′·s, longer than (i′ − 1)·s + k when k < s).
    ///
    /// - Returns: the geometry of the transposed convolution.
    /// - Throws: `GeometryError` if the drawn sizes make no transposed convolution (not for sizes the generator draws).
    package func transposedGeometry() throws(GeometryError) -> TransposedConvolutionGeometry {
        try TransposedConvolutionGeometry(inputSize: [input.count], kernelSize: [weights.count], stride: [factor], padding: .symmetric([0]))
    }

    /// Both outputs, through the library's matrices: C_dilated·x and C_strideᵀ·x.
    ///
    /// - Returns: the two output vectors, for the student to compare.
    /// - Throws: `ExerciseError` when a geometry or a CHOLMOD product fails.
    package func answer() throws(ExerciseError) -> (dilated: [Double], transposed: [Double]) {
        let (dilated, transposed) = try checkedGeometry { () throws(GeometryError) in
            (try Kernel(weights, geometry: try dilatedGeometry()), try Kernel(weights, geometry: try transposedGeometry().convolution))
        }
        return try checkedProduct { () throws(CholmodError) in
            (
                try SparseMatrix(convolution: dilated).multiply(DenseMatrix(column: input)).values,
                try SparseMatrix(convolution: transposed).multiplyTransposed(DenseMatrix(column: input)).values
            )
        }
    }

    var prompt: [PromptBlock] {
        let k = weights.count, f = factor
        let ask = asksValues ? "Compute both outputs." : "Give only the length of each output."
        return [
            .text(
                "Take the signal x and the kernel w below. (a) `nn.Conv1d(1, 1, kernel_size=\(k), dilation=\(f), bias=False)` with kernel w, applied to x. (b) `nn.ConvTranspose1d(1, 1, kernel_size=\(k), stride=\(f), bias=False)` with kernel w, applied to x. \(ask)"
            ),
            .grid("x", input, columns: input.count),
            .grid("w", weights, columns: k),
        ]
    }

    func solve() throws(ExerciseError) -> [AnswerPart] {
        let (dilated, transposed) = try answer()
        let n = input.count, k = weights.count, f = factor
        let span = f * (k - 1) + 1
        func length(_ value: Int) -> AnswerValue { .numbers([Double(value)]) }
        let dilatedWorking =
            "the kernel's taps sit d = \(f) apart, so it spans d·(k − 1) + 1 = \(span) inputs: y[q] = Σ_u w[u]·x[q + \(f)u], length \(n) − \(span) + 1 = \(dilated.count)"
        let transposedWorking =
            "input q times the whole kernel is added into z starting at \(f)q: length (n − 1)·s + k = (\(n) − 1)·\(f) + \(k) = \(transposed.count)"
        if !asksValues {
            return [
                AnswerPart(
                    label: "a", name: "length of the dilated output", expected: length(dilated.count),
                    working: dilatedWorking, hint: "o = i − d·(k − 1)",
                    mistakes: [
                        Mistake(answer: length(n - k + 1), note: "dilation spreads the kernel: it spans d·(k − 1) + 1 = \(span) inputs, not \(k)"),
                        Mistake(
                            answer: length(transposed.count), note: "that is the transposed convolution's length; a dilated convolution shrinks the signal"),
                    ]),
                AnswerPart(
                    label: "b", name: "length of the transposed output", expected: length(transposed.count),
                    working: transposedWorking, hint: "o′ = (i′ − 1)·s + k",
                    mistakes: [
                        Mistake(answer: length(n * f), note: "n·s is TensorFlow's SAME default; PyTorch gives (n − 1)·s + k"),
                        Mistake(answer: length(n + k - 1), note: "stride \(f) leaves \(f - 1) zero(s) between neighbouring inputs: (n − 1)·s + k"),
                        Mistake(
                            answer: length(dilated.count),
                            note: "that is the dilated convolution's length; a stride-\(f) transposed convolution grows the signal"),
                    ]),
            ]
        }
        return [
            AnswerPart(
                label: "a", name: "dilated output", expected: .numbers(dilated),
                working: dilatedWorking + "; y = " + dilated.map(formatNumber).joined(separator: " "),
                hint: "y[q] = Σ_u w[u]·x[q + d·u]",
                positions: dilated.indices.map { "y[\($0)]" }),
            AnswerPart(
                label: "b", name: "transposed output", expected: .numbers(transposed),
                working: transposedWorking + "; z = " + transposed.map(formatNumber).joined(separator: " "),
                hint: "z[s·q + u] += x[q]·w[u]",
                positions: transposed.indices.map { "z[\($0)]" }),
        ]
    }
}
