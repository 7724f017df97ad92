import ConvMatrixCore

/// One computation in the case format of `convmat run` (see
/// docs/case-format.md): an operation, a framework layout, the operand and
/// the kernel, and the convolution's settings.
///
/// Reading a case checks it completely; `evaluate()` then computes the
/// result through the explicit matrix C held by CHOLMOD: C·x for `conv`,
/// Cᵀ·y for `conv_transpose` and `conv_input_grad`, plus the `bias` of
/// each output channel when the case has one.
public struct ConvolutionCase: Sendable {
    /// What is computed.
    public enum Operation: String, Sendable, CaseIterable {
        /// y = C·x.
        case conv
        /// z = Cᵀ·y, PyTorch's `conv_transpose` / TensorFlow's `conv_transpose`.
        case convTranspose = "conv_transpose"
        /// ∂⟨conv(x), g⟩/∂x = Cᵀ·g.
        case convInputGrad = "conv_input_grad"
        /// ∂⟨conv(x, w), g⟩/∂w = X(x)ᵀ·g, X the im2col matrix of x (y = X·w).
        case convWeightGrad = "conv_weight_grad"
    }

    /// Whose tensor layout the document uses.
    public enum Layout: String, Sendable, CaseIterable {
        /// `[N, C, spatial…]`, kernels `[C_out, C_in/groups, k…]`.
        case pytorch
        /// `[N, spatial…, C]`, kernels `[k…, C_in, C_out]`.
        case tensorflow
    }

    /// The operation.
    public let operation: Operation
    /// The layout of every tensor in the document and of the result.
    public let layout: Layout
    /// The convolution whose matrix C is used (for transposes: the one Cᵀ transposes).
    public let geometry: ConvolutionGeometry
    /// The kernel in PyTorch's convolution order (for `conv_weight_grad`, which has none: zeros of the weight's shape).
    public let kernel: Kernel
    /// The operand, one sample per column, each in [channels, spatial…] order.
    public let operand: DenseMatrix
    /// Samples in the batch.
    public let batchSize: Int
    /// The bias of `conv` and `conv_transpose`, one value per output channel
    /// added to every output position of that channel (PyTorch's `bias=`,
    /// TensorFlow's `tf.nn.bias_add` after the op), or nil when the case has none.
    package let bias: [Double]?
    /// The gradient g arriving at the conv's output for `conv_weight_grad`, one sample per column,
    /// each [C_out, spatial…] in PyTorch order; nil for the other operations.
    package let gradOutput: DenseMatrix?

