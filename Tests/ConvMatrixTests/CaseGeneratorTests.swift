import Testing
import ConvMatrix
import ConvMatrixTestSupport

/// `CaseGenerator` (`convmat cases`): reproducible documents whose `"expected"`
/// agrees with an independent route — the direct loop for `conv`, the
/// scatter-and-add loop for `conv_transpose` and `conv_input_grad`, sample by
/// sample, neither of which builds C — within the settings' limits, and
/// covering what the case-format specification promises.
@Suite struct CaseGeneratorTests {
    /// Cases drawn per layout.
    static let cases = 300

    /// One generated document, read back.
    struct Generated {
        let text: String
        let parsed: ConvolutionCase
        let members: [String: JSONValue]
        let expected: Tensor
        /// `"expected.tolerance"`, flat like `data`; nil for a case that must agree exactly.
        let tolerance: [Double]?
    }

    static func generated(_ generator: CaseGenerator, seed: UInt64, index: Int) throws -> Generated {
        let text = try generator.document(seed: seed, index: index)
        guard case .object(let members) = try JSONValue(parsing: text),
            case .object(let expected)? = members["expected"],
            case .array(let shapeItems)? = expected["shape"], case .array(let dataItems)? = expected["data"]
        else {
            throw CaseGeneratorTestError(description: "no expected tensor in \(text)")
        }
        let shape = shapeItems.compactMap { item -> Int? in if case .number(let n) = item { return Int(n) } else { return nil } }
        let data = dataItems.compactMap { item -> Double? in if case .number(let n) = item { return Double(n) } else { return nil } }
        var tolerance: [Double]?
        if case .array(let items)? = expected["tolerance"] {
            tolerance = items.compactMap { item -> Double? in if case .number(let n) = item { return Double(n) } else { return nil } }
        }
        return Generated(
            text: text, parsed: try ConvolutionCase(json: text), members: members, expected: Tensor(shape: shape, data: data), tolerance: tolerance)
    }

    /// The same seed and index give the same bytes; case i does not depend on how many are drawn.
    @Test func reproducible() throws {
        let generator = CaseGenerator()
        for index in [0, 1, 17] {
            #expect(try generator.document(seed: 5, index: index) == generator.document(seed: 5, index: index))
        }
        #expect(try generator.document(seed: 5, index: 0) != generator.document(seed: 6, index: 0))
        #expect(try generator.document(seed: 5, index: 0) != generator.document(seed: 5, index: 1))
    }

    /// The answer of a case by the independent loops — the direct loop for `conv`, the scatter loop
    /// for the transposed operations, the direct loop of the weight gradient — sample by sample,
    /// with every number of the case first passed through `rounded` (the identity, or a rounding to
    /// Float32), in the case's layout.
    static func reference(_ case_: Generated, rounded: (Double) -> Double = { $0 }) throws -> Tensor {
        let c = case_.parsed
        let layout = c.layout
        let kernel = try Kernel(c.kernel.values.map(rounded), geometry: c.geometry)
        if c.operation == .convWeightGrad, let g = c.gradOutput {
            var sum = [Double](repeating: 0, count: c.geometry.weightCount)
            for sample in 0..<c.batchSize {
                let part = directWeightGradient(
                    c.operand.column(sample).map(rounded), gradient: g.column(sample).map(rounded), geometry: c.geometry)
                for e in sum.indices { sum[e] += part[e] }
            }
            let reference = Tensor(shape: c.geometry.weightShape, data: sum)
            return layout == .tensorflow ? reference.permuted(Array(2..<(c.geometry.spatialRank + 2)) + [1, 0]) : reference
        }
        var values = [Double]()
        for sample in 0..<c.batchSize {
            let column = c.operand.column(sample).map(rounded)
            values += c.operation == .conv ? directConvolution(column, kernel: kernel) : scatterTransposedConvolution(column, kernel: kernel)
        }
        let g = c.geometry
        let spatial = c.operation == .conv ? g.outputSize : g.inputSize
        let channels = c.operation == .conv ? g.outChannels : g.inChannels
        // The bias as the document writes it, added here position by position.
        if case .object(let bias)? = case_.members["bias"], case .array(let items)? = bias["data"] {
            let b = items.compactMap { item -> Double? in if case .number(let n) = item { return Double(n).map(rounded) } else { return nil } }
            #expect(b.count == channels)
            let positions = spatial.reduce(1, *)
            for i in values.indices { values[i] += b[(i / positions) % channels] }
        }
        let reference = Tensor(shape: [c.batchSize, channels] + spatial, data: values)
        return layout == .tensorflow ? reference.permuted([0] + Array(2..<(spatial.count + 2)) + [1]) : reference
    }

