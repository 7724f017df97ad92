/// The sizes of an operation with the formula filled in, per dimension, as
/// `convmat shape` prints them; for a transposed convolution also every
/// output size it can produce, each with the `output_padding` that selects it.
public struct ShapeReport: Sendable {
    /// The operation described.
    public let convolutionOperator: ConvolutionOperator

    /// The report for `convolutionOperator`.
    public init(_ convolutionOperator: ConvolutionOperator) {
        self.convolutionOperator = convolutionOperator
    }

    /// The report as lines of text, ending with a newline.
    public var text: String {
        var lines = [String]()
        let c = convolutionOperator.convolution
        func settings(_ d: Int) -> String {
            "k=\(c.kernelSize[d]) s=\(c.stride[d]) d=\(c.dilation[d]) padding \(c.paddingBefore[d])+\(c.paddingAfter[d])"
        }
        switch convolutionOperator {
        case .convolution:
            lines.append("convolution: input \(formatSize(c.inputSize)) → output \(formatSize(c.outputSize)), channels \(c.inChannels) → \(c.outChannels), groups \(c.groups)")
            lines.append("o = ⌊(i + p_before + p_after − d·(k − 1) − 1) / s⌋ + 1")
            for d in 0..<c.spatialRank {
                lines.append("  dim \(d) (\(settings(d))): ⌊(\(c.inputSize[d]) + \(c.paddingBefore[d]) + \(c.paddingAfter[d]) − \(c.dilation[d])·\(c.kernelSize[d] - 1) − 1) / \(c.stride[d])⌋ + 1 = \(c.outputSize[d])")
            }
        case .transposed(let t):
            lines.append("transposed convolution: input \(formatSize(t.inputSize)) → output \(formatSize(t.outputSize)), channels \(t.inChannels) → \(t.outChannels), groups \(c.groups)")
            lines.append("o′ = (i′ − 1)·s − p_before − p_after + d·(k − 1) + 1 + output_padding")
            for d in 0..<c.spatialRank {
                lines.append("  dim \(d) (\(settings(d))): (\(t.inputSize[d]) − 1)·\(c.stride[d]) − \(c.paddingBefore[d]) − \(c.paddingAfter[d]) + \(c.dilation[d])·\(c.kernelSize[d] - 1) + 1 + \(t.outputPadding[d]) = \(t.outputSize[d])")
            }
            lines.append("possible output sizes (a convolution maps each of them back to the input size):")
            for (d, choices) in t.outputSizeChoices.enumerated() {
                let listed = choices.map { "\($0.size) (output_padding \($0.outputPadding))" }.joined(separator: ", ")
                lines.append("  dim \(d): \(listed)")
            }
        }
        let op = convolutionOperator
        lines.append("matrix \(op.matrixName): \(op.rowCount)×\(op.columnCount), \(c.nonzeroCount) nonzeros")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A size as people write it: "4×4" for [4, 4], "5" for [5].
public func formatSize(_ sizes: [Int]) -> String { sizes.map(String.init).joined(separator: "×") }
