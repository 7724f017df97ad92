/// What fills the padding around a convolution's input: PyTorch's
/// `padding_mode` of `torch.nn.Conv{1,2,3}d`, which pads the input by
/// `padding` with `torch.nn.functional.pad` in that mode and then convolves
/// with no padding.
///
/// In one dimension with input size i and p_before positions of padding
/// before the data, padded position q (0 ≤ q < p_before + i + p_after) holds
/// input element x = q − p_before when 0 ≤ x < i; outside, it holds
///
/// - `zeros`: 0 (no input element);
/// - `reflect`: the mirror image without repeating the edge, x ↦ −x before
///   the data and x ↦ 2(i − 1) − x after it (`[2, 1 | 0, 1, 2 | 1, 0]`), so
///   each padding must be smaller than i;
/// - `replicate`: the nearest edge element, min(max(x, 0), i − 1), with any
///   amount of padding;
/// - `circular`: the input repeated, x mod i (`[1, 2 | 0, 1, 2 | 0, 1]`), so
///   each padding must be at most i (PyTorch wraps around once).
///
/// Every window still reads p_before + i + p_after positions, but with a
/// mode other than `zeros` several of them may hold the same input element,
/// so a column of C gathers every tap that reads a copy of its element and
/// an entry of C can be a sum of kernel entries (w₀ + w₂). The transposed
/// convolution and the input gradient are still Cᵀ. With circular padding
/// and stride 1, C of a 1-D convolution is a circulant matrix (each row the
/// one above it shifted by one, wrapping around) when p_before + p_after =
/// d·(k − 1), which keeps the output size equal to the input size.
public enum PaddingMode: String, Hashable, Sendable, CaseIterable {
    case zeros
    case reflect
    case replicate
    case circular

    /// The input position that padded position `position` holds in one
    /// dimension, or nil where it holds a zero (see the type's formulas).
    ///
    /// - Parameters:
    ///   - position: q, a position of the padded input, 0 ≤ q < p_before + i + p_after.
    ///   - inputSize: i, the input's size in this dimension, at least 1.
    ///   - paddingBefore: p_before, within the mode's limit (`check`).
    /// - Returns: x in 0 ..< i, or nil for a zero of `zeros` padding.
    package func source(ofPadded position: Int, inputSize: Int, paddingBefore: Int) -> Int? {
        let x = position - paddingBefore
        if x >= 0 && x < inputSize { return x }
        switch self {
        case .zeros: return nil
        case .reflect: return x < 0 ? -x : 2 * (inputSize - 1) - x
        case .replicate: return x < 0 ? 0 : inputSize - 1
        case .circular: return x < 0 ? x + inputSize : x - inputSize
        }
    }

    /// PyTorch's limit on the padding of one dimension: `reflect` needs each
    /// side smaller than the input, `circular` at most the input (its
    /// refusals: "Padding size should be less than the corresponding input
    /// dimension", "Padding value causes wrapping around more than once");
    /// `zeros` and `replicate` take any amount.
    ///
    /// - Parameters:
    ///   - before: p_before of dimension `dimension`.
    ///   - after: p_after.
    ///   - inputSize: i.
    ///   - d: the dimension, for the field names.
    /// - Throws: `GeometryError.invalid` naming `padding[d]`, the mode and the input's extent.
    package func check(before: Int, after: Int, inputSize: Int, dimension d: Int) throws(GeometryError) {
        let largest = max(before, after)
        let side = before == after ? "" : (before >= after ? " (before the data)" : " (after the data)")
        switch self {
        case .zeros, .replicate:
            return
        case .reflect where largest >= inputSize:
            throw .invalid(
                field: "padding[\(d)]",
                reason:
                    "= \(largest)\(side) must be smaller than \(field: "input[\(d)]") = \(inputSize) with \(field: "padding_mode") reflect: the mirror image of \(inputSize) element\(inputSize == 1 ? "" : "s") without its edge holds only \(inputSize - 1) (PyTorch refuses it too); use less padding or another mode"
            )
        case .circular where largest > inputSize:
            throw .invalid(
                field: "padding[\(d)]",
                reason:
                    "= \(largest)\(side) must be at most \(field: "input[\(d)]") = \(inputSize) with \(field: "padding_mode") circular: PyTorch wraps the input around only once; use less padding or another mode"
            )
        case .reflect, .circular:
            return
        }
    }
}
