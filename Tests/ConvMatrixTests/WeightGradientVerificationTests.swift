import Foundation
import PropertyBased
import Testing
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
@testable import ConvMatrixRendering
@testable import ConvMatrixVerification
import ConvMatrixTestSupport

/// `verify`'s weight-gradient route: ∂L/∂w = Xᵀg (g = y) against the direct loop, and the dot test
/// ⟨C(w)x, g⟩ = ⟨X(x)w, g⟩ = ⟨w, Xᵀg⟩ within the rounding bound, in the report's text, brief text
/// and JSON; a planted error (a wrong sign, the taps read in reverse) makes it fail.
@Suite struct WeightGradientVerificationTests {
    /// 1-D, stride 2, dilation 2, padding 2 (before and after): the report's ∂L/∂w equals the sum
    /// written out here, dw[t] = Σₚ g[p]·x[2p + 2t − 2] over the p whose position lies inside x.
    @Test func byHandIn1D() throws {
        let geometry = try ConvolutionGeometry(inputSize: [7], kernelSize: [3], stride: [2], dilation: [2], padding: .symmetric([2]))
        let report = try Verifier().verify(.convolution(geometry), seed: 11)
        for dataset in report.datasets {
            let x = dataset.data.x, g = dataset.data.y
            var expected = [Double](repeating: 0, count: 3)
            for t in 0..<3 {
                for p in 0..<g.count where (0..<7).contains(2 * p + 2 * t - 2) { expected[t] += g[p] * x[2 * p + 2 * t - 2] }
            }
            let values = dataset.weightGradient.result.values
            #expect(values.count == 3)
            for t in 0..<3 { #expect(abs(values[t] - expected[t]) <= 1e-15 * (1 + abs(expected[t])), "\(dataset.name): dw[\(t)]") }
            #expect(dataset.weightGradient.passed)
        }
        #expect(report.datasets[0].weightGradient.comparison.largestDifference == 0, "integer data: Xᵀg and the direct loop agree exactly")
    }

    /// Random geometries, ranks 1–3, groups, stride, dilation, every padding mode: the weight gradient
    /// passes, exactly on integer data, with both dot tests.
    @Test func passesOnRandomGeometries() async {
        await seededPropertyCheck(
            count: 80, input: TestGenerators.geometries(ranks: 1...3, kernels: 1...3, paddingModes: PaddingMode.allCases), TestGenerators.seed
        ) { geometry, seed in
            guard let geometry else { return }
            let report = try Verifier().verify(.convolution(geometry), seed: seed)
            #expect(report.passed, "\(geometry): \(report.failures)")
            let integers = report.datasets[0].weightGradient
            #expect(integers.comparison.largestDifference == 0 && integers.dotTests.allSatisfy { $0.difference == 0 }, "\(geometry)")
            #expect(report.datasets.allSatisfy { $0.weightGradient.dotTests.count == 2 })
        }
    }

    /// `verify --random`'s sweep (SAME and VALID, transposed operators, every padding mode): the
    /// weight gradient of every C passes.
    @Test func passesOnTheRandomSweep() throws {
        let seed: UInt64 = 20261207
        print("WeightGradientVerificationTests.passesOnTheRandomSweep: sweep seed \(seed)")
        for item in RandomGeometry.sweep(count: 120, seed: seed) {
            let report = try Verifier().verify(item.convolutionOperator, seed: item.seed)
            let passed = report.datasets.allSatisfy { $0.weightGradient.passed }
            #expect(passed, "\(item.command): \(report.failures)")
        }
    }

    /// Planted errors: the gradient with its sign flipped, and the taps of each kernel read in reverse
    /// (X's columns in the wrong order, the classic flipped-kernel mistake). Each fails against the
    /// direct loop and in the dot test ⟨C(w)x, g⟩ = ⟨w, Xᵀg⟩, and the report says FAIL in text,
    /// brief text and JSON.
    @Test func plantedErrorsAreCaught() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5, 4], kernelSize: [3, 2], padding: .symmetric([1]), paddingMode: .reflect, inChannels: 2)
        let wrongSign = WeightGradientRoute(name: "wrong sign") { x, g, geometry throws(CholmodError) in
            try WeightGradientRoute.matrix.apply(x, g, geometry).map { -$0 }
        }
        let reversedTaps = WeightGradientRoute(name: "taps reversed") { x, g, geometry throws(CholmodError) in
            let dw = try WeightGradientRoute.matrix.apply(x, g, geometry)
            let volume = geometry.kernelVolume
            return dw.indices.map { e in dw[e - e % volume + volume - 1 - e % volume] }
        }
        for route in [wrongSign, reversedTaps] {
            var verifier = Verifier()
            verifier.weightGradientRoute = route
            let report = try verifier.verify(.convolution(geometry), seed: 5)
            #expect(!report.passed, "\(route.name)")
            for dataset in report.datasets {
                #expect(!dataset.weightGradient.comparison.passed, "\(route.name) \(dataset.name)")
                #expect(dataset.weightGradient.dotTests[0].passed && !dataset.weightGradient.dotTests[1].passed, "\(route.name) \(dataset.name)")
            }
            #expect(report.failures.contains { $0.contains("weight gradient: \(route.name) vs direct loop") }, "\(report.failures)")
            #expect(report.text.contains("  FAIL \(route.name) vs direct loop") && report.text.hasSuffix("FAIL"))
            #expect(report.briefText.contains("FAIL ∂L/∂w = Xᵀg:"))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
            let datasets = try #require(json["datasets"] as? [[String: Any]])
            #expect(datasets.allSatisfy { ($0["weight_gradient"] as? [String: Any])?["passed"] as? Bool == false })
        }
        // The correct route on the same geometry passes, so the failures above are the planted errors'.
        let report = try Verifier().verify(.convolution(geometry), seed: 5)
        #expect(report.passed, "\(report.failures)")
        #expect(report.briefText.contains("ok   ∂L/∂w = Xᵀg:"))
    }
}
