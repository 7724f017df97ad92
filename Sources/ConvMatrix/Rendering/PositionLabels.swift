/// Names for the rows and columns of a printed C or Cᵀ: the tensor element
/// each one stands for, e.g. `y(0,1)` for output position (0, 1) or
/// `x1(2,3)` for input channel 1 at (2, 3). The channel follows the letter
/// only when that side has more than one channel.
///
/// C maps x (its columns) to y (its rows). Printed transposed, the rows of
/// Cᵀ are the transposed convolution's output z and its columns are y,
/// matching the header `z = Cᵀ·y` that `convmat matrix` prints.
public struct PositionLabels: Sendable {
    let geometry: ConvolutionGeometry
    let transposed: Bool

    /// Labels for `geometry`'s C, or for Cᵀ when `transposed`.
    public init(geometry: ConvolutionGeometry, transposed: Bool) {
        self.geometry = geometry
        self.transposed = transposed
    }

    /// The label of printed row `index`.
    public func row(_ index: Int) -> String {
        transposed ? label("z", index, geometry.inputSize, geometry.inChannels)
                   : label("y", index, geometry.outputSize, geometry.outChannels)
    }

    /// The label of printed column `index`.
    public func column(_ index: Int) -> String {
        transposed ? label("y", index, geometry.outputSize, geometry.outChannels)
                   : label("x", index, geometry.inputSize, geometry.inChannels)
    }

    /// Printed rows per channel block (the spatial volume of the row side).
    public var rowBlock: Int { transposed ? geometry.inputVolume : geometry.outputVolume }
    /// Printed columns per channel block (the spatial volume of the column side).
    public var columnBlock: Int { transposed ? geometry.outputVolume : geometry.inputVolume }

    /// `letter` + channel (if several) + the row-major position of `index` within its channel.
    private func label(_ letter: String, _ index: Int, _ size: [Int], _ channels: Int) -> String {
        let volume = size.reduce(1, *)
        var rest = index % volume
        var position = [Int](repeating: 0, count: size.count)
        for d in stride(from: size.count - 1, through: 0, by: -1) {
            position[d] = rest % size[d]
            rest /= size[d]
        }
        let channel = channels > 1 ? String(index / volume) : ""
        return "\(letter)\(channel)(\(position.map(String.init).joined(separator: ",")))"
    }
}
