import ConvMatrixCore
import ConvMatrixInterchange

/// Names for the rows and columns of a printed operator matrix: the tensor
/// element each one stands for, e.g. `y(0,1)` for output position (0, 1)
/// or `x1(2,3)` for input channel 1 at (2, 3). The channel follows the
/// letter only when that side has more than one channel.
///
/// C maps x (its columns) to y (its rows); Cᵀ maps y (its columns) to the
/// transposed convolution's output z (its rows), matching the header
/// `z = Cᵀ·y` that `convmat matrix` prints.
package struct PositionLabels: Sendable {
    let convolutionOperator: ConvolutionOperator

    /// Labels for the matrix of `convolutionOperator` (C or Cᵀ).
    ///
    /// - Parameter convolutionOperator: the operation whose matrix is labelled: rows are its outputs, columns its inputs.
    package init(_ convolutionOperator: ConvolutionOperator) {
        self.convolutionOperator = convolutionOperator
    }

    /// The label of printed row `index`: an output element.
    ///
    /// - Parameter index: a row of the printed matrix, from 0.
    /// - Returns: the output element it stands for: the operator's output letter and the element's position (with the channel when there are several).
    package func row(_ index: Int) -> String {
        let op = convolutionOperator
        return label(op.outputLetter, index, op.outputSize, op.outChannels)
    }

    /// The label of printed column `index`: an input element.
    ///
    /// - Parameter index: a column of the printed matrix, from 0.
    /// - Returns: the input element it stands for: the operator's input letter and the element's position (with the channel when there are several).
    package func column(_ index: Int) -> String {
        let op = convolutionOperator
        return label(op.inputLetter, index, op.inputSize, op.inChannels)
    }

    /// Printed rows per channel block (the spatial volume of the output).
    package var rowBlock: Int { convolutionOperator.outputSize.reduce(1, *) }
    /// Printed columns per channel block (the spatial volume of the input).
    package var columnBlock: Int { convolutionOperator.inputSize.reduce(1, *) }

    /// `letter` + channel (if several) + the row-major position of `index` within its channel.
    private func label(_ letter: String, _ index: Int, _ size: [Int], _ channels: Int) -> String {
        var position = [Int](repeating: 0, count: size.count)
        let channelIndex = rowMajorPosition(of: index, in: size, into: &position)
        let channel = channels > 1 ? String(channelIndex) : ""
        return "\(letter)\(channel)(\(position.map(String.init).joined(separator: ",")))"
    }
}