    /// Reads and checks a case document.
    ///
    /// - Parameter text: the whole document, a JSON object in the case format (docs/case-format.md): `op`,
    ///   `layout`, the settings, `input` and `weight` as shape and data (flat or nested `tolist()` lists).
    /// - Throws: `CaseError` naming the key that is missing, of the wrong type or invalid, `.malformedJSON` with
    ///   the line and column, or `.geometry` when the described operation cannot exist.
    public init(json text: String) throws(CaseError) {
        let root: JSONValue
        do { root = try JSONValue(parsing: text) } catch { throw .malformedJSON(error) }
        guard case .object(let fields) = root else { throw .wrongType(field: "the case", expected: "a JSON object") }
        // "expected" is what generated cases (`CaseGenerator`) carry as their answer; reading ignores it.
        let known: Set = [
            "op", "layout", "input", "weight", "bias", "grad_output", "weight_shape", "stride", "padding", "padding_mode", "dilation", "groups",
            "output_padding", "output_shape", "input_shape", "expected",
        ]
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw .invalid(field: unknown, reason: "is not a key of the case format; the keys are \(known.sorted().joined(separator: ", "))")
        }
        let reader = FieldReader(fields: fields)
        guard let op = Operation(rawValue: try reader.string("op")) else {
            throw .invalid(field: "op", reason: "must be \"conv\", \"conv_transpose\", \"conv_input_grad\" or \"conv_weight_grad\"")
        }
        let layoutName = try reader.optionalString("layout") ?? "pytorch"
        guard let layout = Layout(rawValue: layoutName) else {
            throw .invalid(field: "layout", reason: "= \"\(layoutName)\" must be \"pytorch\" or \"tensorflow\"")
        }
        let input = try reader.tensor("input")
        guard input.shape.count >= 3 else {
            throw .invalid(
                field: "input",
                reason:
                    "has \(input.shape.count) ax\(input.shape.count == 1 ? "is" : "es") (shape \(input.shape)); it needs batch, channels and at least one spatial axis"
            )
        }
        let rank = input.shape.count - 2
        // conv_weight_grad has no weight: its shape is weight_shape, and the weight's values are what it computes.
        let weightShape = try reader.optionalInts("weight_shape", count: rank + 2)
        let gradOutputTensor = fields["grad_output"] == nil ? nil : try reader.tensor("grad_output")
        if op == .convWeightGrad {
            if fields["weight"] != nil {
                throw .invalid(field: "weight", reason: "is what conv_weight_grad computes; give its shape as weight_shape instead")
            }
            guard let weightShape else { throw .invalid(field: "weight_shape", reason: "is required for conv_weight_grad") }
            for (n, size) in weightShape.enumerated() where size < 1 {
                throw .invalid(field: "weight_shape[\(n)]", reason: "= \(size) must be at least 1")
            }
            try FieldReader.requireFitting(weightShape, key: "weight_shape")
            guard gradOutputTensor != nil else { throw .invalid(field: "grad_output", reason: "is required for conv_weight_grad") }
        } else {
            if weightShape != nil { throw .invalid(field: "weight_shape", reason: "applies only to conv_weight_grad") }
            if gradOutputTensor != nil { throw .invalid(field: "grad_output", reason: "applies only to conv_weight_grad") }
        }
        let weight = op == .convWeightGrad ? Tensor(shape: weightShape ?? [], data: []) : try reader.tensor("weight")
        guard weight.shape.count == rank + 2 else {
            throw .invalid(
                field: "weight",
                reason:
                    "has \(weight.shape.count) axes (shape \(weight.shape)) but the input has \(rank) spatial dimension\(rank == 1 ? "" : "s"), so it needs \(rank + 2)"
            )
        }
        let stride = try reader.optionalInts("stride", count: rank) ?? [Int](repeating: 1, count: rank)
        let dilation = try reader.optionalInts("dilation", count: rank) ?? [Int](repeating: 1, count: rank)
        let padding = try reader.padding(layout: layout, op: op, rank: rank)
        let paddingMode = try reader.paddingMode(layout: layout, op: op)
        let groups = try reader.optionalInt("groups") ?? 1
        if groups < 1 { throw .invalid(field: "groups", reason: "= \(groups) must be at least 1") }
        if layout == .tensorflow && groups != 1 {
            throw .invalid(field: "groups", reason: "is a PyTorch setting; the tensorflow layout takes no groups")
        }
        let outputPadding = try reader.optionalInts("output_padding", count: rank)
        if outputPadding != nil && !(op == .convTranspose && layout == .pytorch) {
            throw .invalid(field: "output_padding", reason: "applies only to a pytorch conv_transpose")
        }
        let outputShape = try reader.optionalInts("output_shape", count: rank + 2)
        if outputShape != nil && !(op == .convTranspose && layout == .tensorflow) {
            throw .invalid(field: "output_shape", reason: "applies only to a tensorflow conv_transpose (pytorch uses output_padding)")
        }
        let inputShape = try reader.optionalInts("input_shape", count: rank + 2)
        if inputShape != nil && op != .convInputGrad {
            throw .invalid(field: "input_shape", reason: "applies only to conv_input_grad")
        }

        // Everything below works in PyTorch order: [N, C, spatial…] and [C_out, C_in/groups, k…].
        let batch = input.shape[0]
        let operandTensor = layout == .pytorch ? input : input.permuted([0, rank + 1] + Array(1...rank))
        let weightTensor =
            layout == .pytorch
            ? weight
            : Tensor(shape: [weight.shape[rank + 1], weight.shape[rank]] + Array(weight.shape[0..<rank]), data: [])
        let weightValues = op == .convWeightGrad || layout == .pytorch ? weight.data : weight.permuted([rank + 1, rank] + Array(0..<rank)).data
        let kernelSize = Array(weightTensor.shape[2...])
        let operandChannels = operandTensor.shape[1]
        let operandSpatial = Array(operandTensor.shape[2...])
        let channelAxis = layout == .pytorch ? "input.shape[1]" : "input.shape[\(rank + 1)]"
        let weightKey = op == .convWeightGrad ? "weight_shape" : "weight.shape"
        let weightInAxis = layout == .pytorch ? "\(weightKey)[1]" : "\(weightKey)[\(rank)]"
        let weightOutAxis = layout == .pytorch ? "\(weightKey)[0]" : "\(weightKey)[\(rank + 1)]"