    /// Every expected output agrees with the independent loops, in both layouts: bit for bit where
    /// the data are multiples of 1/4 (every sum exact, no `tolerance`), and within `tolerance` element
    /// by element where they are reals — the loops sum in another order than CHOLMOD, so the bound is
    /// held against a correct Float64 implementation that is not ConvMatrix.
    @Test(arguments: [ConvolutionCase.Layout.pytorch, .tensorflow])
    func expectedAgreesWithTheDirectLoops(_ layout: ConvolutionCase.Layout) throws {
        var generator = CaseGenerator()
        generator.layout = layout
        var real = 0
        for index in 0..<Self.cases {
            let case_ = try Self.generated(generator, seed: 11, index: index)
            let reference = try Self.reference(case_)
            guard let tolerance = case_.tolerance else {
                #expect(reference == case_.expected, "case \(index): \(case_.text)")
                continue
            }
            real += 1
            #expect(reference.shape == case_.expected.shape && tolerance.count == case_.expected.data.count, "case \(index)")
            let outside = zip(zip(reference.data, case_.expected.data), tolerance).filter { abs($0.0 - $0.1) > $1 }
            #expect(outside.isEmpty, "case \(index): \(outside.count) elements outside the tolerance: \(case_.text)")
        }
        #expect(real > Self.cases / 3, "only \(real) of \(Self.cases) cases hold real data")
    }

    /// The tolerance is tight enough to matter: for every real-valued case that has a product, the
    /// same loops on the case's numbers rounded to Float32 leave it in at least one element, as an
    /// implementation that reads the data as Float32 would.
    @Test(arguments: [ConvolutionCase.Layout.pytorch, .tensorflow])
    func float32DataLeaveTheTolerance(_ layout: ConvolutionCase.Layout) throws {
        var generator = CaseGenerator()
        generator.layout = layout
        generator.data = .real
        for index in 0..<100 {
            let case_ = try Self.generated(generator, seed: 12, index: index)
            let tolerance = try #require(case_.tolerance, "case \(index) has no tolerance")
            guard tolerance.contains(where: { $0 > 0 }) else { continue }
            let rounded = try Self.reference(case_) { Double(Float($0)) }
            let outside = zip(zip(rounded.data, case_.expected.data), tolerance).filter { abs($0.0 - $0.1) > $1 }
            #expect(!outside.isEmpty, "case \(index): Float32 data stay within the tolerance: \(case_.text)")
        }
    }

