import ConvMatrixCore

/// Making a case from its parts and writing it as a case document: what
/// `CaseGenerator` writes and what a failing property test leaves behind
/// for `convmat run` to replay.
extension ConvolutionCase.Operation {
    /// Whether the operation's `input` is the conv's input x (`conv`, `conv_weight_grad`) rather than a
    /// tensor of the conv's output shape (`conv_transpose`'s input, `conv_input_grad`'s gradient).
    package var readsInput: Bool { self == .conv || self == .convWeightGrad }
}

extension ConvolutionCase {
    /// A case from the convolution C, its kernel and the operand, for
    /// writing out (`document(expected:)`) or computing (`evaluate()`).
    ///
    /// The operation says what is applied: `conv` multiplies by C, the two
    /// transposed operations by Cᵀ, so `operand` holds one sample per column
    /// in C's input layout [C_in, i…] for `conv` and in its output layout
    /// [C_out, o…] otherwise (PyTorch order either way; the layout only
    /// decides how the document writes the tensors).
    ///
    /// - Parameters:
    ///   - operation: `conv`, `conv_transpose` or `conv_input_grad`.
    ///   - layout: the layout the document is written in.
    ///   - kernel: the kernel of C; its geometry is the case's geometry.
    ///   - operand: the samples, `operand.rowCount` = C's columns (`conv`) or rows (otherwise).
    ///   - bias: one value per output channel of `conv` or `conv_transpose`, added after the product, or nil.
    ///   - gradOutput: for `conv_weight_grad` (required there), the gradient at the conv's output, one
    ///     sample per column in C's output layout [C_out, o…]; `operand` is then x and `kernel` only gives the
    ///     geometry (its values are what the operation computes).
    /// - Throws: `CaseError.invalid` when the operand does not fit the geometry (naming `input`), or
    ///   when the case format cannot say this case: a bias on `conv_input_grad` or of the wrong length; a `padding_mode` other than zeros exists for PyTorch's `conv` and `conv_input_grad`
    ///   only; TensorFlow's layout has no `groups`, and its
    ///   `conv_transpose` takes only an `output_shape` whose convolution
    ///   gives the input back (not the cut C of an `output_padding` at or
    ///   above the stride, which PyTorch allows when the dilation is larger).
    public init(
        operation: Operation, layout: Layout, kernel: Kernel, operand: DenseMatrix, bias: [Double]? = nil, gradOutput: DenseMatrix? = nil
    ) throws(CaseError) {
        let geometry = kernel.geometry
        let operandLength = operation.readsInput ? geometry.columnCount : geometry.rowCount
        guard operand.rowCount == operandLength, operand.columnCount >= 1 else {
            throw .invalid(
                field: "input",
                reason:
                    "holds \(operand.rowCount) values per sample in \(operand.columnCount) sample(s), but the geometry needs \(operandLength) per sample (\(operation.readsInput ? "C's columns" : "C's rows")) and at least one sample"
            )
        }
        if operation == .convWeightGrad {
            guard let gradOutput, gradOutput.rowCount == geometry.rowCount, gradOutput.columnCount == operand.columnCount else {
                throw .invalid(field: "grad_output", reason: "is required for conv_weight_grad, one sample of the conv's output per sample of the input")
            }
        } else if gradOutput != nil {
            throw .invalid(field: "grad_output", reason: "applies only to conv_weight_grad")
        }
        if geometry.paddingMode != .zeros && (layout == .tensorflow || operation == .convTranspose) {
            throw .invalid(
                field: "padding_mode",
                reason:
                    "= \"\(geometry.paddingMode.rawValue)\" cannot be written for \(layout == .tensorflow ? "the tensorflow layout" : "conv_transpose"), which takes only \"zeros\"; use the pytorch layout with conv or conv_input_grad"
            )
        }
        if layout == .tensorflow {
            if geometry.groups != 1 {
                throw .invalid(
                    field: "groups", reason: "= \(geometry.groups) cannot be written in the tensorflow layout, which takes no groups; use the pytorch layout")
            }
            if operation == .convTranspose && geometry.isOutputCut {
                throw .invalid(
                    field: "output_shape",
                    reason:
                        "cannot give an output whose convolution has more outputs than the input has positions (output_padding at or above the stride); use the pytorch layout"
                )
            }
        }
        if let bias {
            guard operation == .conv || operation == .convTranspose else {
                throw .invalid(field: "bias", reason: "applies only to conv and conv_transpose; \(operation.rawValue) is a gradient, which has no bias")
            }
            let channels = operation == .conv ? geometry.outChannels : geometry.inChannels
            guard bias.count == channels else {
                throw .invalid(
                    field: "bias.shape", reason: "= [\(bias.count)] must be [\(channels)], one value per output channel of the \(operation.rawValue)")
            }
        }
        self.operation = operation
        self.layout = layout
        self.geometry = geometry
        // conv_weight_grad computes the weight: the case holds none, as one read from a document does.
        if operation == .convWeightGrad, let zeros = try? Kernel([Double](repeating: 0, count: geometry.weightCount), geometry: geometry) {
            self.kernel = zeros
        } else {
            self.kernel = kernel
        }
        self.bias = bias
        self.gradOutput = operation == .convWeightGrad ? gradOutput : nil
        self.batchSize = operand.columnCount
        self.operand = operand
    }

