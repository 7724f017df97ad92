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

/// Output-size arithmetic against the worked examples of Dumoulin & Visin, PyTorch and TensorFlow.
@Suite struct GeometryTests {
    /// Dumoulin & Visin, A guide to convolution arithmetic: o = ⌊(i + 2p − k)/s⌋ + 1 in each of Dumoulin & Visin's cases.
    @Test(arguments: [
        // (i, k, s, p, o): no padding; padding; half; full; stride; padding and stride
        (4, 3, 1, 0, 2), (5, 4, 1, 2, 6), (5, 3, 1, 1, 5), (5, 3, 1, 2, 7), (5, 3, 2, 0, 2), (5, 3, 2, 1, 3),
        (6, 3, 2, 1, 3),
    ])
    func convolutionArithmetic(_ i: Int, _ k: Int, _ s: Int, _ p: Int, _ o: Int) throws {
        let geometry = try ConvolutionGeometry(inputSize: [i, i], kernelSize: [k, k], stride: [s], padding: .symmetric([p]))
        #expect(geometry.outputSize == [o, o])
    }

    /// PyTorch's ConvTranspose2d documentation: Conv2d(3, 8, 3, stride=2, padding=1) maps both 5×5 and 6×6 to 3×3;
    /// ConvTranspose2d(8, 3, 3, stride=2, padding=1) maps 3×3 to 5×5, and to 6×6 with output_padding=1.
    @Test func pytorchOutputPaddingExample() throws {
        for size in [5, 6] {
            let conv = try ConvolutionGeometry(inputSize: [size, size], kernelSize: [3], stride: [2], padding: .symmetric([1]), inChannels: 3, outChannels: 8)
            #expect(conv.outputSize == [3, 3])
            #expect(conv.rowCount == 8 * 9)
            #expect(conv.columnCount == 3 * size * size)
        }
        let plain = try TransposedConvolutionGeometry(inputSize: [3, 3], kernelSize: [3], stride: [2], padding: .symmetric([1]), inChannels: 8, outChannels: 3)
        #expect(plain.outputSize == [5, 5])
        let padded = try TransposedConvolutionGeometry(
            inputSize: [3, 3], kernelSize: [3], stride: [2], padding: .symmetric([1]), outputPadding: [1], inChannels: 8, outChannels: 3)
        #expect(padded.outputSize == [6, 6])
        #expect(padded.convolution.inChannels == 3 && padded.convolution.outChannels == 8)
        // output_padding 0 or 1 reach 5 and 6, and output_size accepts the same two: the stride is the larger.
        let sets = try plain.outputSizes()
        #expect(sets.map(\.pytorchOutputPadding) == [5...6, 5...6])
        #expect(sets.map(\.pytorchOutputSize) == [5...6, 5...6])
        #expect(sets.map(\.convolutionMapsBack) == [5...6, 5...6])
    }

    /// TensorFlow: TensorFlow's SAME pads so that o = ⌈i/s⌉, with the odd zero at the end.
    @Test(arguments: [
        // (i, k, s, output, before, after)
        (4, 2, 1, 4, 0, 1), (4, 2, 2, 2, 0, 0), (5, 2, 2, 3, 0, 1), (5, 3, 1, 5, 1, 1), (6, 4, 1, 6, 1, 2),
    ])
    func tensorflowSame(_ i: Int, _ k: Int, _ s: Int, _ o: Int, _ before: Int, _ after: Int) throws {
        let geometry = try ConvolutionGeometry(inputSize: [i, i], kernelSize: [k], stride: [s], padding: .same)
        #expect(geometry.outputSize == [o, o])
        #expect(geometry.paddingBefore == [before, before])
        #expect(geometry.paddingAfter == [after, after])
    }

