import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// The text that `convmat deconvolve` prints: the convolution, λ, the
/// factorization's fill and times, then the deconvolution and the transposed
/// convolution side by side.
public struct DeconvolutionReport: Sendable, CustomStringConvertible {
    /// The solver, with its factorization.
    package let deconvolution: Deconvolution
    /// The blurred and recovered data.
    package let comparison: DeconvolutionComparison
    /// How the kernel was given ("gaussian5", "--weights", "the case's weight").
    package let kernelName: String
    /// Whether the timing line is printed; without it the report is the same on every run.
    package let showsTimes: Bool

    /// A report on `comparison`, made with `deconvolution`.
    ///
    /// - Parameters:
    ///   - deconvolution: the problem solved: its geometry, λ and factor statistics.
    ///   - comparison: the results of Cᵀ·y and of the solve, and their errors.
    ///   - kernelName: the blur's name as the user gave it.
    ///   - showsTimes: false leaves the timings out, so the report is the same on every run (for tests and docs).
    public init(deconvolution: Deconvolution, comparison: DeconvolutionComparison, kernelName: String, showsTimes: Bool = true) {
        self.deconvolution = deconvolution
        self.comparison = comparison
        self.kernelName = kernelName
        self.showsTimes = showsTimes
    }

    /// The report as printed: header lines, a blank line, then the side-by-side table.
    public var description: String {
        let geometry = deconvolution.kernel.geometry
        let factor = deconvolution.factor
        let size = { (sizes: [Int]) in sizes.map(String.init).joined(separator: "×") }
        let padding = zip(geometry.paddingBefore, geometry.paddingAfter).map { "\($0):\($1)" }.joined(separator: "x")
        let channels =
            geometry.inChannels == 1 && geometry.outChannels == 1
            ? "" : ", channels \(geometry.inChannels) → \(geometry.outChannels)\(geometry.groups > 1 ? " in \(geometry.groups) groups" : "")"
        var lines = [String]()
        lines.append(
            "y = C·x: input \(size(geometry.inputSize)) → output \(size(geometry.outputSize)), kernel \(size(geometry.kernelSize)) (\(kernelName)), stride \(size(geometry.stride)), padding \(padding)\(channels)"
        )
        lines.append(
            "C: \(deconvolution.matrix.rowCount)×\(deconvolution.matrix.columnCount), \(deconvolution.matrix.nonzeroCount) nonzeros; \(comparison.blurred.columnCount) sample\(comparison.blurred.columnCount == 1 ? "" : "s")\(comparison.clean == nil ? "; y given, x unknown" : "")"
        )
        let origin =
            deconvolution.lambdaIsDefault
            ? " (default: \(scientific(Deconvolution.defaultRelativeLambda)) × largest diagonal entry of CᵀC; set it with --lambda)" : ""
        lines.append("λ = \(scientific(deconvolution.lambda))\(origin)")
        let untouched = deconvolution.untouchedColumns
        if !untouched.isEmpty {
            let named = untouched.prefix(8).map { InputPosition(column: $0, of: geometry) }
            lines.append(
                "note: C is rank-deficient: \(InputPosition.list(Array(named), total: untouched.count)) \(untouched.count == 1 ? "is" : "are") read by no output; λ > 0 sets \(untouched.count == 1 ? "it" : "them") to 0"
            )
        } else if deconvolution.matrix.rowCount < deconvolution.matrix.columnCount {
            lines.append(
                "note: C has fewer rows (\(deconvolution.matrix.rowCount)) than columns (\(deconvolution.matrix.columnCount)), so it is rank-deficient; λ > 0 sets the part of x that C cannot see (its null space) to 0"
            )
        }
        lines.append(
            "CᵀC + λI: \(factor.dimension)×\(factor.dimension), \(factor.normalMatrixNonzeros) nonzeros in the upper triangle; ordering \(factor.ordering.rawValue.uppercased()) (\(orderingOrigin)), \(factor.isSupernodal ? "supernodal" : "simplicial")"
        )
        lines.append(
            "Cholesky L·Lᵀ = P(CᵀC + λI)Pᵀ: nnz(L) = \(factor.factorNonzeros), \(scientific(factor.factorizationFlops)) flops, rcond ≈ \(scientific(factor.reciprocalConditionEstimate))"
        )
        let rcond = factor.reciprocalConditionEstimate
        if rcond < Self.illConditionedBelow {
            lines.append(
                "warning: rcond ≈ \(scientific(rcond)) < \(scientific(Self.illConditionedBelow)): CᵀC + λI is ill-conditioned (its condition number is at least 1/rcond), so x̂ may have lost many digits; raise --lambda if it looks noisy"
            )
        }
        if showsTimes {
            lines.append(
                "time: form CᵀC + λI \(seconds(factor.formingSeconds)), analyze \(seconds(factor.analysisSeconds)), factorize \(seconds(factor.factorizationSeconds)) (processor \(seconds(factor.factorizationProcessorSeconds))), solve \(seconds(comparison.solveSeconds)) (processor \(seconds(comparison.solveProcessorSeconds)))"
            )
        }
        lines.append("")
        var rows: [(String, Double, Double)] = []
        if let size = comparison.cleanNorm, let recovered = comparison.recoveredError, let transposed = comparison.transposedError {
            rows.append(("‖x − ·‖", recovered, transposed))
            rows.append(("‖x − ·‖ / ‖x‖", size > 0 ? recovered / size : recovered, size > 0 ? transposed / size : transposed))
        }
        rows.append(("residual ‖C·(·) − y‖", comparison.recoveredResidual, comparison.transposedResidual))
        lines.append(pad("", 24) + pad("deconvolution x̂", 22) + "transposed conv Cᵀy")
        for (label, left, right) in rows {
            lines.append(pad(label, 24) + pad(scientific(left), 22) + scientific(right))
        }
        return lines.joined(separator: "\n")
    }

    /// Below this estimate of the reciprocal condition number of CᵀC + λI the report warns:
    /// with rounding errors of 10⁻¹⁶, x̂ may then have lost more than half of its digits.
    package static let illConditionedBelow = 1e-8

    private var orderingOrigin: String {
        deconvolution.factor.requestedOrdering == .automatic ? "chosen by CHOLMOD" : "requested"
    }
}

/// `value` with four significant digits in scientific notation: 1.235e-03.
func scientific(_ value: Double) -> String {
    guard value.isFinite else { return "\(value)" }
    if value == 0 { return "0" }
    var mantissa = abs(value)
    var exponent = 0
    while mantissa >= 10 { mantissa /= 10; exponent += 1 }
    while mantissa < 1 { mantissa *= 10; exponent -= 1 }
    var scaled = (mantissa * 1000).rounded()
    if scaled >= 10000 { scaled /= 10; exponent += 1 }
    let digits = String(Int(scaled))
    let sign = value < 0 ? "-" : ""
    let exponentText = (exponent < 0 ? "-" : "+") + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
    return "\(sign)\(digits.prefix(1)).\(digits.dropFirst())e\(exponentText)"
}

/// "0.123 s": seconds with three decimals.
private func seconds(_ value: Double) -> String {
    let millis = Int((value * 1000).rounded())
    let fraction = String(millis % 1000)
    return "\(millis / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) s"
}

/// `text` followed by spaces up to `width` characters.
private func pad(_ text: String, _ width: Int) -> String {
    text + String(repeating: " ", count: max(1, width - text.count))
}