        let geometry: ConvolutionGeometry
        do throws(GeometryError) {
            switch op {
            case .conv, .convWeightGrad:
                if groups >= 1 && operandChannels % groups != 0 {
                    throw .invalid(field: channelAxis, reason: "= \(operandChannels) input channels must be divisible by groups = \(groups)")
                }
                let perGroup = weightTensor.shape[1]
                guard perGroup * groups == operandChannels else {
                    throw .invalid(
                        field: weightInAxis,
                        reason:
                            "= \(perGroup) does not match the input's \(operandChannels) channel\(operandChannels == 1 ? "" : "s")\(groups > 1 ? " / groups = \(groups)" : ""); it must be \(operandChannels / max(groups, 1))"
                    )
                }
                if padding == .same && layout == .pytorch, let d = stride.firstIndex(where: { $0 != 1 }) {
                    throw .invalid(field: "padding", reason: "= \"same\" needs stride 1 in PyTorch, but stride[\(d)] = \(stride[d])")
                }
                geometry = try ConvolutionGeometry(
                    inputSize: operandSpatial, kernelSize: kernelSize, stride: stride, dilation: dilation,
                    padding: padding, paddingMode: paddingMode, inChannels: operandChannels, outChannels: weightTensor.shape[0], groups: groups)
            case .convTranspose:
                guard weightTensor.shape[0] == operandChannels else {
                    throw .invalid(
                        field: weightOutAxis, reason: "= \(weightTensor.shape[0]) must equal the input's channels, \(channelAxis) = \(operandChannels)")
                }
                var requested: [Int]? = nil
                if layout == .tensorflow {
                    guard let outputShape else { throw .invalid(field: "output_shape", reason: "is required for a tensorflow conv_transpose") }
                    guard outputShape[0] == batch else {
                        throw .invalid(field: "output_shape[0]", reason: "= \(outputShape[0]) must equal the batch size \(batch)")
                    }
                    guard outputShape[rank + 1] == weightTensor.shape[1] else {
                        throw .invalid(
                            field: "output_shape[\(rank + 1)]",
                            reason: "= \(outputShape[rank + 1]) must equal the kernel's output channels, weight.shape[\(rank)] = \(weightTensor.shape[1])")
                    }
                    requested = Array(outputShape[1...rank])
                    for (d, size) in requested!.enumerated() where size < 1 {
                        throw .tooSmall(field: "output_shape[\(d + 1)]", value: size, minimum: 1)
                    }
                }
                let transposed: TransposedConvolutionGeometry
                do throws(GeometryError) {
                    transposed = try TransposedConvolutionGeometry(
                        inputSize: operandSpatial, kernelSize: kernelSize, stride: stride, dilation: dilation,
                        padding: padding, outputPadding: outputPadding ?? [0], outputSize: requested,
                        inChannels: operandChannels, outChannels: weightTensor.shape[1] * groups, groups: groups)
                } catch {
                    throw layout == .tensorflow ? namingOutputShape(error) : error
                }
                geometry = transposed.convolution
            case .convInputGrad:
                guard let inputShape else { throw .invalid(field: "input_shape", reason: "is required for conv_input_grad") }
                let xShape = layout == .pytorch ? inputShape : [inputShape[0], inputShape[rank + 1]] + Array(inputShape[1...rank])
                guard xShape[0] == batch else {
                    throw .invalid(field: "input_shape[0]", reason: "= \(xShape[0]) must equal the batch size of input, \(batch)")
                }
                let inChannelsAxis = layout == .pytorch ? "input_shape[1]" : "input_shape[\(rank + 1)]"
                guard weightTensor.shape[1] * groups == xShape[1] else {
                    throw .invalid(field: inChannelsAxis, reason: "= \(xShape[1]) does not match the kernel's \(weightTensor.shape[1] * groups) input channels")
                }
                guard weightTensor.shape[0] == operandChannels else {
                    throw .invalid(
                        field: channelAxis, reason: "= \(operandChannels) must equal the kernel's output channels, \(weightOutAxis) = \(weightTensor.shape[0])")
                }
                let candidate = try ConvolutionGeometry(
                    inputSize: Array(xShape[2...]), kernelSize: kernelSize, stride: stride, dilation: dilation,
                    padding: padding, paddingMode: paddingMode, inChannels: xShape[1], outChannels: weightTensor.shape[0], groups: groups)
                for d in 0..<rank where candidate.outputSize[d] != operandSpatial[d] {
                    throw .invalid(
                        field: "input.shape[\(layout == .pytorch ? d + 2 : d + 1)]",
                        reason: "= \(operandSpatial[d]) but the convolution of input_shape gives \(candidate.outputSize[d]) there")
                }
                geometry = candidate
            }
        } catch {
            throw .geometry(error)
        }
        let kernel: Kernel
        do throws(GeometryError) {
            kernel = try Kernel(
                op == .convWeightGrad ? [Double](repeating: 0, count: geometry.weightCount) : weightValues, geometry: geometry, field: "weight")
        } catch { throw .geometry(error) }
        var gradOutput: DenseMatrix? = nil
        if op == .convWeightGrad, let g = gradOutputTensor {
            let expected = layout == .pytorch ? [batch, geometry.outChannels] + geometry.outputSize : [batch] + geometry.outputSize + [geometry.outChannels]
            guard g.shape == expected else {
                throw .invalid(
                    field: "grad_output.shape", reason: "= \(g.shape) must be \(expected), the shape of the conv's output for this input and weight_shape")
            }
            let pytorch = layout == .pytorch ? g : g.permuted([0, rank + 1] + Array(1...rank))
            gradOutput = DenseMatrix(rowCount: geometry.rowCount, columnCount: batch, values: pytorch.data)
        }
        var bias: [Double]? = nil
        if let value = fields["bias"], value != .null {
            guard op == .conv || op == .convTranspose else {
                throw .invalid(field: "bias", reason: "applies only to conv and conv_transpose; \(op.rawValue) is a gradient, which has no bias")
            }
            let tensor = try reader.tensor("bias", flatIsVector: true)
            let channels = op == .conv ? geometry.outChannels : geometry.inChannels
            guard tensor.shape == [channels] else {
                throw .invalid(
                    field: "bias.shape",
                    reason: "= \(tensor.shape) must be [\(channels)], one value per output channel of the \(op.rawValue)")
            }
            bias = tensor.data
        }

