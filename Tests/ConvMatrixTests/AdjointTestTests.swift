import Testing
import ConvMatrix
import ConvMatrixTesting
import ConvMatrixTestSupport

/// The generic dot test: a hand-worked 2×2 example, the direct and scatter loops as
/// a convolution and its transpose (they pass, with |A| found by probing or given),
/// and pairs that are not transposes of each other (they fail).
@Suite struct AdjointTestTests {
    /// A = [[1, 2], [3, −4]], x = [1, −1], y = [2, 1]: Ax = [−1, 7], ⟨Ax, y⟩ = 5;
    /// Aᵀy = [5, 0], ⟨x, Aᵀy⟩ = 5; Σ|yᵢ||Aᵢⱼ||xⱼ| = 2·(1 + 2) + 1·(3 + 4) = 13,
    /// K = max(2 + 2, 2 + 2) = 4, so the bound is 2γ₄·13·(1 + 4γ₄).
    @Test func handWorkedExample() throws {
        func a(_ v: [Double]) -> [Double] { [v[0] + 2 * v[1], 3 * v[0] - 4 * v[1]] }
        func at(_ v: [Double]) -> [Double] { [v[0] + 3 * v[1], 2 * v[0] - 4 * v[1]] }
        let probed = try AdjointTest(inputCount: 2, outputCount: 2, x: [1, -1], y: [2, 1], forward: a, transpose: at)
        #expect(probed.forwardProduct == 5 && probed.transposeProduct == 5 && probed.passed)
        let gamma4 = 4 * 0x1p-53 / (1 - 4 * 0x1p-53)
        #expect(probed.bound == 2 * gamma4 * 13 * (1 + 4 * gamma4))
        let given = try AdjointTest(
            inputCount: 2, outputCount: 2, x: [1, -1], y: [2, 1], forward: a, transpose: at,
            magnitudes: { v in [v[0] + 2 * v[1], 3 * v[0] + 4 * v[1]] })
        #expect(given.bound == probed.bound)
        let wrong = try AdjointTest(
            inputCount: 2, outputCount: 2, x: [1, -1], y: [2, 1], forward: a, transpose: { v in [v[0] + 3 * v[1], 2 * v[0] + 4 * v[1]] })
        #expect(!wrong.passed && wrong.transposeProduct == -3)
        #expect(wrong.description.hasSuffix("the two functions are not a linear map and its transpose"))
        let short = try AdjointTest(inputCount: 2, outputCount: 2, forward: { _ in [1] }, transpose: at)
        #expect(short.problem == "forward returned 1 numbers for an input of 2; it must return 2")
    }

    /// The direct loop and the scatter loop are a convolution and its transpose on every drawn geometry,
    /// whether |A| is probed or comes from C with |w|; the direct loop with itself as "transpose" is not.
    @Test func convolutionLoopsPassAndAMismatchFails() async {
        await seededPropertyCheck(count: 150, input: ConvolutionGenerators.cases(.conv, limits: ConvolutionLimits(batch: 1...1))) { testCase in
            let kernel = testCase.kernel, c = testCase.convolution
            let probed = try AdjointTest(
                inputCount: c.columnCount, outputCount: c.rowCount, seed: 7,
                forward: { directConvolution($0, kernel: kernel) },
                transpose: { scatterTransposedConvolution($0, kernel: kernel) })
            #expect(probed.passed, "\(probed) for \(testCase)")
            // Copies in the padding can make a small C symmetric (circular padding of 2 elements: a 2×2 circulant).
            if c.rowCount == c.columnCount && c.kernelVolume > 1 && kernel.values.contains(where: { $0 != kernel.values[0] }) && c.paddingMode == .zeros {
                let selfAdjoint = try AdjointTest(
                    inputCount: c.columnCount, outputCount: c.rowCount, seed: 7,
                    forward: { directConvolution($0, kernel: kernel) },
                    transpose: { directConvolution($0, kernel: kernel) })
                #expect(!selfAdjoint.passed || selfAdjoint.forwardProduct == selfAdjoint.transposeProduct)
            }
        }
    }

    /// `verifyAdjoint` on cases in both layouts: the loops, permuted to the layout, pass.
    @Test(arguments: [ConvolutionCase.Layout.pytorch, .tensorflow])
    func caseDotTest(_ layout: ConvolutionCase.Layout) async {
        await seededPropertyCheck(count: 100, input: ConvolutionGenerators.cases(.conv, layout: layout)) { testCase in
            let c = testCase.convolution, n = testCase.batchSize, rank = c.spatialRank
            func toPyTorch(_ v: [Double], _ channels: Int, _ spatial: [Int]) -> [Double] {
                layout == .pytorch ? v : Tensor(shape: [n] + spatial + [channels], data: v).permuted([0, rank + 1] + Array(1...rank)).data
            }
            func toLayout(_ v: [Double], _ channels: Int, _ spatial: [Int]) -> [Double] {
                layout == .pytorch ? v : Tensor(shape: [n, channels] + spatial, data: v).permuted([0] + Array(2..<(rank + 2)) + [1]).data
            }
            func batched(_ v: [Double], _ length: Int, _ body: ([Double]) -> [Double]) -> [Double] {
                (0..<n).flatMap { body(Array(v[($0 * length)..<(($0 + 1) * length)])) }
            }
            let test = try testCase.verifyAdjoint(
                forward: { x in
                    toLayout(
                        batched(toPyTorch(x, c.inChannels, c.inputSize), c.columnCount) { directConvolution($0, kernel: testCase.kernel) },
                        c.outChannels, c.outputSize)
                },
                transpose: { y in
                    toLayout(
                        batched(toPyTorch(y, c.outChannels, c.outputSize), c.rowCount) { scatterTransposedConvolution($0, kernel: testCase.kernel) },
                        c.inChannels, c.inputSize)
                })
            #expect(test.passed)
        }
    }
}
