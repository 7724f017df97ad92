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

/// Blur presets against their weights written out by hand.
@Suite struct BlurKernelTests {
    @Test func gaussian3IsTheBinomialOneTwoOneSquared() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [3, 3])
        let kernel = try BlurKernel(name: "gaussian3").kernel(for: geometry)
        #expect(kernel.values == [1, 2, 1, 2, 4, 2, 1, 2, 1].map { $0 / 16.0 })
    }

    @Test func gaussianTakesItsSizeFromTheGeometry() throws {
        let geometry = try ConvolutionGeometry(inputSize: [9], kernelSize: [5])
        #expect(try BlurKernel(name: "gaussian").kernel(for: geometry).values == [1, 4, 6, 4, 1].map { $0 / 16.0 })
        let box = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [1, 2])
        #expect(try BlurKernel(name: "box").kernel(for: box).values == [0.5, 0.5])
    }

    @Test func box5WeighsEveryTapEqually() throws {
        let geometry = try ConvolutionGeometry(inputSize: [6, 6], kernelSize: [5, 5])
        let kernel = try BlurKernel(name: "box5").kernel(for: geometry)
        #expect(kernel.values.count == 25)
        #expect(kernel.values.allSatisfy { abs($0 - 1.0 / 25) < 1e-17 })
    }

    /// Two channels, groups 1: weight [2, 2, 1, 3] with channel o blurring only channel o,
    /// so the cross entries w[0, 1] and w[1, 0] are zero.
    @Test func blursEachChannelByItself() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4], kernelSize: [3], inChannels: 2, outChannels: 2)
        let kernel = try BlurKernel(name: "gaussian3").kernel(for: geometry)
        #expect(kernel.values == [0.25, 0.5, 0.25, 0, 0, 0, 0, 0, 0, 0.25, 0.5, 0.25])
    }

    @Test func refusesMismatchesAndUnknownNames() throws {
        let geometry = try ConvolutionGeometry(inputSize: [8, 8], kernelSize: [3, 3])
        #expect(
            throws: GeometryError.invalid(
                field: "kernel_preset", reason: "= gaussian5 is 5 wide but \(field: "kernel[0]") = 3; use \(field: "kernel") 5 or the preset gaussian3")
        ) {
            try BlurKernel(name: "gaussian5").kernel(for: geometry)
        }
        #expect(throws: GeometryError.self) { try BlurKernel(name: "sharpen") }
        #expect(throws: GeometryError.self) { try BlurKernel(name: "box0") }
        let mixing = try ConvolutionGeometry(inputSize: [8], kernelSize: [3], inChannels: 1, outChannels: 2)
        #expect(throws: GeometryError.self) { try BlurKernel(name: "box").kernel(for: mixing) }
    }
}
