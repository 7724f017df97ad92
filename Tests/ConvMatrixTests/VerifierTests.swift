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

/// The verifier: the four routes agree, the dot test holds, and a wrong route is caught.
@Suite struct VerifierTests {
    /// Four routes, exact on integers and within 2γ_K·(|Cᵀ||y|)ᵢ on reals, over shrinkable random geometries.
    @Test func fourRoutesAgree() async {
        await seededPropertyCheck(count: 60, input: TestGenerators.geometry, TestGenerators.seed) { geometry, seed in
            guard let geometry else { Issue.record("generator produced an invalid geometry"); return }
            let report = try Verifier().verify(.convolution(geometry), seed: seed)
            #expect(report.passed, "\(report.failures)")
            #expect(report.datasets[0].exact, "integer data must be checked exactly")
            #expect(report.datasets[0].comparisons.allSatisfy { $0.largestDifference == 0 })
            #expect(report.datasets[0].comparisons.count == 3)
        }
    }

    /// The sweep generator's geometries (SAME/VALID, transposed with output_padding, per-dimension
    /// differences) all pass; the seed is fixed and printed so a failure can be replayed with
    /// `convmat verify --random 200 --seed 20261124`.
    @Test func randomSweepPasses() throws {
        let seed: UInt64 = 20261124
        print("VerifierTests.randomSweepPasses: sweep seed \(seed)")
        for item in RandomGeometry.sweep(count: 200, seed: seed) {
            let report = try Verifier().verify(item.convolutionOperator, seed: item.seed)
            #expect(report.passed, "\(item.command): \(report.failures)")
        }
    }

    /// ⟨Cx, y⟩ = ⟨x, Cᵀy⟩, computed here directly with directConvolution and the matrix route,
    /// within 2γ_K·|y|ᵀ|C||x| where K = taps per row + rows + taps per column + columns (generous).
    @Test func dotTest() async {
        await seededPropertyCheck(count: 60, input: TestGenerators.geometry, TestGenerators.seed) { geometry, seed in
            guard let geometry else { Issue.record("generator produced an invalid geometry"); return }
            var generator = SplitMix64(seed: seed)
            let w = (0..<geometry.weightCount).map { _ in generator.signedUnit() }
            let x = (0..<geometry.columnCount).map { _ in generator.signedUnit() }
            let y = (0..<geometry.rowCount).map { _ in generator.signedUnit() }
            let kernel = try Kernel(w, geometry: geometry)
            let absolute = try Kernel(w.map(abs), geometry: geometry)
            let cx = directConvolution(x, kernel: kernel)
            let cty = try TransposedConvolutionRoute.matrix.apply(y, kernel)
            let left = zip(cx, y).map(*).reduce(0, +)
            let right = zip(x, cty).map(*).reduce(0, +)
            let scale = zip(directConvolution(x.map(abs), kernel: absolute), y.map(abs)).map(*).reduce(0, +)
            let terms = geometry.inChannelsPerGroup * geometry.kernelVolume * 2 + geometry.rowCount + geometry.columnCount
            #expect(abs(left - right) <= RoundingBound.difference(terms: terms, magnitude: scale))
        }
    }

    /// A route with the kernel left unflipped (a classic mistake) fails on a kernel that is not symmetric.
    @Test func unflippedKernelIsCaught() throws {
        let unflipped = TransposedConvolutionRoute(name: "unflipped", summary: "zero insertion without the flip") { y, kernel in
            let plan = ZeroInsertion(geometry: kernel.geometry)
            // apply() flips the kernel it is given; handing it a pre-flipped kernel cancels the flip.
            return plan.apply(y, weights: kernel.values.reversedTaps(plan))
        }
        let geometry = try ConvolutionGeometry(inputSize: [6, 6], kernelSize: [3, 3], stride: [2], padding: .symmetric([1]))
        let report = try Verifier(routes: [.matrix, unflipped]).verify(.convolution(geometry), seed: 3)
        #expect(!report.passed)
        #expect(report.failures.contains { $0.contains("unflipped vs matrix") })
        #expect(report.text.hasSuffix("FAIL"))
    }

    /// The deliberately broken copy of each route fails, and the report says FAIL.
    @Test func brokenRouteIsCaught() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4], kernelSize: [2])
        for index in 0..<4 {
            var routes = TransposedConvolutionRoute.all
            routes[index] = routes[index].broken
            let report = try Verifier(routes: routes).verify(.convolution(geometry), seed: 1)
            #expect(!report.passed, "route \(routes[index].name) broken but not caught")
        }
        #expect(try Verifier().verify(.convolution(geometry), seed: 1).passed)
    }

    /// Dive into Deep Learning asks whether it is an inverse: CᵀCx ≠ x for a blurring kernel, while for the 1×1 kernel [1] C = I and the residual is 0.
    @Test func notAnInverse() throws {
        let blur = try ConvolutionGeometry(inputSize: [5], kernelSize: [3], padding: .symmetric([1]))
        let report = try Verifier().verify(.convolution(blur), weights: try Kernel([1, 1, 1], geometry: blur), seed: 2)
        #expect(report.inverse.residual > 0.1 * report.inverse.inputNorm)
        let identity = try ConvolutionGeometry(inputSize: [5], kernelSize: [1])
        #expect(try Verifier().verify(.convolution(identity), weights: try Kernel([1], geometry: identity), seed: 2).inverse.residual == 0)
    }

    /// Dumoulin & Visin: 6×6 with k = 3, s = 2, p = 1 goes to 3×3 and back to 6×6 only with output_padding 1;
    /// 5×5 goes to 3×3 and back with 0 (a = (i + 2p − k) mod s).
    @Test func shapeRoundTrip() throws {
        let six = try ConvolutionGeometry(inputSize: [6, 6], kernelSize: [3, 3], stride: [2], padding: .symmetric([1]))
        #expect(Verifier.roundTrip(six).outputPadding == [1, 1])
        let five = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [3, 3], stride: [2], padding: .symmetric([1]))
        #expect(Verifier.roundTrip(five).outputPadding == [0, 0])
        #expect(Verifier.roundTrip(five).convolutionOutput == [3, 3])
    }

    /// The bound formula: γ_K = Ku/(1 − Ku).
    @Test func gamma() {
        #expect(RoundingBound.gamma(0) == 0)
        #expect(RoundingBound.gamma(2) == 2 * 0x1p-53 / (1 - 2 * 0x1p-53))
        #expect(RoundingBound.gamma(1 << 53) == .infinity)
    }

    /// The JSON report parses and carries the verdict and the structure.
    @Test func jsonReportParses() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])
        let report = try Verifier().verify(.convolution(geometry), seed: 5)
        guard case .object(let fields) = try JSONValue(parsing: report.json) else {
            Issue.record("not a JSON object"); return
        }
        #expect(fields["passed"] == .bool(true))
        #expect(fields["round_trip"] != nil)
        #expect(report.structure.nonzeros == 36)
    }
}

private extension Array where Element == Double {
    /// Reverses the taps of every kernel slice (the flip), keeping the slice order.
    func reversedTaps(_ plan: ZeroInsertion) -> [Double] {
        let taps = plan.geometry.kernelVolume
        return stride(from: 0, to: count, by: taps).flatMap { self[$0..<($0 + taps)].reversed() }
    }
}
