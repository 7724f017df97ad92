import ArgumentParser
import ConvMatrix

/// `convmat shape`: output sizes with the formula filled in.
struct ShapeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shape",
        abstract: "Output size of a convolution or transposed convolution, with the formula filled in.",
        discussion: """
        For --transposed it also lists every output size the transposed convolution can produce,
        each with the output_padding that selects it.

        Examples:
          convmat shape --input 5x5 --kernel 3 --stride 2 --padding 1
          convmat shape --input 3x3 --kernel 3 --stride 2 --padding 1 --transposed
          convmat shape --input 5x5 --kernel 2 --stride 2 --padding same
        """
    )

    @OptionGroup var geometry: GeometryOptions

    func run() throws {
        print(ShapeReport(try geometry.resolve(checkingMemory: false)).text, terminator: "")
    }
}

/// The text `convmat shape` prints.
struct ShapeReport {
    let text: String

    init(_ described: DescribedGeometry) {
        var lines = [String]()
        let c = described.convolution
        func settings(_ d: Int) -> String {
            "k=\(c.kernelSize[d]) s=\(c.stride[d]) d=\(c.dilation[d]) padding \(c.paddingBefore[d])+\(c.paddingAfter[d])"
        }
        switch described {
        case .convolution:
            lines.append("convolution: input \(sizeText(c.inputSize)) → output \(sizeText(c.outputSize)), channels \(c.inChannels) → \(c.outChannels), groups \(c.groups)")
            lines.append("o = ⌊(i + p_before + p_after − d·(k − 1) − 1) / s⌋ + 1")
            for d in 0..<c.spatialRank {
                lines.append("  dim \(d) (\(settings(d))): ⌊(\(c.inputSize[d]) + \(c.paddingBefore[d]) + \(c.paddingAfter[d]) − \(c.dilation[d])·\(c.kernelSize[d] - 1) − 1) / \(c.stride[d])⌋ + 1 = \(c.outputSize[d])")
            }
        case .transposed(let t):
            lines.append("transposed convolution: input \(sizeText(t.inputSize)) → output \(sizeText(t.outputSize)), channels \(t.inChannels) → \(t.outChannels), groups \(c.groups)")
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
        lines.append("matrix \(described.isTransposed ? "Cᵀ" : "C"): \(described.isTransposed ? c.columnCount : c.rowCount)×\(described.isTransposed ? c.rowCount : c.columnCount), \(c.nonzeroCount) nonzeros")
        text = lines.joined(separator: "\n") + "\n"
    }
}