    /// The drawn cases cover what the specification lists: every operation and rank, stride and
    /// dilation above 1 (dilation above the stride too), asymmetric padding, same/valid, groups,
    /// output_padding (also at or past the stride), batches and channel counts above 1; and they
    /// stay within the limits.
    @Test func coverageAndLimits() throws {
        var seen = Set<String>()
        var pytorchSame = 0
        var operationCounts = [ConvolutionCase.Operation: Int]()
        for layout in [ConvolutionCase.Layout.pytorch, .tensorflow] {
            var generator = CaseGenerator()
            generator.layout = layout
            for index in 0..<Self.cases {
                let case_ = try Self.generated(generator, seed: 3, index: index)
                let g = case_.parsed.geometry
                seen.insert("\(layout) \(case_.parsed.operation.rawValue)")
                seen.insert("rank \(g.spatialRank)")
                if g.stride.contains(where: { $0 > 1 }) { seen.insert("stride") }
                if zip(g.dilation, g.stride).contains(where: { $0 > $1 }) { seen.insert("dilation above stride") }
                if g.paddingBefore != g.paddingAfter { seen.insert("\(layout) asymmetric padding") }
                if case .string(let rule)? = case_.members["padding"] { seen.insert("\(layout) \(rule)") }
                if case .array(let pairs)? = case_.members["padding"], layout == .tensorflow, pairs.count == g.spatialRank + 2 {
                    seen.insert("tensorflow explicit list")
                }
                if g.groups > 1 { seen.insert("groups") }
                if case .array(let extra)? = case_.members["output_padding"] {
                    seen.insert("output_padding")
                    let amounts = extra.compactMap { item -> Int? in if case .number(let n) = item { return Int(n) } else { return nil } }
                    if zip(amounts, g.stride).contains(where: { $0 >= $1 }) { seen.insert("output_padding past the stride") }
                }
                if case_.parsed.batchSize > 1 { seen.insert("batch") }
                if g.groups > 1 && g.inChannelsPerGroup >= 2 { seen.insert("groups with 2 or more channels per group") }
                if g.outputSize.contains(where: { $0 > 8 }) || g.inputSize.contains(where: { $0 > 8 }) && case_.parsed.operation != .conv {
                    seen.insert("\(layout) an output wider than 8")
                }
                seen.insert(case_.tolerance == nil ? "\(layout) dyadic" : "\(layout) real with tolerance")
                if case .string("same")? = case_.members["padding"] { pytorchSame += 1 }
                operationCounts[case_.parsed.operation, default: 0] += 1
                seen.insert("\(layout) padding_mode \(g.paddingMode.rawValue)")
                let positions = generator.maxSize * generator.maxSize
                #expect([g.inputSize, g.outputSize].allSatisfy { $0.reduce(1, *) <= positions })
                if case_.members["bias"] != nil { seen.insert("\(layout) \(case_.parsed.operation.rawValue) bias") }
                #expect(case_.members["bias"] == nil || case_.parsed.operation != .convInputGrad)
                if g.inChannels > 1 && g.outChannels > 1 { seen.insert("channels") }
                #expect((g.inputSize + g.outputSize).allSatisfy { $0 <= generator.maxSize })
                #expect(max(g.inChannels, g.outChannels) <= generator.maxChannels)
                #expect(g.nonzeroCount * case_.parsed.batchSize <= generator.maxWork)
            }
        }
        let wanted: Set = [
            "pytorch conv", "pytorch conv_transpose", "pytorch conv_input_grad",
            "tensorflow conv", "tensorflow conv_transpose", "tensorflow conv_input_grad",
            "pytorch conv_weight_grad", "tensorflow conv_weight_grad",
            "rank 1", "rank 2", "rank 3", "stride", "dilation above stride",
            "pytorch asymmetric padding", "tensorflow asymmetric padding", "tensorflow explicit list",
            "pytorch same", "pytorch valid", "tensorflow SAME", "tensorflow VALID",
            "groups", "output_padding", "output_padding past the stride", "batch", "channels",
            "pytorch conv bias", "pytorch conv_transpose bias", "tensorflow conv bias", "tensorflow conv_transpose bias",
            "groups with 2 or more channels per group", "pytorch an output wider than 8", "tensorflow an output wider than 8",
            "pytorch dyadic", "pytorch real with tolerance", "tensorflow dyadic", "tensorflow real with tolerance",
            "pytorch padding_mode zeros", "pytorch padding_mode reflect", "pytorch padding_mode replicate", "pytorch padding_mode circular",
        ]
        #expect(wanted.subtracting(seen).isEmpty, "never drawn: \(wanted.subtracting(seen).sorted())")
        // PyTorch's "same" in at least 5 % of a pytorch set (about 10 % are drawn).
        #expect(pytorchSame >= Self.cases / 20, "pytorch \"same\" in \(pytorchSame) of \(Self.cases) cases")
        // Each operation is drawn first, evenly: a quarter of the 600 cases each, give or take 5 standard deviations (53).
        for operation in ConvolutionCase.Operation.allCases {
            #expect(abs((operationCounts[operation] ?? 0) - 150) <= 53, "\(operation.rawValue): \(operationCounts[operation] ?? 0) of 600")
        }
    }

    /// Settings that cannot give a case are refused by name.
    @Test func refusals() {
        func message(_ change: (inout CaseGenerator) -> Void) -> String {
            var generator = CaseGenerator()
            change(&generator)
            do { _ = try generator.document(seed: 1, index: 0); return "accepted" } catch { return error.description }
        }
        #expect(message { $0.ranks = [0] } == "dims has 0; spatial ranks 1 … 6 can be drawn")
        #expect(message { $0.operations = [] } == "op names no operation")
        #expect(message { $0.maxSize = 0 } == "max_size = 0 must be between 1 and 64")
        #expect(message { $0.maxChannels = 17 } == "max_channels = 17 must be between 1 and 16")
        #expect(message { $0.maxWork = 0 } == "max_work = 0 must be at least 1")
        #expect(message { $0.maxStride = 0 } == "max_stride = 0 must be between 1 and 8")
        #expect(message { $0.maxDilation = 9 } == "max_dilation = 9 must be between 1 and 8")
        #expect(message { $0.maxBatch = 0 } == "batch = 0 must be between 1 and 16")
        #expect(message { $0.paddingForms = [] } == "paddings names no padding form")
        #expect(
            message { $0.paddingForms = [.same, .valid] }
                == "paddings names only same or valid, which PyTorch takes for conv alone; conv_transpose needs symmetric or asymmetric padding")
        #expect(
            message {
                $0.layout = .tensorflow
                $0.paddingForms = [.asymmetric]
            } == "paddings names only explicit padding, which TensorFlow takes in 2-D alone (tf.nn.conv2d); add same or valid, or draw --dims 2")
        // Narrowed settings that work: PyTorch's same and valid for conv alone; explicit TensorFlow padding in 2-D.
        #expect(
            message {
                $0.operations = [.conv]
                $0.paddingForms = [.same]
            } == "accepted")
        #expect(
            message {
                $0.layout = .tensorflow
                $0.ranks = [2]
                $0.paddingForms = [.asymmetric]
            } == "accepted")
    }
}

struct CaseGeneratorTestError: Error, CustomStringConvertible {
    let description: String
}
