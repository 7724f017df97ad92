import Synchronization
import Testing
import PropertyBased
import ConvMatrix
import ConvMatrixTesting
import ConvMatrixTestSupport

/// `ConvolutionGenerators`: every drawn case exists, stays within its limits,
/// can be written as a case file, and together the cases cover what the
/// issue asks for; narrowed limits are obeyed; drawing is reproducible.
@Suite struct ConvolutionGeneratorsTests {
    static let operations = ConvolutionCase.Operation.allCases
    static let layouts = [ConvolutionCase.Layout.pytorch, .tensorflow]

    /// Every case of every operation and layout is within the default limits and its
    /// case document reads back to the same C and operand (so every case can be replayed).
    @Test(arguments: operations, layouts)
    func casesStayWithinTheirLimitsAndReadBack(_ operation: ConvolutionCase.Operation, _ layout: ConvolutionCase.Layout) async {
        let limits = ConvolutionLimits()
        await seededPropertyCheck(count: 300, input: ConvolutionGenerators.cases(operation, layout: layout, limits: limits)) { testCase in
            let c = testCase.convolution
            #expect(testCase.operation == operation && testCase.layout == layout)
            #expect(limits.ranks.contains(c.spatialRank))
            let padded = (0..<c.spatialRank).map { c.paddingBefore[$0] + c.inputSize[$0] + c.paddingAfter[$0] }
            #expect((c.inputSize + c.outputSize + padded).allSatisfy { limits.size.contains($0) })
            #expect(c.nonzeroCount * testCase.batchSize <= limits.maxWork)
            #expect(layout == .pytorch || c.groups == 1)
            let read = try ConvolutionCase(json: testCase.document)
            #expect(read.geometry.inputSize == c.inputSize && read.geometry.outputSize == c.outputSize)
            #expect(read.geometry.paddingBefore == c.paddingBefore && read.geometry.paddingAfter == c.paddingAfter)
            #expect(read.kernel.values == testCase.kernel.values)
            #expect(read.operand == testCase.convolutionCase.operand)
            #expect(read.gradOutput == testCase.convolutionCase.gradOutput)
            #expect((read.gradOutput != nil) == (operation == .convWeightGrad))
            #expect(read.operation == operation && read.layout == layout)
        }
    }

    /// Across the operations and layouts the defaults draw every rank, stride and dilation above 1,
    /// dilation above the stride, each padding form (asymmetric amounts included), groups, several
    /// channels, batches, output_padding (also at or past the stride), and every kind of values.
    @Test func defaultsCoverEverything() async {
        let seen = Mutex(Set<String>())
        for operation in Self.operations {
            for layout in Self.layouts {
                await seededPropertyCheck(count: 400, input: ConvolutionGenerators.cases(operation, layout: layout)) { testCase in
                    let c = testCase.convolution
                    var found: Set = ["\(layout) \(operation.rawValue)", "rank \(c.spatialRank)"]
                    if c.stride.contains(where: { $0 > 1 }) { found.insert("stride") }
                    if c.dilation.contains(where: { $0 > 1 }) { found.insert("dilation") }
                    if zip(c.dilation, c.stride).contains(where: { $0 > $1 }) { found.insert("dilation above stride") }
                    if c.paddingBefore != c.paddingAfter { found.insert("asymmetric padding") }
                    if c.padding == .same { found.insert("same") }
                    if c.padding == .valid { found.insert("valid") }
                    if c.groups > 1 { found.insert("groups") }
                    if c.inChannels > 1 && c.outChannels > 1 { found.insert("channels") }
                    if testCase.batchSize > 1 { found.insert("batch") }
                    if testCase.outputPadding.contains(where: { $0 > 0 }) { found.insert("\(operation.rawValue) output_padding") }
                    if zip(testCase.outputPadding, c.stride).contains(where: { $0 >= $1 }) { found.insert("output_padding past the stride") }
                    let values = testCase.kernel.values + testCase.convolutionCase.operand.values
                    if values.allSatisfy({ $0 == 1 }) { found.insert("ones") }
                    if values.contains(where: { $0 != $0.rounded() && ($0 * 4) != ($0 * 4).rounded() }) { found.insert("reals") }
                    seen.withLock { $0.formUnion(found) }
                }
            }
        }
        var wanted: Set = [
            "rank 1", "rank 2", "rank 3", "stride", "dilation", "dilation above stride", "asymmetric padding", "same", "valid",
            "groups", "channels", "batch", "conv_transpose output_padding", "output_padding past the stride", "ones", "reals",
        ]
        for operation in Self.operations { for layout in Self.layouts { wanted.insert("\(layout) \(operation.rawValue)") } }
        let missing = wanted.subtracting(seen.withLock { $0 })
        #expect(missing.isEmpty, "never drawn: \(missing.sorted())")
    }

