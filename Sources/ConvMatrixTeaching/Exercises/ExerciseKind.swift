import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// The kinds of exercise `convmat exercise` can set, each practising one
/// idea of the lessons.
public enum ExerciseKind: String, CaseIterable, Sendable {
    /// Output size of a convolution or transposed convolution (PyTorch or TensorFlow rules).
    case outputSize = "output-size"
    /// Fill in one row or one column of the matrix C.
    case matrixLine = "matrix-line"
    /// Compute a small transposed convolution by hand.
    case transposedByHand = "transposed-by-hand"
    /// Choose the output_padding (PyTorch) or output_shape (TensorFlow) that restores a size.
    case restoreSize = "restore-size"
    /// Split TensorFlow's SAME padding into the zeros before and after.
    case samePadding = "same-padding"
    /// Tell which of two matrices belongs to a transposed convolution.
    case spotTransposed = "spot-transposed"
    /// Compute a dilated and a transposed convolution of the same signal and compare.
    case dilatedVersusTransposed = "dilated-vs-transposed"

    /// The kinds named by a comma-separated list such as `output-size,restore-size`
    /// (the `--kind` flag), in order and with repeats, since the sheet deals them in turn.
    ///
    /// Every item must name a kind. An empty list or an empty item (`""`,
    /// `output-size,`, `a,,b`) is refused rather than skipped: leaving the list out
    /// is how a user asks for all kinds, and a stray comma should not quietly mean
    /// something else.
    ///
    /// - Parameter text: the list as the user typed it.
    /// - Returns: the kinds in the order given.
    /// - Throws: `ExerciseError` naming the item that is empty or names no kind, with the list of kinds.
    public static func list(_ text: String) throws(ExerciseError) -> [ExerciseKind] {
        let valid = allCases.map(\.rawValue).joined(separator: ", ")
        guard !text.isEmpty else {
            throw .invalid(field: "kind", reason: "is empty; give one or more of \(valid), separated by commas (leave \(field: "kind") out for all kinds)")
        }
        var kinds = [ExerciseKind]()
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !name.isEmpty else {
                throw .invalid(field: "kind", reason: "= \(quoted: String(text)) has an empty item; give one or more of \(valid), separated by single commas")
            }
            guard let kind = ExerciseKind(rawValue: String(name)) else {
                throw .invalid(field: "kind", reason: "= \(quoted: String(name)) must be one of \(valid)")
            }
            kinds.append(kind)
        }
        return kinds
    }

    /// The heading of an exercise of this kind on a sheet.
    public var title: String {
        switch self {
        case .outputSize: return "Output size"
        case .matrixLine: return "One line of the matrix C"
        case .transposedByHand: return "A transposed convolution by hand"
        case .restoreSize: return "Restoring the input size"
        case .samePadding: return "Where SAME puts its zeros"
        case .spotTransposed: return "Spot the transposed convolution's matrix"
        case .dilatedVersusTransposed: return "Dilated versus transposed"
        }
    }
}

/// How hard the generated numbers are: small one-dimensional cases with
/// stride 1 (easy), strides and padding (medium), dilation, asymmetric
/// padding and framework conventions (hard).
public enum Difficulty: String, CaseIterable, Sendable {
    /// Small cases, stride 1.
    case easy
    /// Strides and padding.
    case medium
    /// Dilation, asymmetric padding, framework conventions, signed numbers.
    case hard
}
