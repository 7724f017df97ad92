import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// "How many zeros does SAME put before and after?" TensorFlow's SAME
/// chooses the output size ⌈i/s⌉ first and then the smallest total padding
/// that achieves it, putting an odd extra zero at the end (bottom, right).
package struct SamePaddingProblem: Hashable, Sendable {
    /// Length i of the signal.
    package let inputSize: Int
    /// Kernel width k.
    package let kernelSize: Int
    /// Stride s.
    package let stride: Int
    /// Dilation d.
    package let dilation: Int

    /// Draws a setting: stride 1 (easy), stride 2 (medium), strides 2–3 with dilation (hard).
    init(_ difficulty: Difficulty, _ random: inout SplitMix64) throws(GeometryError) {
        switch difficulty {
        case .easy:
            inputSize = random.int(in: 4...9); kernelSize = random.int(in: 2...5); stride = 1; dilation = 1
        case .medium:
            inputSize = random.int(in: 4...9); kernelSize = random.int(in: 2...4); stride = 2; dilation = 1
        case .hard:
            inputSize = random.int(in: 5...12); kernelSize = random.int(in: 2...5)
            stride = random.int(in: 2...3); dilation = random.int(in: 1...2)
        }
        _ = try geometry()
    }

    /// The SAME convolution, as the library resolves it.
    ///
    /// - Returns: the geometry, with SAME resolved to numbers before and after.
    /// - Throws: `GeometryError` if the drawn sizes make no convolution (not for sizes the generator draws).
    package func geometry() throws(GeometryError) -> ConvolutionGeometry {
        try ConvolutionGeometry(inputSize: [inputSize], kernelSize: [kernelSize], stride: [stride], dilation: [dilation], padding: .same)
    }

    var prompt: [PromptBlock] {
        let dilationText = dilation == 1 ? "" : " and `dilations=\(dilation)`"
        return [
            .text(
                "`tf.nn.conv1d` with a kernel of width \(kernelSize), `stride=\(stride)`\(dilationText) and `padding=\"SAME\"` receives a signal of length \(inputSize). (a) What is the output length? (b) How many zeros are added before the signal and how many after it? Answer (b) as two numbers: before after."
            )
        ]
    }

    func solve() throws(ExerciseError) -> [AnswerPart] {
        let g = try checkedGeometry { () throws(GeometryError) in try geometry() }
        let (i, k, s, d) = (inputSize, kernelSize, stride, dilation)
        let o = g.outputSize[0], before = g.paddingBefore[0], after = g.paddingAfter[0]
        let total = before + after
        let span = d * (k - 1) + 1
        func pair(_ b: Int, _ a: Int) -> AnswerValue { .numbers([Double(b), Double(a)]) }
        return [
            AnswerPart(
                label: "a", name: "output length", expected: .numbers([Double(o)]),
                working: "SAME: o = ⌈i/s⌉ = ⌈\(i)/\(s)⌉ = \(o)", hint: "SAME: o = ⌈i/s⌉, whatever the kernel",
                mistakes: [
                    Mistake(answer: .numbers([Double(i)]), note: "SAME keeps the length only at stride 1; in general o = ⌈i/s⌉"),
                    Mistake(answer: .numbers([Double(i / s)]), note: "SAME rounds up: ⌈i/s⌉"),
                ]),
            AnswerPart(
                label: "b", name: "zeros before and after", expected: pair(before, after),
                working:
                    "P = max((o − 1)·s + d·(k − 1) + 1 − i, 0) = max((\(o) − 1)·\(s) + \(span) − \(i), 0) = \(total); before = ⌊P/2⌋ = \(before), after = ⌈P/2⌉ = \(after)",
                hint: "P = max((o − 1)·s + d·(k − 1) + 1 − i, 0); before = ⌊P/2⌋, after = P − before (the odd zero goes at the end)",
                mistakes: [
                    Mistake(answer: pair(after, before), note: "TensorFlow puts the odd extra zero after the data (bottom and right), not before"),
                    Mistake(answer: pair(total, total), note: "\(total) is the total padding P; split it into ⌊P/2⌋ before and the rest after"),
                    Mistake(
                        answer: pair((span - 1) / 2, span - 1 - (span - 1) / 2),
                        note:
                            "d·(k − 1) = \(span - 1) zeros are needed only at stride 1; with stride \(s) the window positions decide: P = (o − 1)·s + d·(k − 1) + 1 − i"
                    ),
                ]),
        ]
    }
}
