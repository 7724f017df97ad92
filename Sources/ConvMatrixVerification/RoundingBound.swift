import ConvMatrixCore

/// Floating-point error bounds that scale with the work done, instead of a
/// fixed tolerance.
///
/// A sum of K products computed in any order in binary64 satisfies
/// |fl(Σ aₖbₖ) − Σ aₖbₖ| ≤ γ_K · Σ |aₖbₖ| with γ_K = K·u / (1 − K·u) and
/// u = 2⁻⁵³ (Higham, *Accuracy and Stability of Numerical Algorithms*,
/// §3.1). Two such computations of the same exact value therefore differ by
/// at most 2γ_K · Σ |aₖbₖ|.
package enum RoundingBound {
    /// The unit roundoff of Float64, u = 2⁻⁵³.
    package static let unitRoundoff = 0x1p-53

    /// γ_K = K·u / (1 − K·u); infinite once K·u ≥ 1.
    ///
    /// - Parameter terms: K, the number of terms of a sum.
    /// - Returns: γ_K for Float64 (u = 2⁻⁵³).
    package static func gamma(_ terms: Int) -> Double {
        let ku = Double(terms) * unitRoundoff
        return ku < 1 ? ku / (1 - ku) : .infinity
    }

    /// The bound on |a − b| for two computations of a K-term sum whose terms'
    /// magnitudes add up to `magnitude`: 2γ_K · magnitude, slightly enlarged
    /// (by the factor 1 + 4γ_K) because `magnitude` is itself computed in
    /// floating point.
    ///
    /// - Parameters:
    ///   - terms: K, the terms of the sum.
    ///   - magnitude: Σ |term|, as computed.
    /// - Returns: the largest difference two correctly rounded evaluations may show.
    package static func difference(terms: Int, magnitude: Double) -> Double {
        let gamma = gamma(terms)
        return 2 * gamma * magnitude * (1 + 4 * gamma)
    }

    /// 2⁵³: integers up to this size, and all their partial sums when the
    /// total magnitude stays below it, are exact in Float64.
    package static let exactIntegerLimit = 0x1p53

    /// True when every value is a whole number.
    ///
    /// - Parameter values: the data to inspect.
    /// - Returns: true when no value has a fractional part (NaN never qualifies), so sums of the data are exact while they stay below 2⁵³.
    package static func isIntegerValued(_ values: [Double]) -> Bool {
        values.allSatisfy { $0 == $0.rounded() }
    }
}