        self.operation = op
        self.layout = layout
        self.geometry = geometry
        self.kernel = kernel
        self.batchSize = batch
        self.bias = bias
        self.gradOutput = gradOutput
        self.operand = DenseMatrix(rowCount: operandTensor.data.count / max(batch, 1), columnCount: batch, values: operandTensor.data)
    }

    /// Bytes of memory reading a case document takes per byte of its text,
    /// at the peak: the text, the parsed tree (a 24-byte value per number, in
    /// arrays that grow by doubling) and the tensors (measured: 6.2 for a
    /// 42 MB case refused after parsing, 9.4 for one that is then computed).
    package static let parsingBytesPerByte = 10

    /// The peak memory of reading a case document of `fileBytes` bytes.
    ///
    /// - Parameter fileBytes: the document's size, known before it is read.
    /// - Returns: an estimate of about 10 bytes per byte of JSON, for the memory guard before reading.
    package static func parsingEstimate(fileBytes: Int) -> MemoryEstimate {
        MemoryEstimate([MemoryEstimate.items("reading the case (10 bytes per byte of JSON)", count: fileBytes, bytesEach: parsingBytesPerByte)])
    }

    /// The peak memory of `evaluate()`: building C, and the operand, the
    /// result and CHOLMOD's copy for the whole batch.
    public var memoryEstimate: MemoryEstimate {
        operation == .convWeightGrad
            ? WeightMatrix.memoryEstimate(geometry, samples: batchSize) : MemoryEstimate(geometry, samples: batchSize)
    }

    /// Computes the result through C and CHOLMOD, in the case's layout.
    ///
    /// - Returns: the output tensor (for `conv`: y = C·x; otherwise Cᵀ·y), with its shape in the case's layout.
    /// - Throws: `CaseError.computation` when CHOLMOD fails or the result overflows Float64.
    /// - Complexity: O(nnz(C) · batch) time; memory as `memoryEstimate` says.
    public func evaluate() throws(CaseError) -> Tensor {
        if operation == .convWeightGrad { return try weightGradient() }
        let result: DenseMatrix
        do throws(CholmodError) {
            let matrix = try SparseMatrix(convolution: kernel)
            result = operation == .conv ? try matrix.multiply(operand) : try matrix.multiplyTransposed(operand)
        } catch {
            throw .computation(error.description)
        }
        let values = addingBias(to: result.values)
        if values.contains(where: { !$0.isFinite }) {
            throw .computation("the result overflows Float64; scale the input or the weights down")
        }
        return resultTensor(values)
    }
}

