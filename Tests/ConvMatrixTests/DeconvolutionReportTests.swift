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

/// The printed report: number formatting, the table's rows, and the ill-conditioning warning.
@Suite struct DeconvolutionReportTests {
    @Test func scientificNotationHasFourSignificantDigits() {
        #expect(scientific(1234.56) == "1.235e+03")
        #expect(scientific(9.9996) == "1.000e+01")
        #expect(scientific(-0.5) == "-5.000e-01")
        #expect(scientific(2.5e-17) == "2.500e-17")
        #expect(scientific(0) == "0")
    }

    /// The worked 1-D example of DeconvolutionTests: [1 2 1]/4, padding 1, x = [0, 1, 0], λ = 0;
    /// ‖x − Cᵀy‖ = √(33/64) = 0.7181 and ‖x‖ = 1.
    @Test func tableShowsBothRoutesSideBySide() throws {
        let geometry = try ConvolutionGeometry(inputSize: [3], kernelSize: [3], padding: .symmetric([1]))
        let deconvolution = try Deconvolution(kernel: Kernel([0.25, 0.5, 0.25], geometry: geometry), lambda: 0)
        let comparison = try DeconvolutionComparison(clean: DenseMatrix(column: [0, 1, 0]), deconvolution: deconvolution)
        let text = DeconvolutionReport(deconvolution: deconvolution, comparison: comparison, kernelName: "by hand").description
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "y = C·x: input 3 → output 3, kernel 3 (by hand), stride 1, padding 1:1")
        #expect(lines[1] == "C: 3×3, 7 nonzeros; 1 sample")
        #expect(lines[2] == "λ = 0")
        #expect(lines.contains { $0.hasPrefix("‖x − ·‖ / ‖x‖") && $0.hasSuffix("7.181e-01") })
        #expect(!text.contains("warning"))
        #expect(lines.contains { $0.hasPrefix("time: ") })
        let untimed = DeconvolutionReport(deconvolution: deconvolution, comparison: comparison, kernelName: "by hand", showsTimes: false).description
        #expect(!untimed.contains("time:"))
        #expect(untimed == lines.filter { !$0.hasPrefix("time: ") }.joined(separator: "\n"))
    }

    /// The binomial 5×5 blur with full padding on 24×24 and λ = 0 factorizes, but CHOLMOD's
    /// estimate rcond is far below 10⁻⁸: the report must say so.
    @Test func warnsWhenTheNormalMatrixIsIllConditioned() throws {
        let geometry = try ConvolutionGeometry(inputSize: [24, 24], kernelSize: [5, 5], padding: .symmetric([4]))
        let deconvolution = try Deconvolution(kernel: BlurKernel(name: "gaussian5").kernel(for: geometry), lambda: 0)
        let comparison = try DeconvolutionComparison(clean: DenseMatrix(column: TestImage.checkerboardWithDisc(size: [24, 24])), deconvolution: deconvolution)
        let text = DeconvolutionReport(deconvolution: deconvolution, comparison: comparison, kernelName: "gaussian5").description
        #expect(text.contains("warning: rcond ≈ "))
        // The default λ keeps it well-conditioned.
        let regularized = try Deconvolution(kernel: deconvolution.kernel)
        #expect(regularized.factor.reciprocalConditionEstimate > DeconvolutionReport.illConditionedBelow)
    }
}
