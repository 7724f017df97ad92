import PropertyBased
import Testing
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
@testable import ConvMatrixRendering
@testable import ConvMatrixTeaching
import ConvMatrixTestSupport
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// Deconvolution x̂ = (CᵀC + λI)⁻¹Cᵀy against inputs known in advance, and the
/// transposed convolution Cᵀy against the same inputs (the questions of Dive into Deep Learning's transposed-convolution notes).
@Suite struct DeconvolutionTests {
    /// A 1-D kernel [a, 1, b] with |a| + |b| < 1 and "full" padding (kernel − 1 on each side)
    /// gives C of full column rank with σ_min ≥ 1 − |a| − |b|, so with λ = 10⁻¹² any x comes back.
    @Test func recoversAnyInputOfAFullRankOneDimensionalConvolution() async throws {
        let geometry = try ConvolutionGeometry(inputSize: [10], kernelSize: [3], padding: .symmetric([2]))
        await seededPropertyCheck(count: 60, input: Gen.double(in: -1...1).array(of: 10), Gen.double(in: -0.3...0.3), Gen.double(in: -0.3...0.3)) { x, a, b in
            let kernel = try Kernel([a, 1, b], geometry: geometry)
            let deconvolution = try Deconvolution(kernel: kernel, lambda: 1e-12)
            let recovered = try deconvolution.recover(deconvolution.convolve(DenseMatrix(column: x)))
            let worst = zip(recovered.values, x).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-8, "x = \(x), kernel [\(a), 1, \(b)]")
        }
    }

    /// Full-rank geometries beyond 1-D: "same" padding with a diagonally dominant 3×3 kernel
    /// (C = I + small neighbours, invertible), two input and three output channels with full
    /// padding, and stride 2 with two output channels whose 2×2 blocks [1 .5; .3 1] are invertible.
    @Test(arguments: FullRankCase.all)
    func recoversAKnownInputOnFullRankGeometries(_ example: FullRankCase) throws {
        let geometry = try example.geometry()
        let kernel = try Kernel(example.weights, geometry: geometry)
        let x = (0..<geometry.columnCount).map { Double(($0 * 7919) % 23) / 11 - 1 }
        for lambda in [0.0, 1e-12] {
            let deconvolution = try Deconvolution(kernel: kernel, lambda: lambda)
            let recovered = try deconvolution.recover(deconvolution.convolve(DenseMatrix(column: x)))
            let worst = zip(recovered.values, x).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-8, "\(example.name), λ = \(lambda)")
        }
    }

    /// Worked by hand: the blur [1 2 1]/4 with padding 1 on x = [0, 1, 0] gives
    /// y = [1/4, 1/2, 1/4]; the transposed convolution gives Cᵀy = [1/4, 3/8, 1/4],
    /// a second blur, while deconvolution (λ = 0; C = [.5 .25 0; .25 .5 .25; 0 .25 .5] is
    /// positive definite) gives x back.
    @Test func transposedConvolutionBlursAgainWhereDeconvolutionRecovers() throws {
        let geometry = try ConvolutionGeometry(inputSize: [3], kernelSize: [3], padding: .symmetric([1]))
        let deconvolution = try Deconvolution(kernel: Kernel([0.25, 0.5, 0.25], geometry: geometry), lambda: 0)
        let comparison = try DeconvolutionComparison(clean: DenseMatrix(column: [0, 1, 0]), deconvolution: deconvolution)
        #expect(comparison.blurred.values == [0.25, 0.5, 0.25])
        #expect(comparison.transposed.values == [0.25, 0.375, 0.25])
        for (value, truth) in zip(comparison.recovered.values, [0.0, 1, 0]) { #expect(abs(value - truth) < 1e-14) }
        // ‖x − Cᵀy‖² = 1/16 + 25/64 + 1/16 = 33/64.
        #expect(abs(try #require(comparison.transposedError) - (33.0 / 64).squareRoot()) < 1e-15)
        #expect(try #require(comparison.recoveredError) < 1e-14)
        #expect(comparison.recoveredResidual < 1e-14)
    }

    /// Orthogonal cases, where CᵀC = I and Cᵀy = x exactly: the 1×1 kernel [1], and the
    /// 2×2 Haar transform (four output channels, stride 2), whose four filters
    /// ½[1 1; 1 1], ½[1 −1; 1 −1], ½[1 1; −1 −1], ½[1 −1; −1 1] are orthonormal.
    @Test func transposedConvolutionInvertsOnlyOrthogonalConvolutions() throws {
        let identity = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [1, 1])
        let haar = try ConvolutionGeometry(inputSize: [6, 4], kernelSize: [2, 2], stride: [2], outChannels: 4)
        let haarWeights = [1.0, 1, 1, 1, 1, -1, 1, -1, 1, 1, -1, -1, 1, -1, -1, 1].map { $0 / 2 }
        for kernel in [try Kernel([1], geometry: identity), try Kernel(haarWeights, geometry: haar)] {
            let x = TestImage.checkerboardWithDisc(size: kernel.geometry.inputSize).enumerated().map { $1 + Double($0) / 10 }
            let comparison = try DeconvolutionComparison(clean: DenseMatrix(column: x), deconvolution: Deconvolution(kernel: kernel, lambda: 0))
            let size = try #require(comparison.cleanNorm)
            #expect(try #require(comparison.transposedError) < 1e-13 * size)
            #expect(try #require(comparison.recoveredError) < 1e-13 * size)
        }
        // A blur is not orthogonal: Cᵀy misses the test image by more than 10 %.
        let blur = try ConvolutionGeometry(inputSize: [16, 16], kernelSize: [3, 3], padding: .same)
        let x = TestImage.checkerboardWithDisc(size: [16, 16])
        let comparison = try DeconvolutionComparison(
            clean: DenseMatrix(column: x),
            deconvolution: Deconvolution(kernel: BlurKernel(name: "gaussian3").kernel(for: blur), lambda: 0))
        let size = try #require(comparison.cleanNorm)
        #expect(try #require(comparison.transposedError) > 0.1 * size)
        #expect(try #require(comparison.recoveredError) < 1e-8 * size)
    }

    /// Input 7, kernel 2, stride 3: the windows are {0, 1} and {3, 4}, so inputs 2, 5 and 6
    /// are read by no output. λ = 0 is refused naming them; λ > 0 sets exactly them to 0.
    @Test func rankDeficiencyNamesTheUntouchedInputs() throws {
        let geometry = try ConvolutionGeometry(inputSize: [7], kernelSize: [2], stride: [3])
        let kernel = try Kernel([1, 1], geometry: geometry)
        let expected = [2, 5, 6].map { InputPosition(channel: 0, position: [$0]) }
        #expect(throws: DeconvolutionError.untouchedInputs(expected, total: 3)) { try Deconvolution(kernel: kernel, lambda: 0) }
        #expect(
            DeconvolutionError.untouchedInputs(expected, total: 3).description.contains(
                "3 inputs (channel 0, position [2]), (channel 0, position [5]), (channel 0, position [6]) are read by none"))
        let regularized = try Deconvolution(kernel: kernel, lambda: 1e-3)
        #expect(regularized.untouchedInputs == expected)
        let recovered = try regularized.recover(regularized.convolve(DenseMatrix(column: [1, 2, 3, 4, 5, 6, 7])))
        #expect([2, 5, 6].map { recovered.values[$0] } == [0, 0, 0])
    }

    /// Two channels (groups 2), 3×3 input, 1×1 kernel, stride 2: only the corners (0,0), (0,2),
    /// (2,0), (2,2) are read, so five positions per channel, ten in all, are untouched; the
    /// message lists the first eight in column order and says "and 2 more".
    @Test func rankDeficiencyCountsUntouchedInputsAcrossChannels() throws {
        let geometry = try ConvolutionGeometry(inputSize: [3, 3], kernelSize: [1, 1], stride: [2], inChannels: 2, outChannels: 2, groups: 2)
        let kernel = try Kernel([1, 1], geometry: geometry)
        do {
            _ = try Deconvolution(kernel: kernel, lambda: 0)
            Issue.record("λ = 0 was accepted")
        } catch {
            guard case let .untouchedInputs(named, total) = error else { Issue.record("\(error)"); return }
            #expect(total == 10)
            #expect(named.count == 8)
            #expect(named.prefix(5) == [[0, 1], [1, 0], [1, 1], [1, 2], [2, 1]].map { InputPosition(channel: 0, position: $0) }[...])
            #expect(named[5] == InputPosition(channel: 1, position: [0, 1]))
            #expect(error.description.contains("and 2 more"))
        }
    }

    /// Valid padding: 5 inputs, kernel 3, so 3 outputs; rank ≤ 3 < 5.
    @Test func fewerOutputsThanInputsNeedsLambda() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5], kernelSize: [3])
        #expect(throws: DeconvolutionError.underdetermined(rows: 3, columns: 5)) {
            try Deconvolution(kernel: Kernel([1, 2, 1], geometry: geometry), lambda: 0)
        }
    }

    /// The binomial blur vanishes at the highest frequency: on 64×64 with full padding,
    /// CᵀC is singular in floating point, and λ = 0 is refused with advice instead of an answer.
    @Test func numericallySingularBlurIsRefusedWithLambdaZero() throws {
        let geometry = try ConvolutionGeometry(inputSize: [64, 64], kernelSize: [5, 5], padding: .symmetric([4]))
        let kernel = try BlurKernel(name: "gaussian5").kernel(for: geometry)
        do {
            _ = try Deconvolution(kernel: kernel, lambda: 0)
            Issue.record("λ = 0 was accepted")
        } catch {
            guard case .singular = error else { Issue.record("\(error)"); return }
            #expect(error.description.hasPrefix("lambda = 0 is too small"))
        }
    }

    @Test(arguments: [-1.0, -1e-300, .nan, .infinity])
    func refusesAnInvalidLambda(lambda: Double) throws {
        let geometry = try ConvolutionGeometry(inputSize: [3], kernelSize: [1])
        #expect(throws: DeconvolutionError.self) { try Deconvolution(kernel: Kernel([1], geometry: geometry), lambda: lambda) }
    }

    /// Weights of 10²⁰⁰ make CᵀC overflow (10⁴⁰⁰), weights of 10⁻²⁰⁰ make it underflow to 0:
    /// both are refused instead of answering with infinities or zeros.
    @Test func refusesWeightsWhoseNormalMatrixOverflowsOrUnderflows() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5], kernelSize: [3], padding: .symmetric([2]))
        #expect(throws: DeconvolutionError.badlyScaled(largestColumnNormSquared: .infinity)) {
            try Deconvolution(kernel: Kernel([1e200, 1, 1], geometry: geometry), lambda: 1)
        }
        #expect(throws: DeconvolutionError.badlyScaled(largestColumnNormSquared: 0)) {
            try Deconvolution(kernel: Kernel([1e-200, 1e-200, 1e-200], geometry: geometry))
        }
        // 10¹⁵⁰ is fine for CᵀC + λI (10³⁰⁰) but C·Cᵀy would be 10⁴⁵⁰.
        let large = try Deconvolution(kernel: Kernel([1e150, 1, 1], geometry: geometry), lambda: 1)
        #expect(throws: DeconvolutionError.overflow(quantity: "C·Cᵀy (for the residual of the transposed convolution)")) {
            try DeconvolutionComparison(clean: DenseMatrix(column: [1, 2, 3, 4, 5]), deconvolution: large)
        }
    }

    /// A zero kernel makes y = 0 for every x: there is nothing to recover, and the solver says so
    /// instead of returning x̂ = 0 with a λ scaled from a zero diagonal.
    @Test func zeroKernelIsRefused() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4], kernelSize: [2])
        #expect(throws: DeconvolutionError.badlyScaled(largestColumnNormSquared: 0)) {
            try Deconvolution(kernel: Kernel([0, 0], geometry: geometry))
        }
        #expect(DeconvolutionError.badlyScaled(largestColumnNormSquared: 0).description.hasPrefix("the weights are all zero"))
    }

    /// [1 2 1]/4 with padding 1: the largest ‖C·eⱼ‖² is an inner column's, (1 + 4 + 1)/16 = 3/8,
    /// so the default λ is 10⁻⁶ · 3/8.
    @Test func defaultLambdaScalesWithTheKernel() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4], kernelSize: [3], padding: .symmetric([1]))
        let deconvolution = try Deconvolution(kernel: Kernel([0.25, 0.5, 0.25], geometry: geometry))
        #expect(abs(deconvolution.lambda - 0.375e-6) < 1e-21)
        #expect(deconvolution.lambdaIsDefault)
    }

    /// The round trip of the lesson: generate, blur with gaussian3, deconvolve with the default λ,
    /// compare. Deconvolution lands within 2 % of the picture, the transposed convolution misses by over 10 %.
    @Test func testImageRoundTrip() throws {
        let geometry = try ConvolutionGeometry(inputSize: [48, 48], kernelSize: [3, 3], padding: .same)
        let deconvolution = try Deconvolution(kernel: BlurKernel(name: "gaussian3").kernel(for: geometry))
        let x = TestImage.checkerboardWithDisc(size: [48, 48])
        let comparison = try DeconvolutionComparison(clean: DenseMatrix(column: x), deconvolution: deconvolution)
        let size = try #require(comparison.cleanNorm)
        #expect(try #require(comparison.recoveredError) < 0.02 * size)
        #expect(try #require(comparison.transposedError) > 0.1 * size)
        #expect(comparison.recoveredResidual < 1e-3 * size)
        // Given only y, the same x̂ comes back, and the errors against x are unknown.
        let blind = try DeconvolutionComparison(blurred: comparison.blurred, deconvolution: deconvolution)
        #expect(blind.recovered == comparison.recovered)
        #expect(blind.recoveredError == nil && blind.cleanNorm == nil)
    }
}

