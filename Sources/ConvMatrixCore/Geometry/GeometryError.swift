/// Why a convolution geometry, a kernel or an operand was refused.
///
/// Every message names the field (in the library's words: `input`,
/// `kernel`, `stride[1]`, `output_padding`; a command-line tool spells them
/// as its flags through `message(spellingFields:)`), the value that was
/// given and what would have been valid, so that a student can fix the
/// input without reading the source.
public enum GeometryError: UserFacingError, Equatable, Sendable {
    /// A per-dimension list has the wrong number of entries.
    case wrongRank(field: String, count: Int, expected: Int)
    /// A size, stride or dilation is smaller than its minimum.
    case tooSmall(field: String, value: Int, minimum: Int)
    /// The dilated kernel does not fit into the padded input.
    case kernelLargerThanInput(dimension: Int, kernelExtent: Int, paddedInput: Int)
    /// A channel count is not a multiple of the number of groups.
    case channelsNotDivisible(field: String, channels: Int, groups: Int)
    /// PyTorch's rule: each output padding must be below max(stride, dilation).
    case outputPaddingTooLarge(dimension: Int, value: Int, stride: Int, dilation: Int)
    /// A requested output size that the transposed convolution cannot produce.
    case impossibleOutputSize(field: String, value: Int, valid: ClosedRange<Int>)
    /// A requested transposed output size that the framework's rule refuses;
    /// `valid` holds the accepted range of every dimension, quoted as PyTorch
    /// quotes them ("valid sizes range from [7] to [7]").
    case outputSizeNotAccepted(field: String, value: Int, rule: TransposedConvolutionGeometry.OutputSizeRule, valid: [ClosedRange<Int>])
    /// A size computed from the fields does not fit into 64 bits: `field`
    /// made it too large (when one field can be named), `quantity` says what was computed.
    case overflow(field: String?, quantity: String)
    /// Any other refusal; `reason` completes the sentence after the field name.
    case invalid(field: String, reason: FieldMessage)

    /// The message shown after `error:`: the field, the value and what would be valid.
    ///
    /// - Parameter spell: turns a field name such as `stride[0]` into the reader's name for it (a flag, a key).
    /// - Returns: one line without a trailing newline.
    public func message(spellingFields spell: (String) -> String) -> String {
        switch self {
        case let .wrongRank(field, count, expected):
            return
                "\(spell(field)) has \(count) value\(count == 1 ? "" : "s") but the input has \(expected) spatial dimension\(expected == 1 ? "" : "s"); give one value per dimension or a single value for all"
        case let .tooSmall(field, value, minimum):
            return "\(spell(field)) = \(value) must be at least \(minimum)"
        case let .kernelLargerThanInput(d, extent, padded):
            return
                "\(spell("kernel[\(d)]")) spans \(extent) positions (dilation·(kernel−1)+1) but the padded \(spell("input[\(d)]")) has only \(padded); use a smaller kernel or dilation, or more padding"
        case let .channelsNotDivisible(field, channels, groups):
            return "\(spell(field)) = \(channels) must be divisible by \(spell("groups")) = \(groups)"
        case let .outputPaddingTooLarge(d, value, stride, dilation):
            return
                "\(spell("output_padding[\(d)]")) = \(value) must be smaller than \(spell("stride[\(d)]")) = \(stride) or \(spell("dilation[\(d)]")) = \(dilation)"
        case let .impossibleOutputSize(field, value, valid):
            let range = valid.lowerBound == valid.upperBound ? "\(valid.lowerBound)" : "between \(valid.lowerBound) and \(valid.upperBound)"
            return "\(spell(field)) = \(value) cannot be produced; with these settings it must be \(range)"
        case let .outputSizeNotAccepted(field, value, rule, valid):
            let lows = valid.map { String($0.lowerBound) }.joined(separator: ", ")
            let highs = valid.map { String($0.upperBound) }.joined(separator: ", ")
            return "\(spell(field)) = \(value) is refused by \(rule.name): valid sizes range from [\(lows)] to [\(highs)]"
        case let .overflow(field?, quantity):
            return "\(spell(field)) is too large: the \(quantity) would not fit into 64-bit integers; use smaller values"
        case let .overflow(nil, quantity):
            return "the \(quantity) does not fit into 64-bit integers; use smaller sizes"
        case let .invalid(field, reason):
            return "\(spell(field)) \(reason.spelled(spell))"
        }
    }
}
