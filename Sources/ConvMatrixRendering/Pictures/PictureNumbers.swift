import ConvMatrixCore
import ConvMatrixInterchange

/// What a picture writes into its cells besides names: the kernel's values,
/// the drawn operation's input values, and whether the kernel is rotated by
/// 180° (true convolution). Dumoulin & Visin's numeric figures are the
/// model: every input, tap, product and output a student can check by hand.
struct PictureNumbers: Sendable {
    /// The kernel of one channel pair, row-major (nil: symbolic names).
    var weights: [Double]?
    /// The input of the drawn operation, row-major (nil: names).
    var values: [Double]?
    /// True convolution: tap (i, j) of the window multiplies w[k − 1 − i, k − 1 − j].
    var flip = false

    /// Whether both the weights and the values are given, so that products and sums are numbers.
    var isNumeric: Bool { weights != nil && values != nil }

    /// No numbers, no flip.
    static let none = PictureNumbers(weights: nil, values: nil, flip: false)

    /// The kernel entry (lifted [row, column]) that tap `tap` of the window multiplies.
    func kernelEntry(_ tap: [Int], _ plane: Plane) -> [Int] {
        flip ? [plane.kernel[0] - 1 - tap[0], plane.kernel[1] - 1 - tap[1]] : tap
    }

    /// The value of kernel entry `entry` (lifted), when weights are given.
    func weight(_ entry: [Int], _ plane: Plane) -> Double? {
        weights.map { $0[entry[0] * plane.kernel[1] + entry[1]] }
    }

    /// How a tap is written: its value, or the name of the kernel entry it multiplies.
    func tapText(_ entry: [Int], _ plane: Plane, rank: Int) -> String {
        weight(entry, plane).map(formatNumber) ?? tapName("w", entry, rank: rank)
    }
}