extension ConvolutionCase {
    /// `conv_weight_grad`: Xᵀ·g with X = X(x) the im2col matrix of every sample stacked
    /// (`SparseMatrix(weightMatrix:inputs:)`), so the products of the batch add up in one sum; in the weight's layout.
    func weightGradient() throws(CaseError) -> Tensor {
        guard let gradOutput else { throw .computation("conv_weight_grad needs grad_output") }
        let values: [Double]
        do throws(CholmodError) {
            let x = try SparseMatrix(weightMatrix: WeightMatrix(geometry: geometry), inputs: operand)
            values = try x.multiplyTransposed(DenseMatrix(rowCount: gradOutput.values.count, columnCount: 1, values: gradOutput.values)).values
        } catch {
            throw .computation(error.description)
        }
        if values.contains(where: { !$0.isFinite }) {
            throw .computation("the result overflows Float64; scale the input or the gradient down")
        }
        let pytorch = Tensor(shape: geometry.weightShape, data: values)
        return layout == .pytorch ? pytorch : pytorch.permuted(Array(2..<(geometry.spatialRank + 2)) + [1, 0])
    }

    /// `values` (the product, [N, C, spatial…] in PyTorch order) with `bias[c]` added to every
    /// position of channel c of every sample (|bias[c]| when `magnitudes`, for the rounding bound's
    /// |C||x| + |b|); `values` unchanged when the case has no bias.
    package func addingBias(to values: [Double], magnitudes: Bool = false) -> [Double] {
        guard let bias, !bias.isEmpty else { return values }
        let positions = (operation == .conv ? geometry.outputSize : geometry.inputSize).reduce(1, *)
        var result = values
        for start in stride(from: 0, to: result.count, by: bias.count * positions) {
            for (channel, value) in bias.enumerated() {
                let first = start + channel * positions
                let added = magnitudes ? abs(value) : value
                for i in first..<(first + positions) { result[i] += added }
            }
        }
        return result
    }
}

/// The geometry names a requested transposed output size `output_size[d]`;
/// in a case document that size is TensorFlow's `output_shape[d + 1]`
/// (`output_shape` is [N, spatial…, C]), so a refusal names that key instead,
/// and a refusal under PyTorch's `output_size` rule (numeric padding) is, in
/// the tensorflow layout, the same set under TensorFlow's explicit padding.
private func namingOutputShape(_ error: GeometryError) -> GeometryError {
    func key(_ field: String) -> String {
        let prefix = "output_size["
        guard field.hasPrefix(prefix), field.hasSuffix("]"),
            let d = Int(field.dropFirst(prefix.count).dropLast())
        else { return field }
        return "output_shape[\(d + 1)]"
    }
    switch error {
    case let .tooSmall(field, value, minimum):
        return .tooSmall(field: key(field), value: value, minimum: minimum)
    case let .outputSizeNotAccepted(field, value, rule, valid):
        return .outputSizeNotAccepted(
            field: key(field), value: value,
            rule: rule == .pytorchOutputSize ? .tensorflowExplicit : rule, valid: valid)
    case let .invalid(field, reason):
        return .invalid(field: key(field), reason: reason)
    default:
        return error
    }
}

/// Reads typed fields out of a case object, naming the key in every refusal.
private struct FieldReader {
    let fields: [String: JSONValue]

    func string(_ key: String) throws(CaseError) -> String {
        guard let value = fields[key] else { throw .missing(field: key) }
        guard case .string(let text) = value else { throw .wrongType(field: key, expected: "a string") }
        return text
    }

