import ConvMatrixCore

/// What a matrix file says about itself, so that a `.mtx` or COO JSON file
/// found later still tells which convolution and which weights it holds:
/// the operation's fields (sizes, stride, both paddings and, when it holds copies, the padding mode, dilation, channels,
/// groups, and `output_padding` for a transposed convolution), the weights in
/// PyTorch order, and the `convmat matrix` command that writes it again.
///
/// Matrix Market writes it as `%` comment lines after the banner
/// (`MatrixMarketWriter`), COO JSON as a `geometry` object and two more keys.
package struct MatrixFileDescription {
    /// A field's value: a list of sizes (`4x4`, `[4, 4]`), a count, or a word.
    enum Value {
        case sizes([Int])
        case count(Int)
        case word(String)
    }

    /// The operation described.
    let convolutionOperator: ConvolutionOperator
    /// The weights of C, or nil for a symbolic matrix.
    let weights: [Double]?

    /// The description of `convolutionOperator`'s matrix with these weights (nil: symbolic).
    package init(convolutionOperator: ConvolutionOperator, weights: [Double]?) {
        self.convolutionOperator = convolutionOperator
        self.weights = weights
    }

    /// The fields, in the order a person reads them; names are the library's field names.
    var fields: [(name: String, value: Value)] {
        let op = convolutionOperator, c = op.convolution
        var fields: [(name: String, value: Value)] = [
            ("operation", .word(op.name)),
            ("input", .sizes(op.inputSize)), ("output", .sizes(op.outputSize)), ("kernel", .sizes(c.kernelSize)),
            ("stride", .sizes(c.stride)), ("padding_before", .sizes(c.paddingBefore)), ("padding_after", .sizes(c.paddingAfter)),
            ("dilation", .sizes(c.dilation)),
        ]
        // Only where the padding holds copies, so that files of zero-padded convolutions read as before.
        if c.paddingMode != .zeros { fields.insert(("padding_mode", .word(c.paddingMode.rawValue)), at: 7) }
        if case .transposed(let t) = op { fields.append(("output_padding", .sizes(t.outputPadding))) }
        fields += [("in_channels", .count(op.inChannels)), ("out_channels", .count(op.outChannels)), ("groups", .count(c.groups))]
        return fields
    }

    /// The weights as `--weights` takes them (`1,-2,0.5`), or nil.
    var weightsText: String? { weights.map { $0.map(formatNumber).joined(separator: ",") } }

    /// The weights' shape in PyTorch order, [C_out, C_in/groups, k…], as `2x1x3x3`.
    var weightShapeText: String { convolutionOperator.convolution.weightShape.map(String.init).joined(separator: "x") }

    /// The command that writes the same file again, ending with `extra` (view and format flags).
    package func command(extra: [String]) -> String {
        ConvolutionFields(describing: convolutionOperator).matrixCommand(weights: weightsText, extra: extra)
    }

    /// The fields on one line of ASCII: `convolution, input 4x4, output 2x2, kernel 3x3, …`.
    package var fieldsLine: String {
        fields.map { field in
            switch field.value {
            case .word(let word): return field.name == "operation" ? word : "\(field.name) \(word)"
            case .count(let count): return "\(field.name) \(count)"
            case .sizes(let sizes): return "\(field.name) \(sizes.map(String.init).joined(separator: "x"))"
            }
        }.joined(separator: ", ")
    }

    /// The fields as a JSON object: `{"operation": "convolution", "input": [4, 4], …}`.
    package var fieldsJSON: String {
        JSONWriting.object(
            fields.map { field in
                switch field.value {
                case .word(let word): return (field.name, JSONWriting.string(word))
                case .count(let count): return (field.name, "\(count)")
                case .sizes(let sizes): return (field.name, JSONWriting.integers(sizes))
                }
            } + [("weight_shape", JSONWriting.integers(convolutionOperator.convolution.weightShape))])
    }
}
