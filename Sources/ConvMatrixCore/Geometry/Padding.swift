/// How much zero padding surrounds the input of a convolution.
///
/// The frameworks describe padding in different words; each case resolves
/// to explicit amounts before and after the data in every dimension:
///
/// - `symmetric(p)`: p zeros on both sides (PyTorch's integer `padding`).
/// - `explicit(before:after:)`: independent amounts on each side.
/// - `valid`: no padding; windows that would leave the input are dropped.
/// - `same`: TensorFlow's rule, also PyTorch's `padding="same"` at stride 1.
///   The output size is o = ⌈i / s⌉ and the total padding is
///   P = max((o − 1)·s + d·(k − 1) + 1 − i, 0), split as ⌊P/2⌋ before and
///   ⌈P/2⌉ after: an odd extra zero goes to the end (bottom and right).
public enum Padding: Hashable, Sendable {
    /// The same number of zeros on both sides, per dimension (PyTorch's integer `padding`).
    case symmetric([Int])
    /// Independent numbers of zeros before and after the data, per dimension.
    case explicit(before: [Int], after: [Int])
    /// No padding (TensorFlow's and PyTorch's `valid`).
    case valid
    /// TensorFlow's `SAME`: o = ⌈i/s⌉, the odd extra zero at the end.
    case same

    /// No padding in any dimension.
    package static let zero = Padding.valid

    /// The amounts before and after the data, one pair per dimension.
    ///
    /// - Parameters:
    ///   - inputSize: i per dimension (the lists are already checked to have equal lengths).
    ///   - kernelSize: k per dimension.
    ///   - stride: s per dimension; SAME needs it for o = ⌈i/s⌉.
    ///   - dilation: d per dimension; the kernel spans d·(k − 1) + 1.
    /// - Returns: p_before and p_after per dimension; for SAME the odd zero goes after,
    ///   as TensorFlow does.
    /// - Throws: `GeometryError` for a negative amount or a list of the wrong length.
    public func resolve(
        inputSize: [Int], kernelSize: [Int], stride: [Int], dilation: [Int]
    ) throws(GeometryError) -> (before: [Int], after: [Int]) {
        let rank = inputSize.count
        switch self {
        case .valid:
            return ([Int](repeating: 0, count: rank), [Int](repeating: 0, count: rank))
        case .symmetric(let amounts):
            let amounts = try broadcast(amounts, field: "padding", rank: rank)
            try requireNonNegative(amounts, field: "padding")
            return (amounts, amounts)
        case .explicit(let before, let after):
            let before = try broadcast(before, field: "padding (before)", rank: rank)
            let after = try broadcast(after, field: "padding (after)", rank: rank)
            try requireNonNegative(before, field: "padding (before)")
            try requireNonNegative(after, field: "padding (after)")
            return (before, after)
        case .same:
            var before = [Int](), after = [Int]()
            for d in 0..<rank {
                let output = Checked.ceilingDivide(inputSize[d], stride[d])
                let reach = try Checked.multiply(dilation[d], kernelSize[d] - 1, "SAME padding", field: "dilation[\(d)]")
                let covered = try Checked.add(
                    try Checked.multiply(output - 1, stride[d], "SAME padding", field: "stride[\(d)]"),
                    reach, "SAME padding", field: "kernel[\(d)]")
                // covered + 1 − i, written so that no step leaves 64 bits: covered ≥ 0 and i ≥ 1.
                let total = max(covered - (inputSize[d] - 1), 0)
                before.append(total / 2)
                after.append(total - total / 2)
            }
            return (before, after)
        }
    }
}

extension Padding {
    /// This padding as stored by a geometry: SAME and VALID stay rules, any
    /// amounts become `.explicit` with the resolved pair of every dimension.
    func normalized(before: [Int], after: [Int]) -> Padding {
        switch self {
        case .same, .valid: return self
        case .symmetric, .explicit: return .explicit(before: before, after: after)
        }
    }
}

/// A list with one value per dimension, or a single value meaning "the same
/// in every dimension", expanded to `rank` values.
package func broadcast(_ values: [Int], field: String, rank: Int) throws(GeometryError) -> [Int] {
    if values.count == rank { return values }
    if values.count == 1 { return [Int](repeating: values[0], count: rank) }
    throw .wrongRank(field: field, count: values.count, expected: rank)
}

private func requireNonNegative(_ values: [Int], field: String) throws(GeometryError) {
    for (d, value) in values.enumerated() where value < 0 {
        throw .tooSmall(field: "\(field)[\(d)]", value: value, minimum: 0)
    }
}