/// A convolution of full column rank, with its weights.
struct FullRankCase: Sendable, CustomTestStringConvertible {
    let name: String
    let inputSize: [Int]
    let kernelSize: [Int]
    let stride: [Int]
    let padding: [Int]
    let inChannels: Int
    let outChannels: Int
    let weights: [Double]

    var testDescription: String { name }

    func geometry() throws -> ConvolutionGeometry {
        try ConvolutionGeometry(
            inputSize: inputSize, kernelSize: kernelSize, stride: stride,
            padding: .symmetric(padding), inChannels: inChannels, outChannels: outChannels)
    }

    static let all: [FullRankCase] = [
        FullRankCase(
            name: "same 6×7, dominant 3×3", inputSize: [6, 7], kernelSize: [3, 3], stride: [1], padding: [1],
            inChannels: 1, outChannels: 1, weights: [0.1, -0.1, 0.05, 0.1, 1, 0.1, -0.05, 0.1, 0.1]),
        FullRankCase(
            name: "full 4×5, 2 → 3 channels", inputSize: [4, 5], kernelSize: [2, 2], stride: [1], padding: [1],
            inChannels: 2, outChannels: 3,
            weights: [
                1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05,
                0.05, 0.05, 0.05, 0.05, 1, 0.1, 0.1, 0.1,
                0.3, 0.3, 0.3, 0.3, 0.3, -0.3, 0.3, -0.3,
            ]),
        FullRankCase(
            name: "stride 2, 8 → 2 channels × 4", inputSize: [8], kernelSize: [2], stride: [2], padding: [0],
            inChannels: 1, outChannels: 2, weights: [1, 0.5, 0.3, 1]),
    ]
}
