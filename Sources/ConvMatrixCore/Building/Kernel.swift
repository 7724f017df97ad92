/// A kernel's values checked against a convolution geometry: PyTorch order
/// [C_out, C_in/groups, k…], row-major, every value finite.
public struct Kernel: Hashable, Sendable {
    /// The convolution the kernel belongs to.
    public let geometry: ConvolutionGeometry
    /// The entries, flattened in PyTorch order.
    public let values: [Double]

    /// Checks that `values` has one finite entry per position of `geometry.weightShape`.
    /// `field` names the values in messages (a CLI flag or a case-file key).
    ///
    /// - Parameters:
    ///   - values: the weights in PyTorch order [C_out, C_in/groups, k…].
    ///   - geometry: the convolution the weights belong to.
    ///   - field: the name used for `values` in messages (a CLI flag or a case-file key).
    /// - Throws: `GeometryError.invalid` naming `field` with the count found and the shape's count when they
    ///   differ, or naming `field[n]` when entry n is not finite.
    public init(_ values: [Double], geometry: ConvolutionGeometry, field: String = "weights") throws(GeometryError) {
        let expected = geometry.weightCount
        guard values.count == expected else {
            let shape = geometry.weightShape.map(String.init).joined(separator: "×")
            throw .invalid(field: field, reason: "has \(values.count) value\(values.count == 1 ? "" : "s") but the kernel shape \(shape) needs \(expected)")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw .invalid(field: "\(field)[\(bad)]", reason: "= \(values[bad]) is not a finite number")
        }
        self.geometry = geometry
        self.values = values
    }

    /// The kernel 1, 2, 3, … (useful for printing and for checks where every tap must differ).
    ///
    /// - Parameter geometry: the convolution whose weight shape the kernel fills.
    /// - Returns: a kernel whose entry n (0-based, PyTorch order) is n + 1, so every nonzero of C names its tap.
    public static func counting(_ geometry: ConvolutionGeometry) -> Kernel {
        Kernel(unchecked: (0..<geometry.weightCount).map { Double($0 + 1) }, geometry: geometry)
    }

    private init(unchecked values: [Double], geometry: ConvolutionGeometry) {
        self.geometry = geometry
        self.values = values
    }
}
