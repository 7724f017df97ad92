import Synchronization
import Testing
import PropertyBased
import ConvMatrixTesting
import SmallConvolutions

/// The 2-D convolutions of `supported`, now with a bias on some of them (conv2dWithBiasAgreesWithC
/// checks the bias added; these tests check that leaving it out, or flipping the weight gradient's
/// taps, is caught).
let supportedWithBias = ConvolutionLimits(ranks: 2...2, dilation: 1...1, paddingModes: [.zeros], groups: 1...1, bias: true)

/// The padding of a case as `Padding2D`.
func padding2D(_ testCase: ConvolutionTestCase) -> Padding2D {
    Padding2D(top: testCase.paddingBefore[0], bottom: testCase.paddingAfter[0], left: testCase.paddingBefore[1], right: testCase.paddingAfter[1])
}

/// A bias forgotten is caught: conv2d alone fails the first case that has a bias.
@Test func aForgottenBiasIsCaught() async {
    let caught = Mutex(false)
    await withKnownIssue {
        await propertyCheck(count: 300, input: ConvolutionGenerators.cases(.conv, limits: supportedWithBias)) { testCase in
            let output = conv2d(
                testCase.input.data, shape: testCase.input.shape, weight: testCase.weight.data, weightShape: testCase.weight.shape,
                stride: (testCase.stride[0], testCase.stride[1]), padding: padding2D(testCase))
            if !testCase.verify(output.values, shape: output.shape) { caught.withLock { $0 = true } }
        }
    }
    #expect(caught.withLock { $0 }, "a convolution without its bias passed")
}

/// The planted flip in the weight gradient is found, and shrinking leaves a case whose kernel has
/// two taps (the fewest for which reading them in reverse matters) and one channel each way.
@Test func thePlantedFlipInTheWeightGradientIsFoundAndShrunk() async {
    let failing = Mutex<ConvolutionTestCase?>(nil)
    await withKnownIssue {
        await propertyCheck(count: 300, input: ConvolutionGenerators.cases(.convWeightGrad, limits: supported)) { testCase in
            let gradient = conv2dWeightGradientWithFlipBug(
                testCase.input.data, shape: testCase.input.shape, gradient: testCase.gradOutput?.data ?? [], weightShape: testCase.outputShape,
                stride: (testCase.stride[0], testCase.stride[1]), padding: padding2D(testCase))
            if !testCase.verify(gradient, shape: testCase.outputShape) { failing.withLock { $0 = testCase } }
        }
    }
    let shrunk: ConvolutionTestCase? = failing.withLock { $0 }
    guard let shrunk else {
        Issue.record("the planted flip was not found")
        return
    }
    print("the planted flip in the weight gradient shrank to: \(shrunk)")
    let c = shrunk.convolution
    #expect(c.kernelSize.reduce(1, *) == 2, "\(shrunk)")
    #expect(c.inChannels == 1 && c.outChannels == 1, "\(shrunk)")
}