    /// The `input` tensor as the document writes it: the operand in the
    /// case's layout, [N, C, spatial…] or [N, spatial…, C].
    package var inputTensor: Tensor {
        let spatial = operation.readsInput ? geometry.inputSize : geometry.outputSize
        let channels = operation.readsInput ? geometry.inChannels : geometry.outChannels
        let pytorch = Tensor(shape: [batchSize, channels] + spatial, data: operand.values)
        return layout == .pytorch ? pytorch : pytorch.permuted([0] + Array(2..<(spatial.count + 2)) + [1])
    }

    /// The `weight` tensor as the document writes it: PyTorch's
    /// [C_out, C_in/groups, k…] of C, or TensorFlow's [k…, C_in, C_out]
    /// (for the transposed operations the same array is TensorFlow's
    /// [k…, C_out, C_in] of the transpose, as it is PyTorch's [C_in, C_out/groups, k…]).
    package var weightTensor: Tensor {
        let pytorch = Tensor(shape: geometry.weightShape, data: kernel.values)
        let rank = geometry.spatialRank
        return layout == .pytorch ? pytorch : pytorch.permuted(Array(2..<(rank + 2)) + [1, 0])
    }

    /// The `grad_output` tensor of `conv_weight_grad` in the case's layout, [N, C_out, o…] or [N, o…, C_out]; nil otherwise.
    package var gradOutputTensor: Tensor? {
        guard let gradOutput else { return nil }
        let pytorch = Tensor(shape: [batchSize, geometry.outChannels] + geometry.outputSize, data: gradOutput.values)
        return layout == .pytorch ? pytorch : pytorch.permuted([0] + Array(2..<(geometry.spatialRank + 2)) + [1])
    }

    /// The weight's shape in the case's layout: PyTorch [C_out, C_in/groups, k…], TensorFlow [k…, C_in, C_out].
    package var weightShapeInLayout: [Int] {
        let w = geometry.weightShape
        return layout == .pytorch ? w : Array(w[2...]) + [w[1], w[0]]
    }

    /// The shape of the result `evaluate()` gives, in the case's layout.
    package var outputShape: [Int] {
        if operation == .convWeightGrad { return weightShapeInLayout }
        let spatial = operation == .conv ? geometry.outputSize : geometry.inputSize
        let channels = operation == .conv ? geometry.outChannels : geometry.inChannels
        return layout == .pytorch ? [batchSize, channels] + spatial : [batchSize] + spatial + [channels]
    }

    /// The case as one line of the case format (docs/case-format.md), with
    /// `"expected"` after the other keys when `expected` is given.
    ///
    /// Keys are written in the order op, layout, input, weight (for `conv_weight_grad`: grad_output and
    /// weight_shape), bias (when given), stride,
    /// padding, padding_mode (when not zeros), dilation, groups (PyTorch), output_padding (PyTorch
    /// `conv_transpose`, when not all zero), output_shape (TensorFlow
    /// `conv_transpose`), input_shape (`conv_input_grad`). The padding keeps
    /// SAME and VALID where the framework accepts them for the operation
    /// (TensorFlow always; PyTorch `"valid"` for conv, `"same"` for conv at
    /// stride 1) and is otherwise written as the amounts it resolves to, one
    /// number per dimension when both sides agree and `[before, after]` pairs
    /// when they do not (TensorFlow: its list of pairs for every axis).
    /// Reading the document back gives the same C and operand.
    ///
    /// - Parameter expected: the answer to add under `"expected"`, or nil.
    /// - Returns: the JSON text, without a final line break.
    public func document(expected: Tensor? = nil) -> String {
        var fields = documentFields
        if let expected { fields.append(("expected", expected.json)) }
        return JSONWriting.object(fields)
    }

