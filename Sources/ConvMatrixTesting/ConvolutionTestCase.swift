import ConvMatrix

/// One case for testing an implementation of a convolution, a transposed
/// convolution or a convolution's input gradient: the operation, the
/// framework layout, the settings, and the kernel and input tensors in that
/// layout. `compare(_:shape:tolerance:)` computes the right answer through
/// the explicit matrix C with SuiteSparse and judges an output against it.
///
/// The three operations are those of the case format (docs/case-format.md):
///
/// - `conv`: y = C·x, PyTorch's `conv{1,2,3}d` / TensorFlow's `tf.nn.convolution`;
/// - `conv_transpose`: z = Cᵀ·y, `conv_transpose{1,2,3}d` / `tf.nn.conv{1,2,3}d_transpose`;
/// - `conv_input_grad`: ∂⟨conv(x), g⟩/∂x = Cᵀ·g, `torch.nn.grad.conv{1,2,3}d_input`.
///
/// The settings (`stride`, `dilation`, `paddingBefore`, `paddingAfter`,
/// `groups`, `outputPadding`, and `convolution.paddingMode`, what fills the
/// padding) are those of the convolution C in every case,
/// the way both frameworks describe a transposed convolution by the
/// convolution it transposes. A case prints as one line naming the
/// operation, the shapes, the settings and the `convmat matrix` command of
/// its geometry, which is what swift-property-based shows for a failing input.
public struct ConvolutionTestCase: Sendable, CustomStringConvertible {
    /// The case as the case format holds it: what `convmat run` reads.
    package let convolutionCase: ConvolutionCase
    /// The operation as ConvMatrix describes it: `.convolution` for `conv`,
    /// `.transposed` (the transpose of C) for `conv_transpose` and `conv_input_grad`.
    public let convolutionOperator: ConvolutionOperator
    /// The operand in the case's layout: x for `conv`, y (or the gradient g) otherwise.
    public let input: Tensor
    /// The kernel in the case's layout: PyTorch [C_out, C_in/groups, k…] of C
    /// (for the transposed operations the same array is ConvTranspose's
    /// [C_in, C_out/groups, k…]), TensorFlow [k…, C_in/groups, C_out] of C.
    public let weight: Tensor
    /// The shape of the correct output, in the case's layout.
    public let outputShape: [Int]

    /// A case from the kernel of C and the operand.
    ///
    /// - Parameters:
    ///   - operation: `conv`, `conv_transpose` or `conv_input_grad`.
    ///   - layout: the layout of the tensors handed to the implementation.
    ///   - kernel: the kernel of the convolution C, in PyTorch order.
    ///   - operand: one sample per column, in PyTorch order: C's input
    ///     [C_in, i…] for `conv`, its output [C_out, o…] otherwise.
    /// - Throws: `CaseError` when the case format cannot write the case in
    ///   `layout` (TensorFlow's layout has no groups), so that every case can be replayed.
    public init(
        operation: ConvolutionCase.Operation, layout: ConvolutionCase.Layout,
        kernel: Kernel, operand: DenseMatrix
    ) throws(CaseError) {
        let computation = try ConvolutionCase(operation: operation, layout: layout, kernel: kernel, operand: operand)
        self.convolutionCase = computation
        self.convolutionOperator = operation == .conv ? .convolution(kernel.geometry) : .transposing(kernel.geometry)
        self.input = computation.inputTensor
        self.weight = computation.weightTensor
        self.outputShape = computation.outputShape
    }

    /// `conv`, `conv_transpose` or `conv_input_grad`.
    public var operation: ConvolutionCase.Operation { convolutionCase.operation }
    /// The layout of `input`, `weight` and the output.
    public var layout: ConvolutionCase.Layout { convolutionCase.layout }
    /// The convolution C (for the transposed operations: the one they transpose).
    public var convolution: ConvolutionGeometry { convolutionCase.geometry }
    /// The kernel of C in PyTorch order, [C_out, C_in/groups, k…].
    package var kernel: Kernel { convolutionCase.kernel }
    /// Samples in the batch, N.
    public var batchSize: Int { convolutionCase.batchSize }
    /// Spatial dimensions.
    public var spatialRank: Int { convolution.spatialRank }
    /// Stride of C, per spatial dimension.
    public var stride: [Int] { convolution.stride }
    /// Dilation of C, per spatial dimension.
    public var dilation: [Int] { convolution.dilation }
    /// Zeros before the data (top, left) of C's input, per spatial dimension;
    /// for the transposed operations, the positions cropped from the start of their output.
    public var paddingBefore: [Int] { convolution.paddingBefore }
    /// Zeros after the data (bottom, right), per spatial dimension; for the
    /// transposed operations, the positions cropped from the end of their output.
    public var paddingAfter: [Int] { convolution.paddingAfter }
    /// Channel groups.
    public var groups: Int { convolution.groups }
    /// The transposed operations' extra output size at the end of each
    /// dimension (PyTorch's `output_padding`); zeros for `conv`.
    public var outputPadding: [Int] {
        if case .transposed(let transposed) = convolutionOperator { return transposed.outputPadding }
        return [Int](repeating: 0, count: spatialRank)
    }

    /// The case document without `"expected"`: save it as a file and
    /// `convmat run FILE` computes the right answer.
    public var document: String { convolutionCase.document() }

    /// The `convmat matrix` command that prints this case's matrix (C for
    /// `conv`, Cᵀ otherwise) with its kernel's values and every row and
    /// column named by tensor element: the operation itself, not another one.
    package var matrixCommand: String {
        let values = kernel.values.map(JSONWriting.number).joined(separator: ",")
        return
            (["convmat", "matrix"] + ConvolutionFields(describing: convolutionOperator).commandLineArguments
            + ["--weights", values, "--labels"]).joined(separator: " ")
    }

    /// One line: the operation and layout, the input and weight shapes, the
    /// settings, and the `convmat matrix` flags of the geometry.
    public var description: String {
        func list(_ values: [Int]) -> String { values.map(String.init).joined(separator: "x") }
        let pads = zip(paddingBefore, paddingAfter).map { "\($0):\($1)" }.joined(separator: "x")
        let mode = convolution.paddingMode == .zeros ? "" : ", padding_mode \(convolution.paddingMode.rawValue)"
        var settings = "stride \(list(stride)), padding \(pads) (before:after)\(mode), dilation \(list(dilation)), groups \(groups)"
        if operation != .conv { settings += ", output_padding \(list(outputPadding))" }
        let flags = ConvolutionFields(describing: convolutionOperator).commandLineArguments.joined(separator: " ")
        return
            "\(operation.rawValue) (\(layout.rawValue)): input \(input.shape), weight \(weight.shape) → output \(outputShape); \(settings) [convmat matrix \(flags)]"
    }
}
