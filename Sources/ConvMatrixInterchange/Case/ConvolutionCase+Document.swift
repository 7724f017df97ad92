import ConvMatrixCore

/// Making a case from its parts and writing it as a case document: what
/// `CaseGenerator` writes and what a failing property test leaves behind
/// for `convmat run` to replay.
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
    /// - Throws: `CaseError.invalid` when the case format cannot say this
    ///   case: a `padding_mode` other than zeros exists for PyTorch's `conv` and `conv_input_grad`
    ///   only; TensorFlow's layout has no `groups`, and its
    ///   `conv_transpose` takes only an `output_shape` whose convolution
    ///   gives the input back (not the cut C of an `output_padding` at or
    ///   above the stride, which PyTorch allows when the dilation is larger).
    public init(operation: Operation, layout: Layout, kernel: Kernel, operand: DenseMatrix) throws(CaseError) {
        let geometry = kernel.geometry
        precondition(
            operand.rowCount == (operation == .conv ? geometry.columnCount : geometry.rowCount),
            "ConvolutionCase: the operand does not match the geometry")
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
        self.operation = operation
        self.layout = layout
        self.geometry = geometry
        self.kernel = kernel
        self.batchSize = operand.columnCount
        self.operand = operand
    }

    /// The `input` tensor as the document writes it: the operand in the
    /// case's layout, [N, C, spatial…] or [N, spatial…, C].
    package var inputTensor: Tensor {
        let spatial = operation == .conv ? geometry.inputSize : geometry.outputSize
        let channels = operation == .conv ? geometry.inChannels : geometry.outChannels
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

    /// The shape of the result `evaluate()` gives, in the case's layout.
    package var outputShape: [Int] {
        let spatial = operation == .conv ? geometry.outputSize : geometry.inputSize
        let channels = operation == .conv ? geometry.outChannels : geometry.inChannels
        return layout == .pytorch ? [batchSize, channels] + spatial : [batchSize] + spatial + [channels]
    }

    /// The case as one line of the case format (docs/case-format.md), with
    /// `"expected"` after the other keys when `expected` is given.
    ///
    /// Keys are written in the order op, layout, input, weight, stride,
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

    /// The keys and values of `document(expected:)`, in order, without `"expected"`.
    var documentFields: [(String, String)] {
        let g = geometry
        let tensorflow = layout == .tensorflow
        var fields: [(String, String)] = [
            ("op", JSONWriting.string(operation.rawValue)),
            ("layout", JSONWriting.string(layout.rawValue)),
            ("input", inputTensor.json),
            ("weight", weightTensor.json),
            ("stride", JSONWriting.integers(g.stride)),
        ]
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
