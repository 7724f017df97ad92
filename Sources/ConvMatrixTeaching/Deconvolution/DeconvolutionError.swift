import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// Why a deconvolution was refused or could not be computed.
///
/// Every message names the field or the inputs concerned and what would
/// make the problem solvable.
public enum DeconvolutionError: UserFacingError, Equatable, Sendable {
    /// λ is negative or not a number.
    case invalidLambda(Double)
    /// λ = 0 but some inputs are read by no output: C has empty columns, so CᵀC is singular.
    case untouchedInputs([InputPosition], total: Int)
    /// λ = 0 but C has fewer rows than columns, so rank(C) ≤ rows < columns and CᵀC is singular.
    case underdetermined(rows: Int, columns: Int)
    /// CᵀC + λI is not positive definite in floating point: C is too ill-conditioned for this λ.
    case singular(lambda: Double, detail: String)
    /// The weights are so large or so small that CᵀC overflows or underflows Float64.
    case badlyScaled(largestColumnNormSquared: Double)
    /// A result is not finite: the input or the weights are too large.
    case overflow(quantity: String)
    /// The operand does not have the size of the convolution's input (or output).
    case wrongSize(field: String, count: Int, expected: Int)
    /// The kernel or its geometry is unusable.
    case geometry(GeometryError)
    /// CHOLMOD failed (out of memory, or CᵀC + λI not positive definite).
    case cholmod(CholmodError)
    /// The work would need more memory than it is allowed; the error names the limit and the estimate.
    case memory(GeometryError)

    /// One sentence for a student: the field or inputs concerned, and what would make the problem solvable.
    ///
    /// - Parameter spell: turns a field name into the reader's name for it (a flag).
    /// - Returns: one line without a trailing newline.
    public func message(spellingFields spell: (String) -> String) -> String {
        let lambda = spell("lambda")
        switch self {
        case .invalidLambda(let value):
            return "\(lambda) = \(value) must be a finite number ≥ 0 (0 solves the plain least-squares problem, which needs C to have full column rank)"
        case let .untouchedInputs(positions, total):
            return
                "\(lambda) = 0 needs every input to be read by some output, but \(InputPosition.list(positions, total: total)) \(total == 1 ? "is" : "are") read by none (C has empty columns, so CᵀC is singular); use \(lambda) > 0, which sets \(total == 1 ? "it" : "them") to 0, or a stride no larger than the kernel's span and weights that are not all zero"
        case let .underdetermined(rows, columns):
            return
                "\(lambda) = 0 needs at least as many outputs as inputs, but C is \(rows)×\(columns) (rank ≤ \(rows) < \(columns), so CᵀC is singular); use \(lambda) > 0, or padding that keeps every shifted window (e.g. kernel−1 on each side), or more output channels"
        case let .singular(value, detail):
            return
                "\(lambda) = \(scientific(value)) is too small for this C: \(detail.replacing("AᵀA", with: "CᵀC")); C reads every input but some blurred-out detail is below rounding error (a blur whose frequency response vanishes, like the binomial Gaussian at the highest frequency); use a larger \(lambda), e.g. the default"
        case .badlyScaled(let largest):
            if largest == 0 {
                return "the weights are all zero, so y = C·x is 0 whatever x is and nothing can be recovered; give a kernel with a nonzero weight"
            }
            return largest.isFinite
                ? "the weights are too small for deconvolution: CᵀC underflows Float64 (its largest diagonal entry ‖C·eⱼ‖² is \(largest)); scale the weights up"
                : "the weights are too large for deconvolution: CᵀC overflows Float64 (its largest diagonal entry ‖C·eⱼ‖² is \(largest)); scale the weights down"
        case .overflow(let quantity):
            return "\(quantity) overflows Float64; scale the input or the weights down"
        case let .wrongSize(field, count, expected):
            return "\(spell(field)) has \(count) value\(count == 1 ? "" : "s") but the convolution needs \(expected)"
        case .geometry(let error):
            return error.message(spellingFields: spell)
        case .cholmod(let error):
            return error.description
        case .memory(let error):
            return error.message(spellingFields: spell)
        }
    }
}