    /// "2-D only, groups 1, no dilation, symmetric padding, one sample": nothing else is drawn.
    @Test func narrowedLimitsAreObeyed() async {
        let limits = ConvolutionLimits(
            ranks: 2...2, size: 3...6, kernel: 2...3, stride: 1...2, dilation: 1...1,
            padding: 0...1, paddingForms: [.symmetric], groups: 1...1, channelsPerGroup: 1...1,
            batch: 1...1, outputPadding: false, values: .integers, maxWork: 500)
        for operation in Self.operations {
            await seededPropertyCheck(count: 200, input: ConvolutionGenerators.cases(operation, limits: limits)) { testCase in
                let c = testCase.convolution
                #expect(c.spatialRank == 2 && c.dilation == [1, 1] && c.groups == 1)
                #expect(c.inChannels == 1 && c.outChannels == 1 && testCase.batchSize == 1)
                #expect(c.kernelSize.allSatisfy { (2...3).contains($0) } && c.stride.allSatisfy { (1...2).contains($0) })
                #expect(c.paddingBefore == c.paddingAfter && c.paddingBefore.allSatisfy { $0 <= 1 })
                #expect((c.inputSize + c.outputSize).allSatisfy { (3...6).contains($0) })
                #expect(operation == .conv || testCase.outputPadding.allSatisfy { $0 == 0 } || operation == .convInputGrad)
                #expect((testCase.kernel.values + testCase.convolutionCase.operand.values).allSatisfy { $0 == $0.rounded() && abs($0) <= 4 })
                #expect(c.nonzeroCount <= 500)
            }
        }
    }

    /// The operators generator gives the operation asked for; kernels and values generators fit their sizes.
    @Test func operatorsKernelsAndValues() async throws {
        await seededPropertyCheck(count: 100, input: ConvolutionGenerators.operators(.conv), ConvolutionGenerators.operators(.convTranspose)) {
            forward, transposed in
            #expect(!forward.isTransposed && transposed.isTransposed)
        }
        let geometry = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3], inChannels: 2, outChannels: 4, groups: 2)
        await seededPropertyCheck(
            count: 50, input: ConvolutionGenerators.kernels(for: geometry, values: .quarters),
            ConvolutionGenerators.values(count: 7)
        ) { kernel, values in
            #expect(kernel.values.count == 4 * 1 * 9 && kernel.values.allSatisfy { ($0 * 4) == ($0 * 4).rounded() })
            #expect(values.count == 7)
            // Ones, whole numbers −4…4, quarters −2…2 or reals in [−1, 1), one kind per draw.
            let kinds: [([Double]) -> Bool] = [
                { $0.allSatisfy { $0 == 1 } }, { $0.allSatisfy { $0 == $0.rounded() && abs($0) <= 4 } },
                { $0.allSatisfy { $0 * 4 == ($0 * 4).rounded() && abs($0) <= 2 } }, { $0.allSatisfy { (-1..<1).contains($0) } },
            ]
            #expect(kinds.contains { $0(values) })
        }
    }

    /// The same random state draws the same case (propertyCheck's `.fixedSeed` replays rely on it).
    @Test func reproducible() {
        let generator = ConvolutionGenerators.cases(.convTranspose, layout: .tensorflow)
        var first = Xoshiro(seed: (1, 2, 3, 4)), second = Xoshiro(seed: (1, 2, 3, 4))
        for _ in 0..<20 {
            let a = generator.run(using: &first), b = generator.run(using: &second)
            #expect(a.document == b.document)
        }
    }
}
