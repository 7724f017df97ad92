/// A convolution or transposed convolution described field by field, the
/// way a person writes it (the CLI's flags, the explorer's controls, a
/// replay line): sizes, stride, padding rule, dilation, channels, and for a
/// transposed convolution its `output_padding` or `output_size`.
///
/// `ConvolutionOperator(_:)` checks the fields and makes the operator; this
/// is the one place where the rules that tie fields together live (an
/// output padding needs a transposed convolution; output padding and output
/// size exclude each other). `init(describing:)` goes back, so that any
/// operator can be written out again.
public struct ConvolutionFields: Hashable, Sendable {
    /// `input`: spatial size of the operation's input.
    public var input: [Int]
    /// `kernel`: spatial size of the kernel (one value for all dimensions, or one each).
    public var kernel: [Int]
    /// `stride`.
    public var stride: [Int] = [1]
    /// `padding`: numbers, before:after, SAME or VALID.
    public var padding: Padding = .symmetric([0])
    /// `padding_mode`: what fills the padding (PyTorch's zeros, reflect,
    /// replicate, circular). With `transposed` the operator is Cᵀ of that
    /// convolution, its input gradient (PyTorch's ConvTranspose itself takes only zeros).
    public var paddingMode: PaddingMode = .zeros
    /// `dilation`.
    public var dilation: [Int] = [1]
    /// `in_channels`: channels of the operation's input.
    public var inChannels = 1
    /// `out_channels`: channels of the operation's output.
    public var outChannels = 1
    /// `groups`.
    public var groups = 1
    /// `output_padding` (transposed only): PyTorch's extra size at the end.
    public var outputPadding: [Int]?
    /// `output_size` (transposed only): the wanted output size instead of `outputPadding`.
    public var outputSize: [Int]?
    /// `transposed`: describe the transposed convolution (its matrix is Cᵀ).
    public var transposed = false

    /// Fields with the given sizes and every other field at its default.
    ///
    /// - Parameters:
    ///   - input: the input's spatial size, one entry per dimension.
    ///   - kernel: the kernel's spatial size, one entry for all dimensions or one per dimension.
    public init(input: [Int], kernel: [Int]) {
        self.input = input
        self.kernel = kernel
    }

    /// The fields that describe `convolutionOperator` again: numeric padding
    /// as before:after pairs (or one number when they agree), SAME and VALID
    /// as such, and for a transposed operator its output padding (or, under
    /// SAME or VALID, its output size).
    ///
    /// - Parameter convolutionOperator: a checked operator; `ConvolutionOperator(_:)` of the result gives it back, which is what replay lines rely on.
    public init(describing convolutionOperator: ConvolutionOperator) {
        let c = convolutionOperator.convolution
        input = convolutionOperator.inputSize
        kernel = c.kernelSize
        stride = c.stride
        dilation = c.dilation
        inChannels = convolutionOperator.inChannels
        outChannels = convolutionOperator.outChannels
        groups = c.groups
        paddingMode = c.paddingMode
        switch c.padding {
        case .same, .valid: padding = c.padding
        default:
            padding =
                c.paddingBefore == c.paddingAfter
                ? .symmetric(c.paddingBefore)
                : .explicit(before: c.paddingBefore, after: c.paddingAfter)
        }
        if case .transposed(let t) = convolutionOperator {
            transposed = true
            switch t.padding {
            case .same, .valid:
                padding = t.padding
                if !t.hasDefaultSize { outputSize = t.outputSize }
            default:
                if t.outputPadding.contains(where: { $0 != 0 }) { outputPadding = t.outputPadding }
            }
        }
    }
}

extension ConvolutionFields {
    /// The field with the largest value, such as `stride[0]`: the one to name
    /// when a size computed from several of them does not fit into 64 bits.
    var largestField: String {
        var lists: [(String, [Int])] = [("input", input), ("kernel", kernel), ("stride", stride), ("dilation", dilation)]
        switch padding {
        case .symmetric(let amounts): lists.append(("padding", amounts))
        case .explicit(let before, let after): lists.append(("padding", zip(before, after).map { max($0, $1) }))
        case .same, .valid: break
        }
        if let outputPadding { lists.append(("output_padding", outputPadding)) }
        if let outputSize { lists.append(("output_size", outputSize)) }
        var best = ("input", Int.min)
        for (name, values) in lists {
            for (d, value) in values.enumerated() where value > best.1 {
                best = (values.count == 1 ? name : "\(name)[\(d)]", value)
            }
        }
        return best.0
    }
}

extension ConvolutionOperator {
    /// Checks `fields` and makes the operation they describe.
    ///
    /// - Parameter fields: the description.
    /// - Throws: `GeometryError` naming the first field that makes the
    ///   operation impossible, and what would be valid.
    public init(_ fields: ConvolutionFields) throws(GeometryError) {
        do {
            try self.init(checking: fields)
        } catch .overflow(nil, let quantity) {
            // A size computed from several fields left 64 bits: name the largest of them.
            throw .overflow(field: fields.largestField, quantity: quantity)
        }
    }

    private init(checking fields: ConvolutionFields) throws(GeometryError) {
        if fields.outputPadding != nil && fields.outputSize != nil {
            throw .invalid(field: "output_padding", reason: "cannot be combined with \(field: "output_size"); give one of them")
        }
        if fields.transposed {
            self = .transposed(
                try TransposedConvolutionGeometry(
                    inputSize: fields.input, kernelSize: fields.kernel, stride: fields.stride, dilation: fields.dilation,
                    padding: fields.padding, paddingMode: fields.paddingMode, outputPadding: fields.outputPadding ?? [0], outputSize: fields.outputSize,
                    inChannels: fields.inChannels, outChannels: fields.outChannels, groups: fields.groups))
            return
        }
        if let extra = fields.outputPadding, extra.contains(where: { $0 != 0 }) {
            throw .invalid(field: "output_padding", reason: "applies only to a transposed convolution (\(field: "transposed"))")
        }
        if fields.outputSize != nil {
            throw .invalid(field: "output_size", reason: "applies only to a transposed convolution (\(field: "transposed"))")
        }
        self = .convolution(
            try ConvolutionGeometry(
                inputSize: fields.input, kernelSize: fields.kernel, stride: fields.stride, dilation: fields.dilation,
                padding: fields.padding, paddingMode: fields.paddingMode, inChannels: fields.inChannels, outChannels: fields.outChannels,
                groups: fields.groups))
    }
}