    func optionalString(_ key: String) throws(CaseError) -> String? {
        guard let value = fields[key], value != .null else { return nil }
        guard case .string(let text) = value else { throw .wrongType(field: key, expected: "a string") }
        return text
    }

    static func integer(_ value: JSONValue, field: String) throws(CaseError) -> Int {
        guard case .number(let literal) = value else { throw .wrongType(field: field, expected: "a whole number") }
        if let exact = Int(literal) { return exact }
        if let real = Double(literal), real.isFinite, real == real.rounded(), abs(real) < 9.0e15 { return Int(real) }
        throw .invalid(field: field, reason: "= \(literal) is not a whole number in range")
    }

    func optionalInt(_ key: String) throws(CaseError) -> Int? {
        guard let value = fields[key], value != .null else { return nil }
        return try Self.integer(value, field: key)
    }

    /// A list of `count` whole numbers, or one number meaning "the same for all".
    func optionalInts(_ key: String, count: Int) throws(CaseError) -> [Int]? {
        guard let value = fields[key], value != .null else { return nil }
        if case .number = value { return [Int](repeating: try Self.integer(value, field: key), count: count) }
        guard case .array(let items) = value else { throw .wrongType(field: key, expected: "a list of whole numbers") }
        var result = [Int]()
        for (n, item) in items.enumerated() { result.append(try Self.integer(item, field: "\(key)[\(n)]")) }
        guard result.count == count else {
            throw .invalid(field: key, reason: "has \(result.count) value\(result.count == 1 ? "" : "s") but needs \(count)")
        }
        return result
    }

    /// A tensor: `{"shape": [...], "data": [...]}` with flat row-major data,
    /// or with `data` nested as `tensor.tolist()` writes it, when `shape` may
    /// be left out (it is then read off the nesting).
    /// A flat `data` with no `shape` is a vector (what `tolist()` gives for one axis) when `flatIsVector`.
    func tensor(_ key: String, flatIsVector: Bool = false) throws(CaseError) -> Tensor {
        guard let value = fields[key] else { throw .missing(field: key) }
        guard case .object(let members) = value else { throw .wrongType(field: key, expected: "an object with \"shape\" and \"data\"") }
        var declared: [Int]? = nil
        if let shapeValue = members["shape"] {
            guard case .array(let shapeItems) = shapeValue else { throw .wrongType(field: "\(key).shape", expected: "a list of whole numbers") }
            var shape = [Int]()
            for (n, item) in shapeItems.enumerated() {
                let size = try Self.integer(item, field: "\(key).shape[\(n)]")
                if size < 1 { throw .invalid(field: "\(key).shape[\(n)]", reason: "= \(size) must be at least 1") }
                shape.append(size)
            }
            try Self.requireFitting(shape, key: key)
            declared = shape
        }
        guard let dataValue = members["data"] else { throw .missing(field: "\(key).data") }
        guard case .array(let items) = dataValue else { throw .wrongType(field: "\(key).data", expected: "a list of numbers, flat or nested") }
        let nested = items.contains { if case .array = $0 { return true } else { return false } }
        guard nested else {
            guard let shape = declared ?? (flatIsVector ? [items.count] : nil) else {
                throw .invalid(
                    field: "\(key).shape", reason: "is required when \(key).data is a flat list; give the shape, or nest the data as tensor.tolist() does")
            }
            let count = shape.reduce(1, *)
            guard items.count == count else {
                throw .invalid(field: "\(key).data", reason: "has \(items.count) number\(items.count == 1 ? "" : "s") but shape \(shape) needs \(count)")
            }
            var data = [Double]()
            data.reserveCapacity(count)
            for (n, item) in items.enumerated() { data.append(try Self.number(item, field: "\(key).data[\(n)]")) }
            return Tensor(shape: shape, data: data)
        }
        let shape: [Int]
        if let declared { shape = declared } else { shape = try Self.nestedShape(dataValue, key: key) }
        var data = [Double]()
        data.reserveCapacity(shape.reduce(1, *))
        try Self.flatten(dataValue, path: "\(key).data", axis: 0, shape: shape, declared: declared != nil, into: &data)
        return Tensor(shape: shape, data: data)
    }

