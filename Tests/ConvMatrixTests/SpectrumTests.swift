import Foundation
import Testing
import PropertyBased
import ConvMatrix
@testable import ConvMatrixCore
import ConvMatrixTestSupport
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// The spectrum of C: the 1-D circular cases by hand (the singular values are the moduli of the
/// kernel's DFT, written out below), the fourier, dense and iterative routes against each other on
/// random geometries, and the story numbers (C⁺, spectral normalisation) on cases worked by hand.
@Suite struct SpectrumTests {
    /// A 1-D circular convolution of `n` inputs whose output is as long as its input.
    private func circular(_ weights: [Double], n: Int, before: Int) throws -> Kernel {
        let k = weights.count
        let geometry = try ConvolutionGeometry(
            inputSize: [n], kernelSize: [k], padding: .explicit(before: [before], after: [k - 1 - before]), paddingMode: .circular)
        return try Kernel(weights, geometry: geometry)
    }

    private func expectClose(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-12, _ comment: Comment? = nil) {
        #expect(a.count == b.count, comment)
        for (x, y) in zip(a, b) { #expect(abs(x - y) <= tolerance, "\(x) vs \(y) \(comment?.description ?? "")") }
    }

    /// w = (1, 1), n = 4: λ_f = 1 + e^{2πi f/4} = 2, 1 + i, 0, 1 − i, so σ = 2, √2, √2, 0 and C is singular
    /// (the alternating input 1, −1, 1, −1 is lost). Every route gives them.
    @Test func twoTapSumByHand() throws {
        let kernel = try circular([1, 1], n: 4, before: 0)
        let expected = [2, 2.0.squareRoot(), 2.0.squareRoot(), 0]
        let fourier = try Spectrum(kernel, route: .fourier, memoryLimit: nil)
        let dense = try Spectrum(kernel, route: .dense, memoryLimit: nil)
        expectClose(fourier.singularValues ?? [], expected)
        expectClose(dense.singularValues ?? [], expected)
        #expect((fourier.condition ?? 0) > 1e15, "σ_min is 0 up to rounding")
        #expect(try Spectrum(of: kernel).route == .fourier)
        let iterative = try Spectrum(kernel, route: .iterative, memoryLimit: nil)
        #expect(abs(iterative.sigmaMax - 2) < 1e-9)
        #expect(abs(iterative.sigmaMin ?? 1) < 1e-5)
    }

    /// w = (2, 1), n = 4: |2 + e^{iθ}| at θ = 0, π/2, π, 3π/2 is 3, √5, 1, √5: σ = 3, √5, √5, 1, condition 3.
    @Test func twoTapByHand() throws {
        let kernel = try circular([2, 1], n: 4, before: 0)
        let expected = [3, 5.0.squareRoot(), 5.0.squareRoot(), 1]
        expectClose(try Spectrum(of: kernel).singularValues ?? [], expected)
        expectClose(try Spectrum(kernel, route: .dense, memoryLimit: nil).singularValues ?? [], expected)
        let condition = try #require(try Spectrum(of: kernel).condition)
        #expect(abs(condition - 3) < 1e-12)
        let iterative = try Spectrum(kernel, route: .iterative, memoryLimit: nil)
        #expect(abs(iterative.sigmaMax - 3) < 1e-9 && abs((iterative.sigmaMin ?? 0) - 1) < 1e-9)
    }

    /// w = (1, 2, 3), n = 3, padding 1 on each side: λ₀ = 6 and λ₁ = 1 + 2ω + 3ω² with ω = e^{2πi/3},
    /// = −3/2 − (√3/2)i, |λ₁|² = 9/4 + 3/4 = 3; λ₂ = λ₁*: σ = 6, √3, √3 (the padding only turns λ by a phase).
    @Test func threeTapsByHand() throws {
        let expected = [6, 3.0.squareRoot(), 3.0.squareRoot()]
        for before in 0...2 {
            let kernel = try circular([1, 2, 3], n: 3, before: before)
            expectClose(try Spectrum(kernel, route: .fourier, memoryLimit: nil).singularValues ?? [], expected, 1e-12, "before \(before)")
            expectClose(try Spectrum(kernel, route: .dense, memoryLimit: nil).singularValues ?? [], expected, 1e-12, "before \(before)")
        }
    }

    /// Two input channels, one output, a 1×1 kernel (3, 4) on 2 positions: C = [3I 4I], CCᵀ = 25·I, σ = 5, 5;
    /// at every frequency A(f) = [3 4]. The reshaped weight (1×2) has the same norm 5: ratio 1.
    @Test func channelsByHand() throws {
        let geometry = try ConvolutionGeometry(inputSize: [2], kernelSize: [1], inChannels: 2)
        let kernel = try Kernel([3, 4], geometry: geometry)
        let spectrum = try Spectrum(of: kernel)
        #expect(spectrum.route == .fourier)
        expectClose(spectrum.singularValues ?? [], [5, 5])
        expectClose(try Spectrum(kernel, route: .dense, memoryLimit: nil).singularValues ?? [], [5, 5])
        let wide = try Spectrum(kernel, route: .iterative, memoryLimit: nil)
        #expect(abs(wide.sigmaMax - 5) < 1e-9)
        #expect(wide.sigmaMin == nil, "C is 2×4: σ_min of a wide C is not computed by iteration")
        let story = try SpectrumStory(kernel, pseudoInverse: true)
        #expect(abs(story.reshapedWeightNorm - 5) < 1e-12)
    }

    /// w = (1, 1), n = 4 circular: ‖W‖₂ = √2 but ‖C‖₂ = 2, ratio √2; C has rank 3, so C⁺(C·x) loses x's
    /// component along (1, −1, 1, −1)/2, which is (x₀ − x₁ + x₂ − x₃)/2 in length. Cᵀ(C·x) is
    /// worked out from CᵀC = circulant(2, 1, 0, 1) (first row), computed here by hand from C's rows.
    @Test func storyByHand() throws {
        let kernel = try circular([1, 1], n: 4, before: 0)
        let story = try SpectrumStory(kernel, pseudoInverse: true)
        #expect(abs(story.reshapedWeightNorm - 2.0.squareRoot()) < 1e-12)
        #expect(story.rank == 3)
        var random = SplitMix64(seed: SpectrumStory.inputSeed)
        let x: [Double] = (0..<4).map { _ in random.signedUnit() }
        let alternating: Double = abs(x[0] - x[1] + x[2] - x[3]) / 2
        #expect(abs((story.pseudoInverseResidual ?? -1) - alternating) < 1e-12)
        // (CᵀC·x)_i = 2x_i + x_{i−1} + x_{i+1} (indices mod 4).
        var squares = 0.0
        for i in 0..<4 {
            let back: Double = 2 * x[i] + x[(i + 3) % 4] + x[(i + 1) % 4]
            squares += (x[i] - back) * (x[i] - back)
        }
        let residual = squares.squareRoot()
        #expect(abs(story.transposeResidual - residual) < 1e-12)
        // An invertible C (w = (2, 1)) gives x back through C⁺.
        let invertible = try SpectrumStory(try circular([2, 1], n: 4, before: 0), pseudoInverse: true)
        #expect((invertible.pseudoInverseResidual ?? 1) < 1e-12 && invertible.rank == 4)
    }

    /// A geometry drawn from `seed`: 1-D or 2-D, circular padding at stride 1 with output = input
    /// when `circulant`, otherwise zero padding, strides and dilation of any kind; channels and groups.
    private func draw(_ seed: UInt64, circulant: Bool) throws -> Kernel {
        var random = SplitMix64(seed: seed)
        let rank = random.int(in: 1...2)
        let groups = random.int(in: 1...2)
        let inChannels = groups * random.int(in: 1...3), outChannels = groups * random.int(in: 1...3)
        var sizes = [Int](), kernel = [Int](), dilation = [Int](), stride = [Int](), before = [Int](), after = [Int]()
        for _ in 0..<rank {
            let k = random.int(in: 1...3), d = random.int(in: 1...2)
            let span = d * (k - 1)
            let n = random.int(in: max(2, span + 1)...(rank == 1 ? 12 : 6))
            sizes.append(n)
            kernel.append(k)
            dilation.append(d)
            if circulant {
                let b = random.int(in: 0...span)
                before.append(b)
                after.append(span - b)
                stride.append(1)
            } else {
                before.append(random.int(in: 0...2))
                after.append(random.int(in: 0...2))
                stride.append(random.int(in: 1...2))
            }
        }
        let geometry = try ConvolutionGeometry(
            inputSize: sizes, kernelSize: kernel, stride: stride, dilation: dilation, padding: .explicit(before: before, after: after),
            paddingMode: circulant ? .circular : .zeros, inChannels: inChannels, outChannels: outChannels, groups: groups)
        let weights = (0..<geometry.weightCount).map { _ in random.signedUnit() }
        return try Kernel(weights, geometry: geometry)
    }

    /// The DFT identity: on random circulant geometries (channels, groups, dilation, 1-D and 2-D) the
    /// fourier route's values equal LAPACK's SVD of C written out, every one within 10⁻¹⁰·σ_max, and
    /// the iterative route agrees within `SpectrumCheck`'s bounds.
    @Test func fourierIsDenseOnCirculantGeometries() async {
        await seededPropertyCheck(count: 150, input: Gen.uint64()) { seed in
            let kernel = try draw(seed, circulant: true)
            #expect(Spectrum.fourierApplies(kernel.geometry), "seed \(seed)")
            let check = try SpectrumCheck(kernel, memoryLimit: nil)
            #expect(check.runs.map(\.spectrum.route) == [.fourier, .dense, .iterative], "seed \(seed)")
            #expect(check.agrees, "seed \(seed): \(check.largestDifference) \(check.smallestDifference) \(check.valuesDifference)")
            #expect(check.runs[0].spectrum.singularValues?.count == min(kernel.geometry.rowCount, kernel.geometry.columnCount))
        }
    }

    /// On random geometries with zero padding and strides (no DFT), the dense and iterative routes agree.
    @Test func denseIsIterativeOnOtherGeometries() async {
        await seededPropertyCheck(count: 150, input: Gen.uint64()) { seed in
            let kernel = try draw(seed, circulant: false)
            let check = try SpectrumCheck(kernel, memoryLimit: nil)
            #expect(check.runs.last?.spectrum.route == .iterative)
            #expect(check.agrees, "seed \(seed): \(check.largestDifference) \(check.smallestDifference)")
        }
    }

    /// Zero padding is not circulant: the fourier route is refused naming the route, and the dense
    /// bound refuses a C too large for it before any work.
    @Test func refusals() throws {
        let zeros = try ConvolutionGeometry(inputSize: [8], kernelSize: [3], padding: .symmetric([1]))
        #expect(!Spectrum.fourierApplies(zeros))
        #expect(throws: GeometryError.self) { try Spectrum.choose(.fourier, for: zeros, memoryLimit: nil) }
        let large = try ConvolutionGeometry(inputSize: [100, 100], kernelSize: [3], padding: .same)
        #expect(Spectrum.denseRefusal(large) != nil)
        #expect(throws: GeometryError.self) { try Spectrum.choose(.dense, for: large, memoryLimit: nil) }
        #expect(try Spectrum.choose(nil, for: large, memoryLimit: nil) == .iterative)
        let atBound = try ConvolutionGeometry(inputSize: [64, 64], kernelSize: [3], padding: .same)
        #expect(Spectrum.denseRefusal(atBound) == nil, "4 096 columns are within the dense bound")
    }
}
