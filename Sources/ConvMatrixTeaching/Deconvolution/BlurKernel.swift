import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// Blur kernels by name, for demonstrations: `box`, `gaussian`, and the
/// sized spellings `box3`, `box5`, `gaussian3`, `gaussian5` (any `boxN`, `gaussianN`).
///
/// In one dimension of size k:
///
///     box:      wᵢ = 1/k
///     gaussian: wᵢ = binom(k−1, i) / 2^(k−1)   (1 2 1 / 4,  1 4 6 4 1 / 16)
///
/// the binomial weights being the discrete Gaussian of variance (k−1)/4.
/// A kernel of several dimensions is the outer product of these, so its
/// weights sum to 1 (the blur keeps the mean brightness): gaussian3 in 2-D is
/// [1 2 1; 2 4 2; 1 2 1] / 16.
public struct BlurKernel: Hashable, Sendable, CustomStringConvertible {
    /// The shape of the weights.
    public enum Family: String, Sendable, CaseIterable {
        /// Equal weights.
        case box
        /// Binomial weights.
        case gaussian
    }

    /// Box or Gaussian.
    package let family: Family
    /// The size per dimension required by the name (`gaussian5` → 5), or nil when the geometry decides.
    package let size: Int?

    /// Reads a preset name; `field` names it in the message (a CLI flag).
    ///
    /// - Parameters:
    ///   - name: `box`, `gaussian`, or either followed by a size (`gaussian5`), in any case.
    ///   - field: the field named in a refusal.
    /// - Throws: `GeometryError.invalid` naming `field` for an unknown name or a size outside 1…64.
    public init(name: String, field: String = "kernel_preset") throws(GeometryError) {
        let lower = name.lowercased()
        for family in Family.allCases where lower.hasPrefix(family.rawValue) {
            let digits = lower.dropFirst(family.rawValue.count)
            if digits.isEmpty {
                self.family = family
                self.size = nil
                return
            }
            if let size = Int(digits), size >= 1, size <= 64 {
                self.family = family
                self.size = size
                return
            }
        }
        throw .invalid(
            field: field,
            reason:
                "= \(quoted: String(name)) is not a preset; use box or gaussian (size from \(field: "kernel")), or a sized name such as box3, box5, gaussian3, gaussian5"
        )
    }

    /// "gaussian5", or "gaussian" when the size comes from the geometry.
    public var description: String { family.rawValue + (size.map(String.init) ?? "") }

    /// The one-dimensional weights of size `k`.
    ///
    /// - Parameter k: the kernel size in one dimension, 1…64.
    /// - Returns: k weights that sum to 1: all 1/k for box, binomial for gaussian.
    package func weights(size k: Int) -> [Double] {
        switch family {
        case .box:
            return [Double](repeating: 1 / Double(k), count: k)
        case .gaussian:
            var row = [1.0]
            for _ in 1..<max(k, 1) { row = zip(row + [0], [0] + row).map { $0 + $1 } }
            let total = Double(sign: .plus, exponent: k - 1, significand: 1)
            return row.map { $0 / total }
        }
    }

    /// The kernel that blurs every input channel by itself with this preset:
    /// weight[o, i, k…] = Π_d w(k_d) when input channel i (counted across groups) is o, else 0.
    ///
    /// Needs as many output as input channels; a sized preset must match
    /// every entry of the geometry's kernel size.
    ///
    /// - Parameters:
    ///   - geometry: the convolution to blur with; its kernel size decides an unsized preset's size.
    ///   - field: the field named in a refusal.
    /// - Returns: the kernel in PyTorch order, zero off the channel diagonal.
    /// - Throws: `GeometryError.invalid` naming `field` when the channel counts differ, a sized preset does not
    ///   match the kernel size, or the kernel is wider than 64.
    public func kernel(for geometry: ConvolutionGeometry, field: String = "kernel_preset") throws(GeometryError) -> Kernel {
        if let size, let d = geometry.kernelSize.firstIndex(where: { $0 != size }) {
            throw .invalid(
                field: field,
                reason:
                    "= \(self) is \(size) wide but \(field: "kernel[\(d)]") = \(geometry.kernelSize[d]); use \(field: "kernel") \(size) or the preset \(family.rawValue)\(geometry.kernelSize[d])"
            )
        }
        guard geometry.inChannels == geometry.outChannels else {
            throw .invalid(
                field: field,
                reason:
                    "blurs each channel by itself, so it needs \(field: "out_channels") equal to \(field: "in_channels") (\(geometry.inChannels)), not \(geometry.outChannels)"
            )
        }
        guard geometry.kernelSize.allSatisfy({ $0 <= 64 }) else {
            throw .invalid(field: field, reason: "is defined for kernels up to 64 wide, not \(geometry.kernelSize.max() ?? 0)")
        }
        let factors = geometry.kernelSize.map { weights(size: $0) }
        var tap = [Double]()
        forEachIndex(of: geometry.kernelSize) { index in
            var product = 1.0
            for (d, i) in index.enumerated() { product *= factors[d][i] }
            tap.append(product)
        }
        var values = [Double]()
        values.reserveCapacity(geometry.weightCount)
        let perGroupOut = geometry.outChannelsPerGroup
        let perGroupIn = geometry.inChannelsPerGroup
        for output in 0..<geometry.outChannels {
            let group = output / perGroupOut
            for local in 0..<perGroupIn {
                let input = group * perGroupIn + local
                values += input == output ? tap : [Double](repeating: 0, count: tap.count)
            }
        }
        return try Kernel(values, geometry: geometry, field: field)
    }
}