    /// Refuses a shape whose number of entries exceeds what a case may hold.
    static func requireFitting(_ shape: [Int], key: String) throws(CaseError) {
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            if overflow || product > 1 << 40 { throw .invalid(field: "\(key).shape", reason: "describes more entries than fit in memory") }
            count = product
        }
    }

    /// The shape of nested data read off its first entries: the length of
    /// `data`, of `data[0]`, of `data[0][0]`, … down to the first number.
    static func nestedShape(_ data: JSONValue, key: String) throws(CaseError) -> [Int] {
        var shape = [Int]()
        var current = data
        var path = "\(key).data"
        while case .array(let items) = current {
            guard let first = items.first else {
                throw .invalid(field: path, reason: "is an empty list; every axis needs at least 1 entry")
            }
            shape.append(items.count)
            current = first
            path += "[0]"
        }
        try requireFitting(shape, key: key)
        return shape
    }

    /// Appends the numbers of nested `value` in row-major order, checking
    /// that the list at `path` has `shape[axis]` entries and nests as deep as `shape`.
    static func flatten(
        _ value: JSONValue, path: String, axis: Int, shape: [Int], declared: Bool,
        into data: inout [Double]
    ) throws(CaseError) {
        let source = declared ? "shape" : "the data's first entries"
        guard axis < shape.count else {
            if case .array = value {
                throw .invalid(
                    field: path,
                    reason:
                        "is a list, but \(source) give\(declared ? "s" : "") the tensor only \(shape.count) ax\(shape.count == 1 ? "is" : "es"); a number belongs here"
                )
            }
            data.append(try number(value, field: path))
            return
        }
        guard case .array(let items) = value else {
            throw .invalid(field: path, reason: "is not a list, but axis \(axis) needs a list of \(shape[axis]) entries (from \(source))")
        }
        guard items.count == shape[axis] else {
            throw .invalid(
                field: path,
                reason:
                    "has \(items.count) entr\(items.count == 1 ? "y" : "ies") along axis \(axis), but \(source) give\(declared ? "s" : "") that axis \(shape[axis])"
            )
        }
        for (n, item) in items.enumerated() {
            try flatten(item, path: "\(path)[\(n)]", axis: axis + 1, shape: shape, declared: declared, into: &data)
        }
    }

    /// A finite number of a tensor's data.
    static func number(_ item: JSONValue, field: String) throws(CaseError) -> Double {
        guard case .number(let literal) = item, let number = Double(literal) else {
            throw .wrongType(field: field, expected: "a number")
        }
        guard number.isFinite else { throw .invalid(field: field, reason: "= \(literal) is too large for Float64") }
        return number
    }

    /// The `padding` key. PyTorch: whole numbers per dimension (one for
    /// all), each entry possibly a `[before, after]` pair (what `F.pad`
    /// before the convolution gives), or `"same"`/`"valid"` for conv.
    /// TensorFlow: `"SAME"`, `"VALID"`, or one `[before, after]` pair for every
    /// input axis as `tf.nn.conv2d` takes it, `[[0, 0], [top, bottom], [left, right], [0, 0]]`,
    /// whose batch and channel pairs must be zero.
    func padding(layout: ConvolutionCase.Layout, op: ConvolutionCase.Operation, rank: Int) throws(CaseError) -> Padding {
        guard let value = fields["padding"], value != .null else {
            return layout == .pytorch ? .symmetric([Int](repeating: 0, count: rank)) : .valid
        }
        switch (layout, value) {
        case (.tensorflow, .string("SAME")): return .same
        case (.tensorflow, .string("VALID")): return .valid
        case (.tensorflow, .array(let pairs)):
            guard pairs.count == rank + 2 else {
                throw .invalid(
                    field: "padding",
                    reason:
                        "has \(pairs.count) pair\(pairs.count == 1 ? "" : "s") but needs \(rank + 2), one [before, after] for every axis of the input [N, spatial…, C]"
                )
            }
            var before = [Int](), after = [Int]()
            for (axis, item) in pairs.enumerated() {
                let (b, a) = try Self.pair(item, field: "padding[\(axis)]")
                if axis == 0 || axis == rank + 1 {
                    guard b == 0 && a == 0 else {
                        throw .invalid(
                            field: "padding[\(axis)]",
                            reason: "= [\(b), \(a)] must be [0, 0]: TensorFlow pads the spatial axes only, not the \(axis == 0 ? "batch" : "channel") axis")
                    }
                } else {
                    before.append(b)
                    after.append(a)
                }
            }
            return .explicit(before: before, after: after)
        case (.tensorflow, _):
            throw .invalid(
                field: "padding", reason: "must be \"SAME\", \"VALID\" or a list of [before, after] pairs, one for every input axis, in the tensorflow layout")
        case (.pytorch, .string(let word)):
            guard word == "same" || word == "valid" else {
                throw .invalid(field: "padding", reason: "= \"\(word)\" must be \"same\", \"valid\" or a list of whole numbers or [before, after] pairs")
            }
            guard op == .conv else {
                throw .invalid(field: "padding", reason: "= \"\(word)\" is accepted by PyTorch for conv only; give numbers for \(op.rawValue)")
            }
            return word == "same" ? .same : .valid
        case (.pytorch, .number):
            let amount = try Self.integer(value, field: "padding")
            if amount < 0 { throw .invalid(field: "padding", reason: "= \(amount) must be at least 0") }
            return .symmetric([Int](repeating: amount, count: rank))
        case (.pytorch, .array(let items)):
            guard items.count == rank else {
                throw .invalid(
                    field: "padding",
                    reason:
                        "has \(items.count) value\(items.count == 1 ? "" : "s") but needs \(rank), one whole number or [before, after] pair per spatial dimension"
                )
            }
            var before = [Int](), after = [Int]()
            for (d, item) in items.enumerated() {
                if case .array = item {
                    let (b, a) = try Self.pair(item, field: "padding[\(d)]")
                    before.append(b)
                    after.append(a)
                } else {
                    let amount = try Self.integer(item, field: "padding[\(d)]")
                    if amount < 0 { throw .invalid(field: "padding[\(d)]", reason: "= \(amount) must be at least 0") }
                    before.append(amount)
                    after.append(amount)
                }
            }
            return before == after ? .symmetric(before) : .explicit(before: before, after: after)
        case (.pytorch, _):
            throw .wrongType(field: "padding", expected: "a list of whole numbers or [before, after] pairs, or \"same\" or \"valid\"")
        }
    }

    /// The `padding_mode` key: PyTorch's `"zeros"` (the default), `"reflect"`,
    /// `"replicate"` or `"circular"` for `conv` and `conv_input_grad`;
    /// `conv_transpose` (PyTorch's ConvTranspose) and the tensorflow layout take only `"zeros"`.
    func paddingMode(layout: ConvolutionCase.Layout, op: ConvolutionCase.Operation) throws(CaseError) -> PaddingMode {
        guard let name = try optionalString("padding_mode") else { return .zeros }
        guard let mode = PaddingMode(rawValue: name) else {
            throw .invalid(field: "padding_mode", reason: "= \"\(name)\" must be \"zeros\", \"reflect\", \"replicate\" or \"circular\"")
        }
        if mode != .zeros && layout == .tensorflow {
            throw .invalid(
                field: "padding_mode",
                reason: "= \"\(name)\" is a PyTorch setting; the tensorflow layout takes only \"zeros\" (pad with tf.pad before the conv)")
        }
        if mode != .zeros && op == .convTranspose {
            throw .invalid(
                field: "padding_mode",
                reason:
                    "= \"\(name)\" is refused for conv_transpose, as PyTorch's ConvTranspose takes only \"zeros\"; the gradient of a \(name)-padded conv is op conv_input_grad"
            )
        }
        return mode
    }

    /// A `[before, after]` pair of whole numbers, each at least 0.
    static func pair(_ value: JSONValue, field: String) throws(CaseError) -> (Int, Int) {
        guard case .array(let items) = value, items.count == 2 else {
            throw .wrongType(field: field, expected: "a [before, after] pair of whole numbers")
        }
        let before = try integer(items[0], field: "\(field)[0]")
        let after = try integer(items[1], field: "\(field)[1]")
        for (n, amount) in [before, after].enumerated() where amount < 0 {
            throw .invalid(field: "\(field)[\(n)]", reason: "= \(amount) must be at least 0")
        }
        return (before, after)
    }
}