    /// TensorFlow: VALID drops windows that would leave the input (5×5, k=2, s=2 → 2×2).
    @Test func tensorflowValidDropsTheRemainder() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [2], stride: [2], padding: .valid)
        #expect(geometry.outputSize == [2, 2])
    }

    /// TensorFlow's conv2d_transpose shapes: 2×2 input, 2×2 kernel; each output_shape that TensorFlow accepts.
    @Test func tensorflowTransposedOutputShapes() throws {
        func output(_ stride: Int, _ padding: Padding, _ size: Int?) throws(GeometryError) -> [Int] {
            try TransposedConvolutionGeometry(inputSize: [2, 2], kernelSize: [2], stride: [stride], padding: padding, outputSize: size.map { [$0] }).outputSize
        }
        #expect(try output(1, .same, 2) == [2, 2])
        #expect(try output(1, .valid, 3) == [3, 3])
        #expect(try output(2, .same, 4) == [4, 4])
        #expect(try output(2, .same, 3) == [3, 3])
        #expect(try output(2, .valid, 4) == [4, 4])
        #expect(try output(2, .valid, 5) == [5, 5])
        #expect(try output(2, .same, nil) == [4, 4])
        #expect(throws: GeometryError.self) { try output(2, .same, 5) }
        #expect(throws: GeometryError.self) { try output(1, .valid, 4) }
    }

    /// The examples of the output-size issue, each set worked by hand (i′ input, n natural size):
    /// ConvTranspose1d(k=3, dilation=2) on 3: n = (3 − 1)·1 + 2·2 + 1 = 7; output_padding < max(1, 2)
    /// reaches 7 … 8; output_size accepts 7 … 7 (PyTorch: "valid sizes range from [7] to [7]");
    /// SAME (3 − 1)·1 + 1 … 3·1 = 3 … 3; VALID (3 − 1)·1 + 5 … that + 0 = 7 … 7.
    /// And 2×2, kernel 2, stride 2 under SAME: (2 − 1)·2 + 1 … 2·2 = 3 … 4, VALID 2 + 2 … 2 + 2 + 1 = 4 … 5.
    @Test func issueExamples() throws {
        let dilated = try TransposedConvolutionGeometry(inputSize: [3], kernelSize: [3], dilation: [2]).outputSizes()[0]
        #expect(dilated.naturalSize == 7)
        #expect(dilated.pytorchOutputPadding == 7...8)
        #expect(dilated.pytorchOutputSize == 7...7)
        #expect(dilated.tensorflowSame == 3...3)
        #expect(dilated.tensorflowValid == 7...7)
        #expect(dilated.convolutionMapsBack == 7...7)
        #expect(throws: GeometryError.outputSizeNotAccepted(field: "output_size[0]", value: 8, rule: .pytorchOutputSize, valid: [7...7])) {
            try TransposedConvolutionGeometry(inputSize: [3], kernelSize: [3], dilation: [2], outputSize: [8])
        }
        // output_padding 1 is allowed (below the dilation), and C keeps the first 3 of the 4 outputs.
        let cut = try TransposedConvolutionGeometry(inputSize: [3], kernelSize: [3], dilation: [2], outputPadding: [1])
        #expect(cut.outputSize == [8] && cut.convolution.outputSize == [3] && cut.convolution.naturalOutputSize == [4] && cut.convolution.isOutputCut)

        let same = try TransposedConvolutionGeometry(inputSize: [2, 2], kernelSize: [2], stride: [2], padding: .same).outputSizes()
        #expect(same.map(\.tensorflowSame) == [3...4, 3...4])
        #expect(same.map(\.tensorflowValid) == [4...5, 4...5])
        #expect(same.map(\.convolutionMapsBack) == [3...4, 3...4])
        #expect(same.allSatisfy { $0.pytorchOutputPadding == nil && $0.pytorchOutputSize == nil })
        let report = try ShapeReport(.transposed(try TransposedConvolutionGeometry(inputSize: [3], kernelSize: [3], dilation: [2])))
        #expect(
            report.difference
                == "They differ because output_padding reaches max(s, d) − 1 = 1 past the natural size 7, but a convolution of size 8 gives 4 outputs, not 3, and because TensorFlow's SAME pads as much as ⌈o′/s⌉ = i′ needs, instead of the padding given."
        )
    }

    /// One and three spatial dimensions use the same rule per dimension.
    @Test func oneAndThreeDimensions() throws {
        let line = try ConvolutionGeometry(inputSize: [10], kernelSize: [3], stride: [3], dilation: [2], padding: .symmetric([1]))
        // ⌊(10 + 2 − 2·2 − 1)/3⌋ + 1 = 3
        #expect(line.outputSize == [3])
        let volume = try ConvolutionGeometry(
            inputSize: [4, 5, 6], kernelSize: [3, 1, 2], stride: [1, 2, 3], padding: .explicit(before: [0, 1, 0], after: [1, 0, 0]))
        // ⌊(4+1−3)/1⌋+1 = 3, ⌊(5+1−1)/2⌋+1 = 3, ⌊(6−2)/3⌋+1 = 2
        #expect(volume.outputSize == [3, 3, 2])
        #expect(volume.rowCount == 18 && volume.columnCount == 120)
    }

    /// Dilation above the stride allows output_padding up to d − 1 (PyTorch's max(s, d) rule);
    /// the matching convolution then has more outputs than the transposed input, and C keeps the first ones.
    @Test func outputPaddingBelowDilation() throws {
        let transposed = try TransposedConvolutionGeometry(inputSize: [3], kernelSize: [3], stride: [1], dilation: [3], outputPadding: [2])
        // (3 − 1)·1 + 3·2 + 1 + 2 = 11
        #expect(transposed.outputSize == [11])
        #expect(transposed.convolution.outputSize == [3])
        #expect(throws: GeometryError.outputPaddingTooLarge(dimension: 0, value: 3, stride: 1, dilation: 3)) {
            try TransposedConvolutionGeometry(inputSize: [3], kernelSize: [3], stride: [1], dilation: [3], outputPadding: [3])
        }
    }

    /// The analytic nonzero count equals a brute-force count of (output, tap) pairs inside the input.
    @Test func nonzeroCountByBruteForce() throws {
        let geometry = try ConvolutionGeometry(
            inputSize: [5, 4], kernelSize: [3, 2], stride: [2, 1], dilation: [1, 2], padding: .explicit(before: [1, 0], after: [2, 1]), inChannels: 4,
            outChannels: 6, groups: 2)
        var pairs = 0
        for o0 in 0..<geometry.outputSize[0] {
            for o1 in 0..<geometry.outputSize[1] {
                for k0 in 0..<3 {
                    for k1 in 0..<2 {
                        let x0 = o0 * 2 - 1 + k0, x1 = o1 - 0 + 2 * k1
                        if (0..<5).contains(x0) && (0..<4).contains(x1) { pairs += 1 }
                    }
                }
            }
        }
        // Each output channel reads C_in/groups = 2 input channels.
        #expect(geometry.nonzeroCount == 6 * 2 * pairs)
        #expect(ConvolutionMatrix(geometry: geometry).nonzeroCount == geometry.nonzeroCount)
    }

    /// Every refusal names its field and says what would be valid.
    @Test func refusals() {
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "accepted" } catch { return "\(error)" }
        }
        #expect(message { _ = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3], stride: [0]) } == "stride[0] = 0 must be at least 1")
        #expect(message { _ = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3], dilation: [1, -1]) } == "dilation[1] = -1 must be at least 1")
        #expect(message { _ = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3], padding: .symmetric([-1])) } == "padding[0] = -1 must be at least 0")
        #expect(message { _ = try ConvolutionGeometry(inputSize: [2, 4], kernelSize: [3]) }.hasPrefix("kernel[0] spans 3 positions"))
        #expect(
            message { _ = try ConvolutionGeometry(inputSize: [4], kernelSize: [3], inChannels: 3, groups: 2) }
                == "in_channels = 3 must be divisible by groups = 2")
        #expect(
            message { _ = try ConvolutionGeometry(inputSize: [4, 4, 4], kernelSize: [3, 3]) }.hasPrefix(
                "kernel has 2 values but the input has 3 spatial dimensions"))
        #expect(
            message { _ = try TransposedConvolutionGeometry(inputSize: [3, 3], kernelSize: [3], stride: [2], outputPadding: [0, 2]) }
                == "output_padding[1] = 2 must be smaller than stride[1] = 2 or dilation[1] = 1")
        #expect(
            message { _ = try ConvolutionGeometry(inputSize: [1 << 31, 1 << 31], kernelSize: [1], inChannels: 1 << 10) }
                == "in_channels is too large: the number of columns (in_channels × input volume) would not fit into 64-bit integers; use smaller values")
        #expect(
            message { _ = try TransposedConvolutionGeometry(inputSize: [3], kernelSize: [3], inChannels: 3, outChannels: 4, groups: 2) }
                == "in_channels = 3 must be divisible by groups = 2")
        #expect(
            message { _ = try TransposedConvolutionGeometry(inputSize: [3], kernelSize: [3], stride: [2], padding: .symmetric([1]), outputSize: [8]) }
                == "output_size[0] = 8 is refused by PyTorch's output_size rule (natural size … natural size + stride − 1): valid sizes range from [5] to [6]")
        #expect(
            message { _ = try TransposedConvolutionGeometry(inputSize: [2, 2], kernelSize: [2], stride: [2], padding: .same, outputSize: [4, 5]) }
                == "output_size[1] = 5 is refused by TensorFlow's output_shape rule under SAME (a SAME convolution of that size must give the input back): valid sizes range from [3, 3] to [4, 4]"
        )
    }
}
