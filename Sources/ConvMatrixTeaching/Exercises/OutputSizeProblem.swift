import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// "What size comes out?" for a square 2-D convolution or transposed
/// convolution, written the way PyTorch or TensorFlow would be called.
package struct OutputSizeProblem: Hashable, Sendable {
    /// Whose call the question shows.
    package enum Convention: String, Hashable, Sendable {
        /// `torch.nn` layers with integer padding and output_padding.
        case pytorch
        /// `tf.nn` functions with SAME or VALID.
        case tensorflow
    }

    /// PyTorch or TensorFlow.
    package let convention: Convention
    /// A PyTorch ConvTranspose2d rather than a convolution.
    package let transposed: Bool
    /// Height (= width) of the input.
    package let inputSize: Int
    /// Kernel height (= width) k.
    package let kernelSize: Int
    /// Stride s.
    package let stride: Int
    /// Dilation d.
    package let dilation: Int
    /// Symmetric padding p (PyTorch); ignored for TensorFlow.
    package let padding: Int
    /// TensorFlow's `padding="SAME"` (true) or `"VALID"`.
    package let same: Bool
    /// PyTorch's output_padding (transposed only).
    package let outputPadding: Int

    /// Draws a setting: stride-1 PyTorch convolutions (easy); strides, padding
    /// and PyTorch transposed convolutions (medium); TensorFlow SAME/VALID,
    /// dilation and larger strides (hard). Throws if the setting does not exist.
    init(_ difficulty: Difficulty, _ random: inout SplitMix64) throws(GeometryError) {
        var convention = Convention.pytorch, transposed = false, same = false
        var i = 0, k = 0, s = 1, d = 1, p = 0, a = 0
        switch difficulty {
        case .easy:
            i = random.int(in: 4...9); k = random.int(in: 1...5); p = random.int(in: 0...(k - 1))
        case .medium:
            if random.bool() {
                i = random.int(in: 5...12); k = random.int(in: 2...5); s = random.int(in: 2...3); p = random.int(in: 0...(k / 2))
            } else {
                transposed = true
                i = random.int(in: 2...6); k = random.int(in: 2...4); s = random.int(in: 1...3)
                p = random.int(in: 0...(k - 1)); a = random.outputPadding(stride: s, dilation: d)
            }
        case .hard:
            switch random.int(in: 0...2) {
            case 0:
                convention = .tensorflow; same = random.bool()
                i = random.int(in: 5...13); k = random.int(in: 2...5); s = random.int(in: 1...3)
            case 1:
                i = random.int(in: 7...14); k = random.int(in: 2...3); d = random.int(in: 2...3)
                s = random.int(in: 1...2); p = random.int(in: 0...2)
            default:
                transposed = true
                i = random.int(in: 2...5); k = random.int(in: 3...5); s = random.int(in: 2...4)
                p = random.int(in: 0...(k - 1)); a = random.outputPadding(stride: s, dilation: d)
            }
        }
        self.convention = convention; self.transposed = transposed; self.same = same
        inputSize = i; kernelSize = k; stride = s; dilation = d; padding = p; outputPadding = a
        _ = try answer()
    }

    /// The output size, from the library's geometry types.
    ///
    /// - Returns: the output size in one dimension.
    /// - Throws: `GeometryError` if the drawn sizes make no convolution (not for sizes the generator draws).
    package func answer() throws(GeometryError) -> Int {
        if transposed {
            return try TransposedConvolutionGeometry(
                inputSize: [inputSize, inputSize], kernelSize: [kernelSize], stride: [stride], dilation: [dilation],
                padding: .symmetric([padding]), outputPadding: [outputPadding]
            ).outputSize[0]
        }
        let rule: Padding = convention == .tensorflow ? (same ? .same : .valid) : .symmetric([padding])
        return try ConvolutionGeometry(
            inputSize: [inputSize, inputSize], kernelSize: [kernelSize], stride: [stride], dilation: [dilation],
            padding: rule
        ).outputSize[0]
    }

    var prompt: [PromptBlock] {
        let square = "\(inputSize)×\(inputSize)"
        let dilationText = dilation == 1 ? "" : ", dilation=\(dilation)"
        let call: String
        switch (convention, transposed) {
        case (.tensorflow, _):
            call =
                "`tf.nn.conv2d` with \(withArticle("\(kernelSize)×\(kernelSize)")) kernel, `strides=\(stride)` and `padding=\"\(same ? "SAME" : "VALID")\"` receives \(withArticle(square)) input."
        case (.pytorch, false):
            call = "`nn.Conv2d(1, 1, kernel_size=\(kernelSize), stride=\(stride), padding=\(padding)\(dilationText))` receives \(withArticle(square)) input."
        case (.pytorch, true):
            call =
                "`nn.ConvTranspose2d(1, 1, kernel_size=\(kernelSize), stride=\(stride), padding=\(padding), output_padding=\(outputPadding)\(dilationText))` receives \(withArticle(square)) input."
        }
        return [.text(call + " What is the height (= width) of its output?")]
    }

    func solve() throws(ExerciseError) -> [AnswerPart] {
        let o = try checkedGeometry { () throws(GeometryError) in try answer() }
        let (i, k, s, d, p, a) = (inputSize, kernelSize, stride, dilation, padding, outputPadding)
        func size(_ value: Int) -> AnswerValue { .numbers([Double(value)]) }
        if transposed {
            let conv = (i + 2 * p - k) / s + 1
            return [
                AnswerPart(
                    name: "output size", expected: size(o),
                    working: "o′ = (i′ − 1)·s − 2p + d·(k − 1) + output_padding + 1 = (\(i) − 1)·\(s) − 2·\(p) + \(d)·(\(k) − 1) + \(a) + 1 = \(o)",
                    hint: "o′ = (i′ − 1)·s − 2p + d·(k − 1) + output_padding + 1",
                    mistakes: [
                        Mistake(
                            answer: size(conv),
                            note: "that is the convolution's formula ⌊(i + 2p − k)/s⌋ + 1; a transposed convolution runs the size rule backwards"),
                        Mistake(answer: size(o - a), note: "output_padding = \(a) adds \(a) row(s) and column(s) at the end; include it"),
                        Mistake(answer: size(i * s), note: "i′·s is TensorFlow's SAME default, not PyTorch's rule"),
                        Mistake(answer: size(o + p), note: "padding removes p rows at the top and p at the bottom: subtract 2p"),
                    ])
            ]
        }
        if convention == .tensorflow {
            if same {
                return [
                    AnswerPart(
                        name: "output size", expected: size(o),
                        working: "SAME: o = ⌈i/s⌉ = ⌈\(i)/\(s)⌉ = \(o), whatever the kernel size",
                        hint: "SAME: o = ⌈i/s⌉",
                        mistakes: [
                            Mistake(answer: size(i), note: "SAME keeps the size only at stride 1; in general o = ⌈i/s⌉"),
                            Mistake(answer: size(i / s), note: "SAME rounds up: o = ⌈i/s⌉, not ⌊i/s⌋"),
                            Mistake(answer: size((i - k) / s + 1), note: "that is VALID's rule; SAME pads so that o = ⌈i/s⌉"),
                        ])
                ]
            }
            return [
                AnswerPart(
                    name: "output size", expected: size(o),
                    working: "VALID: o = ⌊(i − k)/s⌋ + 1 = ⌊(\(i) − \(k))/\(s)⌋ + 1 = \(o)",
                    hint: "VALID: o = ⌊(i − k)/s⌋ + 1 = ⌈(i − k + 1)/s⌉",
                    mistakes: [
                        Mistake(answer: size((i + s - 1) / s), note: "⌈i/s⌉ is SAME's rule; VALID drops windows that would leave the input"),
                        Mistake(answer: size((i - k) / s), note: "forgot the + 1: the window at position 0 counts too"),
                    ])
            ]
        }
        let span = d * (k - 1) + 1
        let formula = d == 1 ? "o = ⌊(i + 2p − k)/s⌋ + 1" : "o = ⌊(i + 2p − d·(k − 1) − 1)/s⌋ + 1"
        let filled =
            d == 1
            ? "⌊(\(i) + 2·\(p) − \(k))/\(s)⌋ + 1"
            : "⌊(\(i) + 2·\(p) − \(d)·(\(k) − 1) − 1)/\(s)⌋ + 1"
        return [
            AnswerPart(
                name: "output size", expected: size(o), working: "\(formula) = \(filled) = \(o)", hint: formula,
                mistakes: [
                    Mistake(answer: size(o - 1), note: "forgot the + 1: the window at position 0 counts too"),
                    Mistake(answer: size((i + p - span) / s + 1), note: "padding p is added on both sides: use 2p"),
                    Mistake(answer: size((i + 2 * p - span + s - 1) / s + 1), note: "a last window that does not fit is dropped: round down"),
                    Mistake(answer: size(i + 2 * p - span + 1), note: "windows start only every s = \(s) positions: divide by the stride"),
                    Mistake(answer: size((i + 2 * p - k) / s + 1), note: "a kernel with dilation \(d) spans d·(k − 1) + 1 = \(span) inputs, not k = \(k)"),
                ])
        ]
    }
}
