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

/// The case format of `convmat run`, on TensorFlow's all-ones padding examples.
@Suite struct ConvolutionCaseTests {
    /// A TensorFlow-layout case with an all-ones input [1, n, n, 1] and an all-ones 2×2 kernel.
    func tensorflowOnes(op: String, size: Int, stride: Int, padding: String, outputShape: Int? = nil) -> String {
        let ones = [String](repeating: "1", count: size * size).joined(separator: ",")
        let shape = outputShape.map { ", \"output_shape\": [1, \($0), \($0), 1]" } ?? ""
        return """
            {"op": "\(op)", "layout": "tensorflow", "stride": [\(stride), \(stride)], "padding": "\(padding)"\(shape),
             "input": {"shape": [1, \(size), \(size), 1], "data": [\(ones)]},
             "weight": {"shape": [2, 2, 1, 1], "data": [1, 1, 1, 1]}}
            """
    }

    func evaluate(_ json: String) throws -> Tensor { try ConvolutionCase(json: json).evaluate() }

    /// TensorFlow, conv2d: each output counts the ones under its 2×2 window; SAME's extra zeros
    /// are at the bottom and right, so only the last row and column see fewer than four.
    @Test func tensorflowConvolutions() throws {
        let same1 = try evaluate(tensorflowOnes(op: "conv", size: 4, stride: 1, padding: "SAME"))
        #expect(same1.shape == [1, 4, 4, 1])
        #expect(same1.data == [4, 4, 4, 2, 4, 4, 4, 2, 4, 4, 4, 2, 2, 2, 2, 1])
        let valid1 = try evaluate(tensorflowOnes(op: "conv", size: 4, stride: 1, padding: "VALID"))
        #expect(valid1.shape == [1, 3, 3, 1])
        #expect(valid1.data == [Double](repeating: 4, count: 9))
        for padding in ["SAME", "VALID"] {
            let strided = try evaluate(tensorflowOnes(op: "conv", size: 4, stride: 2, padding: padding))
            #expect(strided.shape == [1, 2, 2, 1])
            #expect(strided.data == [4, 4, 4, 4])
        }
        let same5 = try evaluate(tensorflowOnes(op: "conv", size: 5, stride: 2, padding: "SAME"))
        #expect(same5.shape == [1, 3, 3, 1])
        #expect(same5.data == [4, 4, 2, 4, 4, 2, 2, 2, 1])
        let valid5 = try evaluate(tensorflowOnes(op: "conv", size: 5, stride: 2, padding: "VALID"))
        #expect(valid5.shape == [1, 2, 2, 1])
        #expect(valid5.data == [4, 4, 4, 4])
    }