    /// The case with `"expected"` holding `"tolerance"` after its shape and data: per element the
    /// largest difference from `expected` a correct implementation may show (docs/case-format.md).
    ///
    /// - Parameters:
    ///   - expected: the answer.
    ///   - tolerance: the bounds, shaped like `expected`; written flat, as `data` is.
    /// - Returns: the JSON text, without a final line break.
    package func document(expected: Tensor, tolerance: Tensor) -> String {
        var fields = documentFields
        var text = String(expected.json.dropLast())
        text += ", \"tolerance\": [" + tolerance.data.map(JSONWriting.number).joined(separator: ", ") + "]}"
        fields.append(("expected", text))
        return JSONWriting.object(fields)
    }

    /// The keys and values of `document(expected:)`, in order, without `"expected"`.
    var documentFields: [(String, String)] {
        let g = geometry
        let tensorflow = layout == .tensorflow
        var fields: [(String, String)] = [
            ("op", JSONWriting.string(operation.rawValue)),
            ("layout", JSONWriting.string(layout.rawValue)),
            ("input", inputTensor.json),
        ]
        if operation == .convWeightGrad, let gradOutputTensor {
            fields.append(("grad_output", gradOutputTensor.json))
            fields.append(("weight_shape", JSONWriting.integers(weightShapeInLayout)))
        } else {
            fields.append(("weight", weightTensor.json))
        }
        if let bias { fields.append(("bias", Tensor(shape: [bias.count], data: bias).json)) }
        fields.append(("stride", JSONWriting.integers(g.stride)))
        let pytorchWord: String?
        switch g.padding {
        case .same: pytorchWord = operation == .conv && g.stride.allSatisfy({ $0 == 1 }) ? "same" : nil
        case .valid: pytorchWord = operation == .conv ? "valid" : nil
        default: pytorchWord = nil
        }
        if tensorflow && g.padding == .same {
            fields.append(("padding", JSONWriting.string("SAME")))
        } else if tensorflow && g.padding == .valid {
            fields.append(("padding", JSONWriting.string("VALID")))
        } else if let pytorchWord, !tensorflow {
            fields.append(("padding", JSONWriting.string(pytorchWord)))
        } else {
            let pairs = zip(g.paddingBefore, g.paddingAfter).map { JSONWriting.integers([$0, $1]) }
            if tensorflow {
                fields.append(("padding", JSONWriting.array(["[0, 0]"] + pairs + ["[0, 0]"])))
            } else {
                fields.append(("padding", g.paddingBefore == g.paddingAfter ? JSONWriting.integers(g.paddingBefore) : JSONWriting.array(pairs)))
            }
        }
        if g.paddingMode != .zeros { fields.append(("padding_mode", JSONWriting.string(g.paddingMode.rawValue))) }
        fields.append(("dilation", JSONWriting.integers(g.dilation)))
        if !tensorflow { fields.append(("groups", "\(g.groups)")) }
        if operation == .convTranspose && !tensorflow {
            let outputPadding = TransposedConvolutionGeometry(transposing: g).outputPadding
            if outputPadding.contains(where: { $0 != 0 }) { fields.append(("output_padding", JSONWriting.integers(outputPadding))) }
        }
        if operation == .convTranspose && tensorflow {
            fields.append(("output_shape", JSONWriting.integers([batchSize] + g.inputSize + [g.inChannels])))
        }
        if operation == .convInputGrad {
            let shape = tensorflow ? [batchSize] + g.inputSize + [g.inChannels] : [batchSize, g.inChannels] + g.inputSize
            fields.append(("input_shape", JSONWriting.integers(shape)))
        }
        return fields
    }
}
