import ConvMatrixCore

/// Everything one run of the verifier found for one geometry: the structure
/// of C, the routes' results and comparisons on each data set, the adjoint
/// (dot) tests, the "not an inverse" residual and the shape round trip.
public struct VerificationReport: Sendable {
    /// The operation as the user described it; its matrix C was verified.
    package let convolutionOperator: ConvolutionOperator
    /// The convolution C whose transpose was verified.
    package var geometry: ConvolutionGeometry { convolutionOperator.convolution }
    /// The seed the data were drawn from.
    package let seed: UInt64
    /// Shape and nonzero count of C.
    package let structure: StructureCheck
    /// One entry per data set (integer-valued, real-valued).
    package let datasets: [DatasetReport]
    /// ‖CᵀCx − x‖ for the real-valued x.
    package let inverse: InverseResidual
    /// Which output padding makes conv-then-transposed-conv restore the size.
    public let roundTrip: ShapeRoundTrip

    /// True when every check passed.
    public var passed: Bool {
        structure.passed && roundTrip.passed && datasets.allSatisfy(\.passed)
    }

    /// One line per failed check, for sweeps.
    public var failures: [String] {
        var lines = [String]()
        if !structure.passed { lines.append("structure of C: \(structure.summary)") }
        for dataset in datasets {
            for comparison in dataset.comparisons where !comparison.passed {
                lines.append("\(dataset.name): \(comparison.summary)")
            }
            for test in dataset.dotTests where !test.passed {
                lines.append("\(dataset.name): \(test.summary)")
            }
        }
        if !roundTrip.passed { lines.append("round trip: \(roundTrip.summary)") }
        return lines
    }
}

/// C's shape and nonzero count against the geometry's formulas:
/// rows = C_out·Π o_j, columns = C_in·Π i_j, nonzeros = the analytic tap count.
package struct StructureCheck: Sendable {
    /// Rows and columns of the CHOLMOD matrix.
    package let rows: Int, columns: Int
    /// C_out·Π o_j and C_in·Π i_j.
    package let expectedRows: Int, expectedColumns: Int
    /// Nonzeros stored by CHOLMOD and counted from the geometry alone.
    package let nonzeros: Int, analyticNonzeros: Int

    /// True when all three pairs agree exactly.
    public var passed: Bool { rows == expectedRows && columns == expectedColumns && nonzeros == analyticNonzeros }

    /// "C is 4×16 (expected 4×16), 36 nonzeros (analytic count 36)".
    package var summary: String {
        "C is \(rows)×\(columns) (expected \(expectedRows)×\(expectedColumns)), \(nonzeros) nonzeros (analytic count \(analyticNonzeros))"
    }
}

/// The routes' results and checks on one data set.
package struct DatasetReport: Sendable {
    /// "integer-valued" or "real-valued".
    package let name: String
    /// The data.
    package let data: VerificationData
    /// True when the data make every route exact, so the bound is 0.
    package let exact: Bool
    /// Each route's Cᵀ·y, in the order the routes were given.
    package let results: [RouteResult]
    /// Each route after the first against the first.
    package let comparisons: [RouteComparison]
    /// ⟨Cx, y⟩ = ⟨x, Cᵀy⟩ for each route, with random y and with y = Cx.
    package let dotTests: [DotTest]

    /// True when every comparison and dot test passed.
    public var passed: Bool { comparisons.allSatisfy(\.passed) && dotTests.allSatisfy(\.passed) }
}

/// One route's answer, or why it gave none.
package struct RouteResult: Sendable {
    /// The route's name.
    package let route: String
    /// Cᵀ·y as the route computed it (empty when it failed).
    package let values: [Double]
    /// The error the route threw, if any.
    package let failure: String?
}

/// A route against the reference route, component by component:
/// |aᵢ − bᵢ| ≤ boundᵢ = 2γ_{Kᵢ}·(|Cᵀ||y|)ᵢ, with Kᵢ the nonzeros in column i of
/// C, or exactly 0 for exact data.
package struct RouteComparison: Sendable {
    /// The route checked and the reference it was checked against.
    package let route: String, reference: String
    /// max |aᵢ − bᵢ| over all components.
    package let largestDifference: Double
    /// The component nearest to (or furthest over) its bound, by |aᵢ − bᵢ| / boundᵢ.
    package let worstComponent: Int?
    /// |aᵢ − bᵢ| and boundᵢ at `worstComponent`.
    package let differenceThere: Double, boundThere: Double
    /// Why the comparison could not be made (a route failed or has the wrong length).
    package let problem: String?

    /// True when every component is within its bound.
    package let passed: Bool

    /// "scatter vs matrix: identical in all 9 components PASS", or the
    /// largest difference and the component closest to (or over) its bound.
    package var summary: String {
        if let problem { return "\(route) vs \(reference): \(problem) FAIL" }
        let verdict = passed ? "PASS" : "FAIL"
        guard let worstComponent, largestDifference != 0 else {
            return "\(route) vs \(reference): identical in every component \(verdict)"
        }
        let relation = passed ? "≤" : ">"
        return
            "\(route) vs \(reference): max |Δ| = \(reportNumber(largestDifference)); tightest at component \(worstComponent): |Δ| = \(reportNumber(differenceThere)) \(relation) bound \(reportNumber(boundThere)) \(verdict)"
    }
}

