import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// "Which output_padding (PyTorch) or output_shape (TensorFlow) restores the
/// size?" A strided convolution maps several input sizes to the same output
/// size, so its transposed convolution must be told which one to produce.
package struct RestoreSizeProblem: Hashable, Sendable {
    /// PyTorch (ask for output_padding) or TensorFlow (ask for every valid output_shape size).
    package let convention: OutputSizeProblem.Convention
    /// PyTorch: the size of the convolution's input that must come back.
    /// TensorFlow: the size of the transposed convolution's input i′.
    package let size: Int
    /// Kernel height (= width) k.
    package let kernelSize: Int
    /// Stride s (at least 2, or the question would be trivial).
    package let stride: Int
    /// PyTorch symmetric padding p.
    package let padding: Int
    /// TensorFlow `padding="SAME"` (true) or `"VALID"`.
    package let same: Bool

    /// Draws a setting: the PyTorch documentation's Conv2d(k=3, s=2, p=1) on 5…8 (easy), other
    /// kernels, strides and paddings (medium), TensorFlow output_shape or stride 3–4 (hard).
    init(_ difficulty: Difficulty, _ random: inout SplitMix64) throws(GeometryError) {
        var convention = OutputSizeProblem.Convention.pytorch
        var i = 0, k = 3, s = 2, p = 1, same = false
        switch difficulty {
        case .easy:
            i = random.int(in: 5...8)
        case .medium:
            i = random.int(in: 5...12); k = random.int(in: 2...5); s = random.int(in: 2...3); p = random.int(in: 0...(k / 2))
        case .hard:
            if random.bool() {
                convention = .tensorflow; same = random.bool()
                i = random.int(in: 2...5); k = random.int(in: 2...4); s = random.int(in: 2...3); p = 0
            } else {
                i = random.int(in: 8...15); k = random.int(in: 3...5); s = random.int(in: 3...4); p = random.int(in: 0...(k / 2))
            }
        }
        self.convention = convention; size = i; kernelSize = k; stride = s; padding = p; self.same = same
        if convention == .pytorch { _ = try pytorchAnswer() }
    }

    /// The convolution's output size o (PyTorch variant).
    ///
    /// - Returns: o in one dimension.
    /// - Throws: `GeometryError` if the drawn sizes make no convolution (not for sizes the generator draws).
    package func convolutionOutput() throws(GeometryError) -> Int {
        try ConvolutionGeometry(inputSize: [size, size], kernelSize: [kernelSize], stride: [stride], padding: .symmetric([padding])).outputSize[0]
    }

    /// The output_padding that makes ConvTranspose2d on o×o return size×size, from the library's geometry.
    ///
    /// - Returns: the `output_padding` value.
    /// - Throws: `GeometryError` if the drawn sizes make no transposed convolution (not for sizes the generator draws).
    package func pytorchAnswer() throws(GeometryError) -> Int {
        let o = try convolutionOutput()
        return try TransposedConvolutionGeometry(
            inputSize: [o, o], kernelSize: [kernelSize], stride: [stride], padding: .symmetric([padding]),
            outputSize: [size, size]
        ).outputPadding[0]
    }

    /// Every output size `tf.nn.conv2d_transpose` accepts for an i′×i′ input: those the
    /// library's geometry does not refuse, in increasing order.
    ///
    /// - Returns: the accepted sizes, in increasing order.
    package func tensorflowAnswer() -> [Int] {
        (1...(size * stride + kernelSize + stride)).filter { o in
            (try? TransposedConvolutionGeometry(
                inputSize: [size, size], kernelSize: [kernelSize], stride: [stride],
                padding: same ? .same : .valid, outputSize: [o, o])) != nil
        }
    }

    var prompt: [PromptBlock] {
        if convention == .tensorflow {
            let mode = same ? "SAME" : "VALID"
            return [
                .text(
                    "`tf.nn.conv2d_transpose` with \(withArticle("\(kernelSize)×\(kernelSize)")) kernel, `strides=\(stride)` and `padding=\"\(mode)\"` receives \(withArticle("\(size)×\(size)")) input. Which output heights may `output_shape` ask for? (A size is accepted when `tf.nn.conv2d` with the same settings maps it back to \(size).) List all of them in increasing order."
                )
            ]
        }
        return [
            .text(
                "`nn.Conv2d(1, 1, kernel_size=\(kernelSize), stride=\(stride), padding=\(padding))` turns \(withArticle("\(size)×\(size)")) input into a smaller output. `nn.ConvTranspose2d(1, 1, kernel_size=\(kernelSize), stride=\(stride), padding=\(padding), output_padding=a)` should turn that output back into \(size)×\(size). Which a?"
            )
        ]
    }

    func solve() throws(ExerciseError) -> [AnswerPart] {
        let (k, s, p) = (kernelSize, stride, padding)
        if convention == .tensorflow {
            let sizes = tensorflowAnswer()
            let listed = sizes.map(String.init).joined(separator: ", ")
            let standard = same ? size * s : size * s + max(k - s, 0)
            let rule = same ? "⌈o/s⌉ = ⌈o/\(s)⌉" : "⌊(o − k)/s⌋ + 1 = ⌊(o − \(k))/\(s)⌋ + 1"
            return [
                AnswerPart(
                    name: "accepted output sizes", expected: .numbers(sizes.map(Double.init)),
                    working:
                        "conv2d with \(same ? "SAME" : "VALID") maps o to \(rule), which equals \(size) exactly for o ∈ {\(listed)}; Keras picks \(standard) when no size is given",
                    hint: same
                        ? "SAME: the conv gives ⌈o/s⌉; keep every o with ⌈o/s⌉ = i′"
                        : "VALID: the conv gives ⌊(o − k)/s⌋ + 1; keep every o for which that is i′",
                    mistakes: [
                        Mistake(
                            answer: .numbers([Double(standard)]),
                            note: "\(standard) is only the default; every size the convolution maps back to \(size) is accepted")
                    ])
            ]
        }
        let (o, a) = try checkedGeometry { () throws(GeometryError) in (try convolutionOutput(), try pytorchAnswer()) }
        let base = (o - 1) * s - 2 * p + k
        let mistakes = (0..<s).map { b in
            Mistake(answer: .numbers([Double(b)]), note: "output_padding = \(b) gives (o − 1)·s − 2p + k + \(b) = \(base + b), not \(size)")
        }
        return [
            AnswerPart(
                name: "output_padding", expected: .numbers([Double(a)]),
                working:
                    "Conv2d gives o = ⌊(\(size) + 2·\(p) − \(k))/\(s)⌋ + 1 = \(o); ConvTranspose2d without output_padding gives (o − 1)·s − 2p + k = (\(o) − 1)·\(s) − 2·\(p) + \(k) = \(base), so a = \(size) − \(base) = \(a) = (i + 2p − k) mod s",
                hint: "a = i − [(o − 1)·s − 2p + k] = (i + 2p − k) mod s, and 0 ≤ a < s",
                mistakes: mistakes)
        ]
    }
}
