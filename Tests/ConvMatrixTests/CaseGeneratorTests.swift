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
        return Generated(text: text, parsed: try ConvolutionCase(json: text), members: members, expected: Tensor(shape: shape, data: data))
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

    /// Every expected output equals the independent loops bit for bit (the data are multiples of
    /// 1/4, so every sum is exact), in both layouts.
    @Test(arguments: [ConvolutionCase.Layout.pytorch, .tensorflow])
    func expectedAgreesWithTheDirectLoops(_ layout: ConvolutionCase.Layout) throws {
        var generator = CaseGenerator()
        generator.layout = layout
        for index in 0..<Self.cases {
            let case_ = try Self.generated(generator, seed: 11, index: index)
            let c = case_.parsed
            if c.operation == .convWeightGrad, let g = c.gradOutput {
                var sum = [Double](repeating: 0, count: c.geometry.weightCount)
                for sample in 0..<c.batchSize {
                    let part = directWeightGradient(c.operand.column(sample), gradient: g.column(sample), geometry: c.geometry)
                    for e in sum.indices { sum[e] += part[e] }
                }
                var reference = Tensor(shape: c.geometry.weightShape, data: sum)
                if layout == .tensorflow { reference = reference.permuted(Array(2..<(c.geometry.spatialRank + 2)) + [1, 0]) }
                #expect(reference == case_.expected, "case \(index): \(case_.text)")
                continue
            }
            var values = [Double]()
            for sample in 0..<c.batchSize {
                let column = c.operand.column(sample)
                values += c.operation == .conv ? directConvolution(column, kernel: c.kernel) : scatterTransposedConvolution(column, kernel: c.kernel)
            }
            let g = c.geometry
            let spatial = c.operation == .conv ? g.outputSize : g.inputSize
            let channels = c.operation == .conv ? g.outChannels : g.inChannels
            // The bias as the document writes it, added here position by position.
            if case .object(let bias)? = case_.members["bias"], case .array(let items)? = bias["data"] {
                let b = items.compactMap { item -> Double? in if case .number(let n) = item { return Double(n) } else { return nil } }
                #expect(b.count == channels)
                let positions = spatial.reduce(1, *)
                for i in values.indices { values[i] += b[(i / positions) % channels] }
            }
            var reference = Tensor(shape: [c.batchSize, channels] + spatial, data: values)
            if layout == .tensorflow { reference = reference.permuted([0] + Array(2..<(spatial.count + 2)) + [1]) }
            #expect(reference == case_.expected, "case \(index): \(case_.text)")
        }
    }

    /// The drawn cases cover what the specification lists: every operation and rank, stride and
    /// dilation above 1 (dilation above the stride too), asymmetric padding, same/valid, groups,
    /// output_padding (also at or past the stride), batches and channel counts above 1; and they
    /// stay within the limits.
    @Test func coverageAndLimits() throws {
        var seen = Set<String>()
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
        ]
        #expect(wanted.subtracting(seen).isEmpty, "never drawn: \(wanted.subtracting(seen).sorted())")
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
    }
}

struct CaseGeneratorTestError: Error, CustomStringConvertible {
    let description: String
}
