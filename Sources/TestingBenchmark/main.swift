import PropertyBased
import ConvMatrix
import ConvMatrixTesting

// `swift run -c release testing-bench [N]`: how long N generated cases take through the
// oracle of ConvMatrixTesting and through `convmat cases`' generator, each against the
// direct loops (direct convolution, scatter transposed convolution) on the same cases,
// timed in the same process, the way `convmat bench` sets C against the loops.

let count = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 10_000
let clock = ContinuousClock()

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = clock.now
    try body()
    let elapsed = start.duration(to: clock.now)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

/// The direct loops on every sample of a case, in PyTorch order: the baseline.
func directLoops(_ computation: ConvolutionCase) -> [Double] {
    var values = [Double]()
    for sample in 0..<computation.batchSize {
        let column = computation.operand.column(sample)
        values +=
            computation.operation == .conv
            ? directConvolution(column, kernel: computation.kernel)
            : scatterTransposedConvolution(column, kernel: computation.kernel)
    }
    return values
}

/// The direct loops' result in the case's layout: what a user's implementation hands to the oracle.
func implementation(_ testCase: ConvolutionTestCase) -> [Double] {
    let values = directLoops(testCase.convolutionCase)
    guard testCase.layout == .tensorflow else { return values }
    let c = testCase.convolution
    let spatial = testCase.operation == .conv ? c.outputSize : c.inputSize
    let channels = testCase.operation == .conv ? c.outChannels : c.inChannels
    return Tensor(shape: [testCase.batchSize, channels] + spatial, data: values)
        .permuted([0] + Array(2..<(spatial.count + 2)) + [1]).data
}

func line(_ name: String, _ time: Double, _ baseline: Double) -> String {
    let ms = (time * 1e4).rounded() / 10
    let ratio = (time / baseline * 10).rounded() / 10
    return name.padding(toLength: 40, withPad: " ", startingAt: 0) + "\(ms) ms".padding(toLength: 12, withPad: " ", startingAt: 0)
        + "× \(ratio) of the direct loops"
}

// 1. The oracle: N cases of ConvolutionGenerators (1-D to 3-D, every operation in both layouts,
//    at most 4 096 multiply-adds each), each checked by compare(), the direct loops being the
//    implementation; once with the default limits, once with larger sizes, channels and batches.
/// Prints the measurements for cases within `limits` and returns how many cases the oracle failed.
func measureOracle(_ name: String, _ limits: ConvolutionLimits) throws -> Int {
    var failures = 0
    var random = Xoshiro(seed: (1, 2, 3, 4))
    let generators = ConvolutionCase.Operation.allCases.flatMap { operation in
        [ConvolutionCase.Layout.pytorch, .tensorflow].map { ConvolutionGenerators.cases(operation, layout: $0, limits: limits) }
    }
    var cases = [ConvolutionTestCase]()
    cases.reserveCapacity(count)
    let generating = seconds {
        for n in 0..<count { cases.append(generators[n % generators.count].run(using: &random)) }
    }
    var outputs = [[Double]]()
    outputs.reserveCapacity(count)
    let loops = seconds { for testCase in cases { outputs.append(implementation(testCase)) } }
    var work = 0
    let checking = try seconds {
        for (testCase, output) in zip(cases, outputs) where try !testCase.compare(output).passed { failures += 1 }
    }
    for testCase in cases { work += testCase.convolution.nonzeroCount * testCase.batchSize }
    print("oracle, \(name): \(count) cases, 1-D to 3-D, every operation in both layouts, ≤ \(limits.maxWork) multiply-adds each (\(work / count) on average)")
    print(line("direct loops (baseline)", loops, loops))
    print(line("generating the cases", generating, loops))
    print(line("checking them through C (compare)", checking, loops))
    print(line("generating and checking", generating + checking, loops))
    print("")
    return failures
}
let failures =
    try measureOracle("default limits", ConvolutionLimits())
    + measureOracle("size 1…16, 1…4 channels per group, batch 1…4", ConvolutionLimits(size: 1...16, channelsPerGroup: 1...4, batch: 1...4))
print("disagreements: \(failures)")

// 2. `convmat cases`: N documents of CaseGenerator with its default settings, as the command writes them
//    (without the disk), against the direct loops on the same cases.
let generator = CaseGenerator()
var documents = [String]()
documents.reserveCapacity(count)
let writing = try seconds {
    for index in 0..<count { documents.append(try generator.document(seed: 1, index: index)) }
}
let parsed = try documents.map { try ConvolutionCase(json: $0) }
let caseLoops = seconds { for computation in parsed { _ = directLoops(computation) } }
var caseWork = 0
for computation in parsed { caseWork += computation.geometry.nonzeroCount * computation.batchSize }
print("")
print("convmat cases: \(count) documents of CaseGenerator's defaults (\(caseWork / count) multiply-adds on average)")
print(line("direct loops (baseline)", caseLoops, caseLoops))
print(line("drawing, computing and writing the JSON", writing, caseLoops))
if failures > 0 { fatalError("the oracle disagreed with the direct loops on \(failures) cases") }
