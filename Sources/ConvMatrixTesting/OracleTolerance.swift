import ConvMatrix

/// How far an implementation's output may be from C's: a rounding bound
/// per element, from the work that element took, instead of a fixed epsilon.
///
/// Element i of C·x is a sum of Kᵢ products (Kᵢ = nonzeros in row i of C;
/// for Cᵀ·y, in column i). Summed in any order in a format with unit
/// roundoff u, the computed value is within γ_K(u)·(|C||x|)ᵢ of the exact
/// one, γ_K(u) = K·u/(1 − K·u) (Higham, *Accuracy and Stability of
/// Numerical Algorithms*, §3.1). ConvMatrix computes in Float64, so an
/// implementation in Float64 and ConvMatrix may differ by
///
///     boundᵢ = factor · 2γ_Kᵢ(2⁻⁵³) · (|C||x|)ᵢ
///
/// and one that rounds its inputs to a coarser format with unit roundoff u
/// (Float32: 2⁻²⁴) and sums there by factor · (γ_{Kᵢ+2}(u) + γ_Kᵢ(2⁻⁵³)) ·
/// (|C||x|)ᵢ, the two extra roundings being those of the weight and the
/// input in each product. With whole numbers or quarters every sum is exact
/// and the bound is not needed, but it still holds; an implementation that
/// does not compute the sum of products (FFT, Winograd) can exceed it, and
/// `factor` is then the honest place to say by how much.
public struct OracleTolerance: Hashable, Sendable {
    /// The unit roundoff of the implementation's arithmetic: 2⁻⁵³ for Float64, 2⁻²⁴ for Float32.
    public var unitRoundoff: Double
    /// A multiple of the bound allowed (1 = exactly the rounding bound).
    public var factor: Double

    /// A tolerance for an implementation computing with `unitRoundoff`, `factor` times the bound.
    ///
    /// - Parameters:
    ///   - unitRoundoff: u of the implementation's format (2⁻⁵³ Float64, 2⁻²⁴ Float32, 2⁻¹¹ Float16).
    ///   - factor: how many times the rounding bound is allowed (at least 1 to be meaningful).
    public init(unitRoundoff: Double, factor: Double = 1) {
        self.unitRoundoff = unitRoundoff
        self.factor = factor
    }

    /// An implementation in Float64: 2γ_K(2⁻⁵³)·(|C||x|)ᵢ.
    public static let float64 = OracleTolerance(unitRoundoff: RoundingBound.unitRoundoff)
    /// An implementation that rounds to Float32 and sums there.
    public static let float32 = OracleTolerance(unitRoundoff: 0x1p-24)

    /// The allowed |actual − expected| for an element that sums `terms`
    /// products whose magnitudes add up to `magnitude` ((|C||x|)ᵢ), slightly
    /// enlarged (by 1 + 4γ_K) because `magnitude` is itself computed in Float64.
    ///
    /// - Parameters:
    ///   - terms: Kᵢ, the products summed for the element.
    ///   - magnitude: (|C||x|)ᵢ, the sum of their magnitudes.
    /// - Returns: the bound; infinite once K·u reaches 1, zero when `magnitude` is 0.
    package func bound(terms: Int, magnitude: Double) -> Double {
        if magnitude == 0 { return 0 }
        let own = RoundingBound.gamma(terms)
        let implementation = unitRoundoff <= RoundingBound.unitRoundoff ? own : gamma(terms + 2, unitRoundoff)
        return factor * (own + implementation) * magnitude * (1 + 4 * own)
    }

    private func gamma(_ terms: Int, _ u: Double) -> Double {
        let ku = Double(terms) * u
        return ku < 1 ? ku / (1 - ku) : .infinity
    }
}