/// The adjoint identity ⟨Cx, y⟩ = ⟨x, Cᵀy⟩ for one route's Cᵀy, with the
/// bound 2γ_K·|y|ᵀ|C||x|, K = max(row nonzeros + rows, column nonzeros + columns).
package struct DotTest: Sendable {
    /// "⟨Cx, y⟩ = ⟨x, Cᵀy⟩ (scatter)" or the y = Cx variant.
    package let name: String
    /// ⟨Cx, y⟩ and ⟨x, Cᵀy⟩.
    package let left: Double, right: Double
    /// |left − right| and the bound it must stay within.
    package let difference: Double, bound: Double

    /// True when difference ≤ bound.
    public var passed: Bool { difference <= bound }

    /// "⟨Cx, y⟩ = ⟨x, Cᵀy⟩ (matrix): 1.25 vs 1.25, |Δ| = 0 ≤ 2.2e-15 PASS".
    package var summary: String {
        "\(name): \(formatNumber(left)) vs \(formatNumber(right)), |Δ| = \(reportNumber(difference)) \(passed ? "≤" : ">") bound \(reportNumber(bound)) \(passed ? "PASS" : "FAIL")"
    }
}

/// ‖CᵀCx − x‖₂ next to ‖x‖₂: the transposed convolution restores the
/// shape of x, not its values.
package struct InverseResidual: Sendable {
    /// ‖CᵀCx − x‖₂.
    package let residual: Double
    /// ‖x‖₂.
    package let inputNorm: Double

    /// Why the residual is not zero, in one line (Dive into Deep Learning, transposed convolution: is it an inverse?).
    package static let explanation =
        "Cᵀ has the shape of C⁻¹ but not its values: CᵀC = I only if the columns of C are orthonormal, and shifted copies of a kernel almost never are."
}

/// Conv then transposed conv with the same kernel, stride, padding and
/// dilation: in dimension j the convolution maps i to
/// o = ⌊(i + p_before + p_after − d(k − 1) − 1)/s⌋ + 1, and the transposed
/// convolution maps o back to (o − 1)s − p_before − p_after + d(k − 1) + 1 + a,
/// which equals i for exactly one a in 0…s−1, namely
/// a = (i + p_before + p_after − d(k − 1) − 1) mod s.
public struct ShapeRoundTrip: Sendable {
    /// The convolution's input size i, per dimension.
    package let inputSize: [Int]
    /// The convolution's natural output size o, per dimension.
    package let convolutionOutput: [Int]
    /// For each dimension, the output paddings a among a* and its neighbours in 0…s−1 (see
    /// `Verifier.roundTrip`) whose transposed convolution has output size i.
    package let restoringPaddings: [[Int]]

    /// True when each dimension has exactly one such a.
    public var passed: Bool { restoringPaddings.allSatisfy { $0.count == 1 } }

    /// The output padding that restores the size, when it is unique in every dimension.
    public var outputPadding: [Int]? { passed ? restoringPaddings.map { $0[0] } : nil }

    /// "input 6×6 → 3×3 → 6×6 with output_padding 1×1".
    package var summary: String {
        let size = { (s: [Int]) in s.map(String.init).joined(separator: "×") }
        if let outputPadding {
            return
                "input \(size(inputSize)) → conv → \(size(convolutionOutput)) → transposed conv → \(size(inputSize)) with output_padding \(size(outputPadding)) (the only choice in 0…s−1)"
        }
        return
            "input \(size(inputSize)) → \(size(convolutionOutput)): output paddings restoring the size per dimension: \(restoringPaddings) (expected exactly one each)"
    }
}

/// A number for reports: "0", plain decimals with 4 significant digits
/// between 0.001 and 100000, otherwise short scientific notation "1.1e-16".
package func reportNumber(_ value: Double) -> String {
    if value == 0 || !value.isFinite { return value == 0 ? "0" : "\(value)" }
    var exponent = 0
    var mantissa = abs(value)
    while mantissa >= 10 { mantissa /= 10; exponent += 1 }
    while mantissa < 1 { mantissa *= 10; exponent -= 1 }
    if exponent >= -3 && exponent < 5 {
        var scale = exponent == 4 ? 0.1 : 1.0
        for _ in 0..<max(3 - exponent, 0) { scale *= 10 }
        return formatNumber((value * scale).rounded() / scale)
    }
    mantissa = (mantissa * 10).rounded() / 10
    if mantissa >= 10 { mantissa /= 10; exponent += 1 }
    return "\(value < 0 ? "-" : "")\(mantissa)e\(exponent)"
}