    /// TensorFlow, conv2d_transpose of an all-ones 2×2 input: every input scatters the all-ones kernel.
    @Test func tensorflowTransposedConvolutions() throws {
        // Stride 1, SAME, output 2×2: the padded scatter [[1,2,1],[2,4,2],[1,2,1]] loses its last row and column.
        let same = try evaluate(tensorflowOnes(op: "conv_transpose", size: 2, stride: 1, padding: "SAME", outputShape: 2))
        #expect(same.data == [1, 2, 2, 4])
        // Stride 1, VALID, output 3×3: the whole scatter.
        let valid = try evaluate(tensorflowOnes(op: "conv_transpose", size: 2, stride: 1, padding: "VALID", outputShape: 3))
        #expect(valid.data == [1, 2, 1, 2, 4, 2, 1, 2, 1])
        // Stride 2: the four 2×2 copies tile a 4×4 block without overlap, for SAME and VALID alike.
        for padding in ["SAME", "VALID"] {
            let tiled = try evaluate(tensorflowOnes(op: "conv_transpose", size: 2, stride: 2, padding: padding, outputShape: 4))
            #expect(tiled.shape == [1, 4, 4, 1])
            #expect(tiled.data == [Double](repeating: 1, count: 16))
        }
        // VALID with output 5×5 adds a zero row and column at the bottom and right.
        let wide = try evaluate(tensorflowOnes(op: "conv_transpose", size: 2, stride: 2, padding: "VALID", outputShape: 5))
        #expect(wide.data == [1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    }

    /// PyTorch layout, Dive into Deep Learning's example: input [[0,1],[2,3]], kernel [[0,1],[2,3]], stride 1 and 2, padding 1.
    @Test func d2lTransposedConvolutions() throws {
        func transposed(stride: Int, padding: Int) throws -> Tensor {
            try evaluate(
                """
                {"op": "conv_transpose", "stride": [\(stride), \(stride)], "padding": [\(padding), \(padding)],
                 "input": {"shape": [1, 1, 2, 2], "data": [0, 1, 2, 3]},
                 "weight": {"shape": [1, 1, 2, 2], "data": [0, 1, 2, 3]}}
                """)
        }
        #expect(try transposed(stride: 1, padding: 0).data == [0, 0, 1, 0, 4, 6, 4, 12, 9])
        #expect(try transposed(stride: 2, padding: 0).data == [0, 0, 0, 1, 0, 0, 2, 3, 0, 2, 0, 3, 4, 6, 6, 9])
        let cropped = try transposed(stride: 1, padding: 1)
        #expect(cropped.shape == [1, 1, 1, 1])
        #expect(cropped.data == [4])
    }

    /// conv_input_grad is Cᵀ applied to the incoming gradient: for a 1-D conv with kernel [1, 2]
    /// on 3 inputs, ∂/∂x Σ g·y with g = [1, 10] is [1, 2 + 10, 20].
    @Test func inputGradient() throws {
        let gradient = try evaluate(
            """
            {"op": "conv_input_grad", "input_shape": [1, 1, 3],
             "input": {"shape": [1, 1, 2], "data": [1, 10]}, "weight": {"shape": [1, 1, 2], "data": [1, 2]}}
            """)
        #expect(gradient.shape == [1, 1, 3])
        #expect(gradient.data == [1, 12, 20])
    }

    /// Refusals name the field, as the spec's example shows.
    @Test(arguments: [
        ("{\"op\": \"conv\"", "the case is not valid JSON"),
        ("[]", "the case must be a JSON object"),
        ("{\"op\": \"conv\", \"weight\": {\"shape\": [1,1,1], \"data\": [1]}}", "input is required but missing"),
        ("{\"op\": \"pool\", \"input\": {\"shape\": [1,1,2], \"data\": [1,2]}, \"weight\": {\"shape\": [1,1,1], \"data\": [1]}}", "op must be"),
        (
            "{\"op\": \"conv\", \"input\": {\"shape\": [1,1,3], \"data\": [1,2]}, \"weight\": {\"shape\": [1,1,1], \"data\": [1]}}",
            "input.data has 2 numbers but shape [1, 1, 3] needs 3"
        ),
        (
            "{\"op\": \"conv\", \"input\": {\"shape\": [1,1,2], \"data\": [1,2]}, \"weight\": {\"shape\": [1,1,3], \"data\": [1,1,1]}}",
            "kernel[0] spans 3 positions"
        ),
        (
            "{\"op\": \"conv\", \"groups\": 2, \"input\": {\"shape\": [1,3,2], \"data\": [1,2,3,4,5,6]}, \"weight\": {\"shape\": [2,1,1], \"data\": [1,1]}}",
            "input.shape[1] = 3 input channels must be divisible by groups = 2"
        ),
        (
            "{\"op\": \"conv\", \"groups\": 0, \"input\": {\"shape\": [1,1,2], \"data\": [1,2]}, \"weight\": {\"shape\": [1,1,1], \"data\": [1]}}",
            "groups = 0 must be at least 1"
        ),
        (
            "{\"op\": \"conv\", \"input\": {\"shape\": [1,3,2], \"data\": [1,2,3,4,5,6]}, \"weight\": {\"shape\": [2,2,1], \"data\": [1,1,1,1]}}",
            "weight.shape[1] = 2 does not match the input's 3 channels; it must be 3"
        ),
        (
            "{\"op\": \"conv_transpose\", \"stride\": [2, 2], \"output_padding\": [0, 2], \"input\": {\"shape\": [1,1,2,2], \"data\": [1,2,3,4]}, \"weight\": {\"shape\": [1,1,3,3], \"data\": [1,1,1,1,1,1,1,1,1]}}",
            "output_padding[1] = 2 must be smaller than stride[1] = 2 or dilation[1] = 1"
        ),
        (
            "{\"op\": \"conv\", \"input\": {\"shape\": [1,1,-2], \"data\": []}, \"weight\": {\"shape\": [1,1,1], \"data\": [1]}}",
            "input.shape[2] = -2 must be at least 1"
        ),
        (
            "{\"op\": \"conv\", \"input\": {\"shape\": [1,1,2], \"data\": [1e999, 2]}, \"weight\": {\"shape\": [1,1,1], \"data\": [1]}}",
            "input.data[0] = 1e999 is too large for Float64"
        ),
        (
            "{\"op\": \"conv_transpose\", \"layout\": \"tensorflow\", \"padding\": \"SAME\", \"stride\": [2], \"output_shape\": [1, 5, 1], \"input\": {\"shape\": [1,2,1], \"data\": [1,2]}, \"weight\": {\"shape\": [2,1,1], \"data\": [1,1]}}",
            "output_shape[1] = 5 is refused by TensorFlow's output_shape rule under SAME (a SAME convolution of that size must give the input back): valid sizes range from [3] to [4]"
        ),
        (
            "{\"op\": \"conv_transpose\", \"padding\": \"same\", \"input\": {\"shape\": [1,1,2], \"data\": [1,2]}, \"weight\": {\"shape\": [1,1,1], \"data\": [1]}}",
            "padding = \"same\" is accepted by PyTorch for conv only"
        ),
        (
            "{\"op\": \"conv\", \"padding\": \"same\", \"stride\": [2], \"input\": {\"shape\": [1,1,4], \"data\": [1,2,3,4]}, \"weight\": {\"shape\": [1,1,3], \"data\": [1,1,1]}}",
            "padding = \"same\" needs stride 1 in PyTorch"
        ),
        (
            "{\"op\": \"conv\", \"input\": {\"data\": [[[1, 2], [3]]]}, \"weight\": {\"data\": [[[1]]]}}",
            "input.data[0][1] has 1 entry along axis 2, but the data's first entries give that axis 2"
        ),
        (
            "{\"op\": \"conv\", \"input\": {\"shape\": [1, 1, 3], \"data\": [[[1, 2]]]}, \"weight\": {\"data\": [[[1]]]}}",
            "input.data[0][0] has 2 entries along axis 2, but shape gives that axis 3"
        ),
        (
            "{\"op\": \"conv\", \"input\": {\"data\": [[1, [2]]]}, \"weight\": {\"data\": [[[1]]]}}",
            "input.data[0][1] is a list, but the data's first entries give the tensor only 2 axes"
        ),
        ("{\"op\": \"conv\", \"input\": {\"data\": [[[]]]}, \"weight\": {\"data\": [[[1]]]}}", "input.data[0][0] is an empty list"),
        ("{\"op\": \"conv\", \"input\": {\"data\": [1, 2]}, \"weight\": {\"data\": [[[1]]]}}", "input.shape is required when input.data is a flat list"),
        (
            "{\"op\": \"conv\", \"padding\": [[0, 1, 2]], \"input\": {\"data\": [[[1, 2]]]}, \"weight\": {\"data\": [[[1]]]}}",
            "padding[0] must be a [before, after] pair of whole numbers"
        ),
        (
            "{\"op\": \"conv\", \"padding\": [[0, -1]], \"input\": {\"data\": [[[1, 2]]]}, \"weight\": {\"data\": [[[1]]]}}",
            "padding[0][1] = -1 must be at least 0"
        ),
        (
            "{\"op\": \"conv\", \"layout\": \"tensorflow\", \"padding\": [[0, 0], [1, 1]], \"input\": {\"data\": [[[1], [2]]]}, \"weight\": {\"data\": [[[1]]]}}",
            "padding has 2 pairs but needs 3, one [before, after] for every axis of the input [N, spatial…, C]"
        ),
        (
            "{\"op\": \"conv\", \"layout\": \"tensorflow\", \"padding\": [[0, 0], [1, 1], [1, 0]], \"input\": {\"data\": [[[1], [2]]]}, \"weight\": {\"data\": [[[1]]]}}",
            "padding[2] = [1, 0] must be [0, 0]: TensorFlow pads the spatial axes only, not the channel axis"
        ),
        (
            "{\"op\": \"conv_transpose\", \"dilation\": [2], \"output_padding\": [2], \"input\": {\"data\": [[[1, 2, 3]]]}, \"weight\": {\"data\": [[[1, 1, 1]]]}}",
            "output_padding[0] = 2 must be smaller than stride[0] = 1 or dilation[0] = 2"
        ),
    ])
    func refusals(_ json: String, _ expected: String) {
        do {
            _ = try ConvolutionCase(json: json).evaluate()
            Issue.record("accepted: \(json)")
        } catch {
            #expect(error.description.contains(expected), "got: \(error.description)")
        }
    }

    /// Asymmetric padding, nested data and TensorFlow's explicit list, worked by hand on x = [1, 2, 3]
    /// and w = [1, 10]: padding [0, 1] (one zero after, what F.pad(x, (0, 1)) gives) makes the windows
    /// [1, 2], [2, 3], [3, 0], so y = [21, 32, 3]; [1, 0] gives [0, 1], [1, 2], [2, 3], so y = [10, 21, 32].
    @Test func asymmetricPaddingAndNestedData() throws {
        let after = try evaluate("{\"op\": \"conv\", \"padding\": [[0, 1]], \"input\": {\"data\": [[[1, 2, 3]]]}, \"weight\": {\"data\": [[[1, 10]]]}}")
        #expect(after.shape == [1, 1, 3] && after.data == [21, 32, 3])
        let before = try evaluate(
            "{\"op\": \"conv\", \"padding\": [[1, 0]], \"input\": {\"shape\": [1, 1, 3], \"data\": [[[1, 2, 3]]]}, \"weight\": {\"shape\": [1, 1, 2], \"data\": [1, 10]}}"
        )
        #expect(before.data == [10, 21, 32])
        // The same in TensorFlow's layout ([N, width, C] and a [width, C_in, C_out] kernel) and explicit list.
        let tensorflow = try evaluate(
            "{\"op\": \"conv\", \"layout\": \"tensorflow\", \"padding\": [[0, 0], [0, 1], [0, 0]], \"input\": {\"data\": [[[1], [2], [3]]]}, \"weight\": {\"data\": [[[1]], [[10]]]}}"
        )
        #expect(tensorflow.shape == [1, 3, 1] && tensorflow.data == [21, 32, 3])
        // Its transpose scatters y = [1, 1, 1] by w = [1, 10] into [1, 11, 11, 10] and, with padding [0, 1], drops the last position.
        let transposed = try evaluate(
            "{\"op\": \"conv_transpose\", \"padding\": [[0, 1]], \"input\": {\"data\": [[[1, 1, 1]]]}, \"weight\": {\"data\": [[[1, 10]]]}}")
        #expect(transposed.data == [1, 11, 11])
    }

    /// Bare numbers for `stride`, `padding` and `dilation` apply to every spatial dimension, as PyTorch's
    /// `stride=2, padding=1` do. By hand: x = 0 … 15 as 4×4 and w = [[1, 0], [0, 1]] with one zero on each
    /// side and stride 2 read the windows at rows and columns −1, 1, 3: y = [0, 2, 0; 8, 15, 7; 0, 13, 15]
    /// (x(r, c) + x(r+1, c+1) where both exist, e.g. y(1, 1) = x(1, 1) + x(2, 2) = 5 + 10).
    @Test func bareNumbersApplyToEveryDimension() throws {
        let data = (0..<16).map(String.init).joined(separator: ", ")
        let bare = try evaluate(
            "{\"op\": \"conv\", \"stride\": 2, \"padding\": 1, \"dilation\": 1, \"input\": {\"shape\": [1, 1, 4, 4], \"data\": [\(data)]}, \"weight\": {\"shape\": [1, 1, 2, 2], \"data\": [1, 0, 0, 1]}}"
        )
        #expect(bare.shape == [1, 1, 3, 3] && bare.data == [0, 2, 0, 8, 15, 7, 0, 13, 15])
        let lists = try evaluate(
            "{\"op\": \"conv\", \"stride\": [2, 2], \"padding\": [1, 1], \"dilation\": [1, 1], \"input\": {\"shape\": [1, 1, 4, 4], \"data\": [\(data)]}, \"weight\": {\"shape\": [1, 1, 2, 2], \"data\": [1, 0, 0, 1]}}"
        )
        #expect(lists == bare)
    }

    /// Results print in shortest round-trip form: 0.1 stays 0.1 and 1/3 keeps all 17 digits.
    @Test func numbersRoundTrip() throws {
        let result = try evaluate(
            """
            {"op": "conv", "input": {"shape": [1,1,2], "data": [0.1, 0.3333333333333333]}, "weight": {"shape": [1,1,1], "data": [1]}}
            """)
        #expect(result.json == "{\"shape\": [1, 1, 2], \"data\": [0.1, 0.3333333333333333]}")
    }

    /// A bias, worked by hand: x = [1, 2, 3], w = [1, 10] give y = [21, 32] per channel; two output
    /// channels (w and 2w) with bias [0.5, -1] give [21.5, 32.5] and [41, 63]. In TensorFlow's layout
    /// the same numbers come channel last. conv_transpose of y = [1, 1] by w = [1, 10] is [1, 11, 10],
    /// plus the bias of its one output channel. The document writes the bias back, and reading refuses
    /// a bias of the wrong length or on a gradient, naming the key.
    @Test func biasIsAddedPerOutputChannel() throws {
        let conv = try evaluate(
            #"{"op": "conv", "input": {"data": [[[1, 2, 3]]]}, "weight": {"data": [[[1, 10]], [[2, 20]]]}, "bias": {"data": [0.5, -1]}}"#)
        #expect(conv.shape == [1, 2, 2] && conv.data == [21.5, 32.5, 41, 63])
        let tensorflow = try evaluate(
            #"{"op": "conv", "layout": "tensorflow", "input": {"data": [[[1], [2], [3]]]}, "weight": {"data": [[[1, 2]], [[10, 20]]]}, "bias": {"shape": [2], "data": [0.5, -1]}}"#
        )
        #expect(tensorflow.shape == [1, 2, 2] && tensorflow.data == [21.5, 41, 32.5, 63])
        let transposed = try evaluate(
            #"{"op": "conv_transpose", "input": {"data": [[[1, 1]], [[2, 2]]]}, "weight": {"data": [[[1, 10]]]}, "bias": {"data": [0.25]}}"#)
        #expect(transposed.shape == [2, 1, 3] && transposed.data == [1.25, 11.25, 10.25, 2.25, 22.25, 20.25])
        let read = try ConvolutionCase(
            json: #"{"op": "conv", "input": {"data": [[[1, 2, 3]]]}, "weight": {"data": [[[1, 10]]]}, "bias": {"data": [3]}}"#)
        #expect(read.document().contains(#""weight": {"shape": [1, 1, 2], "data": [1.0, 10.0]}, "bias": {"shape": [1], "data": [3.0]}, "stride""#))
        #expect(try ConvolutionCase(json: read.document()).evaluate().data == [24, 35])
        refusals(
            #"{"op": "conv", "input": {"data": [[[1, 2, 3]]]}, "weight": {"data": [[[1, 10]]]}, "bias": {"data": [1, 2]}}"#,
            "bias.shape = [2] must be [1], one value per output channel of the conv")
        refusals(
            #"{"op": "conv_input_grad", "input_shape": [1, 1, 3], "input": {"data": [[[1, 2]]]}, "weight": {"data": [[[1, 10]]]}, "bias": {"data": [1]}}"#,
            "bias applies only to conv and conv_transpose")
        refusals(#"{"op": "conv", "input": {"data": [[[1, 2, 3]]]}, "weight": {"data": [[[1, 10]]]}, "bias": [1]}"#, "bias")
    }

    /// An operand that does not fit the geometry is refused with an error naming `input` (it used to
    /// stop the program): a conv of 3 positions with a kernel of 2 reads 3 values per sample.
    @Test func anOperandOfTheWrongLengthIsRefused() throws {
        let kernel = try Kernel([1, 10], geometry: ConvolutionGeometry(inputSize: [3], kernelSize: [2]))
        let right = try ConvolutionCase(operation: .conv, layout: .pytorch, kernel: kernel, operand: DenseMatrix(column: [1, 2, 3]))
        #expect(try right.evaluate().data == [21, 32])
        #expect {
            try ConvolutionCase(operation: .conv, layout: .pytorch, kernel: kernel, operand: DenseMatrix(column: [1, 2]))
        } throws: { error in
            (error as? CaseError)?.description.contains("input holds 2 values per sample in 1 sample(s), but the geometry needs 3") == true
        }
        // conv_transpose reads C's rows: 2 outputs of the conv per sample.
        #expect(throws: CaseError.self) {
            try ConvolutionCase(operation: .convTranspose, layout: .pytorch, kernel: kernel, operand: DenseMatrix(column: [1, 2, 3]))
        }
    }
}
