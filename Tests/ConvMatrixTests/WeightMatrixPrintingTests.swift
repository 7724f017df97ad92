import Foundation
import Testing
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixRendering
import ConvMatrixTestSupport

/// `convmat matrix --of weights` in the library: X, the matrix of the weights (y = X·w), printed by
/// `MatrixPrinter.render(weightMatrixOf:inputs:)`. By hand in 1-D (the windows written out), and
/// against PyTorch: X of one output channel is `F.unfold(x)` transposed, and the whole X (groups,
/// several output channels, a batch, reflect and circular padding) is built from `F.unfold` by
/// Tests/Fixtures/generate_fixtures.py --only weight-grad, which holds it against `F.conv2d`; X in
/// TensorFlow's layout from `tf.image.extract_patches`, held against `tf.nn.conv2d`.
@Suite struct WeightMatrixPrintingTests {
    /// x = [x₀, x₁, x₂], a 2-tap kernel, one position of padding on each side: the windows are
    /// [pad, x₀], [x₀, x₁], [x₁, x₂], [x₂, pad], so X has these rows. Over the padding the taps
    /// on it are shown in parentheses: zeros named by where they are (x₋₁, x₃), reflect's copies
    /// by the element they copy (x(−1) = x(1), x(3) = x(1)).
    @Test func byHand() throws {
        let geometry = try ConvolutionGeometry(inputSize: [3], kernelSize: [2], padding: .symmetric([1]))
        #expect(
            try MatrixPrinter(format: .text).render(weightMatrixOf: geometry) == """
                 · x₀
                x₀ x₁
                x₁ x₂
                x₂  ·

                """)
        #expect(
            try MatrixPrinter(format: .text, ascii: true, showPadding: true).render(weightMatrixOf: geometry) == """
                (x[-1])    x[0]
                   x[0]    x[1]
                   x[1]    x[2]
                   x[2]  (x[3])

                """)
        let reflect = try ConvolutionGeometry(inputSize: [3], kernelSize: [2], padding: .symmetric([1]), paddingMode: .reflect)
        #expect(
            try MatrixPrinter(format: .text, labels: true, showPadding: true).render(weightMatrixOf: reflect) == """
                       w₀   w₁
                y(0) (x₁)   x₀
                y(1)   x₀   x₁
                y(2)   x₁   x₂
                y(3)   x₂ (x₁)

                """)
        // Without the padding shown, reflect's X holds the copies as ordinary entries; with values, numbers.
        #expect(try MatrixPrinter(format: .csv).render(weightMatrixOf: reflect, inputs: [5, 6, 7]) == "6,5\n5,6\n6,7\n7,6\n")
        // Two samples stack their blocks of rows.
        #expect(
            try MatrixPrinter(format: .csv, zerosAsDigits: true).render(weightMatrixOf: geometry, inputs: [1, 2, 3, 10, 20, 30]) == """
                0,1
                1,2
                2,3
                3,0
                0,10
                10,20
                20,30
                30,0

                """)
    }

    /// Every fixture of Tests/Fixtures/weight_matrices: X printed as CSV with the fixture's input
    /// equals PyTorch's, entry for entry (`unfold`: F.unfold(x) of one output channel, transposed;
    /// `x_matrix`: the whole X with groups, batch and padding modes), and in TensorFlow's layout
    /// TensorFlow's (from `tf.image.extract_patches`, SAME and VALID, stride and dilation, NHWC).
    @Test func matchesTorchsUnfold() throws {
        let folder = CommandRunner.packageRoot.appendingPathComponent("Tests/Fixtures/weight_matrices")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count == 7)
        for name in names {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name))) as? [String: Any])
            func ints(_ key: String) -> [Int] { (object[key] as? [NSNumber] ?? []).map(\.intValue) }
            func tensor(_ key: String) -> (shape: [Int], data: [Double])? {
                guard let value = object[key] as? [String: Any] else { return nil }
                return ((value["shape"] as? [NSNumber] ?? []).map(\.intValue), (value["data"] as? [NSNumber] ?? []).map(\.doubleValue))
            }
            let input = try #require(tensor("input"))
            // TensorFlow's fixtures hold NHWC inputs and TensorFlow's padding words.
            let tensorflow = object["layout"] as? String == "tensorflow"
            let padding: Padding = tensorflow ? (object["padding"] as? String == "SAME" ? .same : .valid) : .symmetric(ints("padding"))
            let geometry = try ConvolutionGeometry(
                inputSize: tensorflow ? Array(input.shape[1..<(input.shape.count - 1)]) : Array(input.shape[2...]), kernelSize: ints("kernel"),
                stride: ints("stride"), dilation: ints("dilation"), padding: padding,
                paddingMode: PaddingMode(rawValue: object["padding_mode"] as? String ?? "zeros") ?? .zeros,
                inChannels: tensorflow ? input.shape[input.shape.count - 1] : input.shape[1], outChannels: (object["out_channels"] as? Int) ?? 1,
                groups: (object["groups"] as? Int) ?? 1)
            // F.unfold's [C·k, L] is X transposed; x_matrix is X itself.
            let expected: [[Double]]
            if let unfold = tensor("unfold") {
                expected = (0..<unfold.shape[1]).map { row in (0..<unfold.shape[0]).map { unfold.data[$0 * unfold.shape[1] + row] } }
            } else {
                let matrix = try #require(tensor("x_matrix"))
                expected = (0..<matrix.shape[0]).map { row in Array(matrix.data[(row * matrix.shape[1])..<((row + 1) * matrix.shape[1])]) }
            }
            let csv = try MatrixPrinter(format: .csv, zerosAsDigits: true).render(
                weightMatrixOf: geometry, inputs: input.data, layout: tensorflow ? .tensorflow : .pytorch)
            let printed = csv.split(separator: "\n").map { $0.split(separator: ",").map { Double($0) ?? .nan } }
            #expect(printed == expected, "\(name)")
        }
    }

    /// What X cannot be printed with, each refusal naming the field: C's views, values that are not
    /// whole samples, a format of numbers without values.
    @Test func refusals() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])
        let cases: [(MatrixPrinter, [Double]?, String)] = [
            (MatrixPrinter(format: .text, flip: true), nil, "flip"),
            (MatrixPrinter(format: .text, order: .columnMajor), nil, "order"),
            (MatrixPrinter(format: .text, channelBlock: ChannelBlock(output: 0, input: 0)), nil, "block"),
            (MatrixPrinter(format: .text), [1, 2, 3], "values"),
            (MatrixPrinter(format: .cooJSON), nil, "format"),
            (MatrixPrinter(format: .csv, showPadding: true), nil, "show_padding"),
        ]
        let grouped = try ConvolutionGeometry(inputSize: [4], kernelSize: [2], inChannels: 2, outChannels: 2, groups: 2)
        #expect(throws: RenderingError.self) { try MatrixPrinter(format: .text).render(weightMatrixOf: grouped, layout: .tensorflow) }
        #expect(throws: RenderingError.self) { try MatrixPrinter(format: .text, blockSeparators: true).render(weightMatrixOf: geometry, layout: .tensorflow) }
        for (printer, inputs, field) in cases {
            #expect(throws: RenderingError.self, "\(field)") { try printer.render(weightMatrixOf: geometry, inputs: inputs) }
            do {
                _ = try printer.render(weightMatrixOf: geometry, inputs: inputs)
            } catch {
                #expect(error.message(spellingFields: { "--\($0)" }).hasPrefix("--\(field) "), "\(error)")
            }
        }
    }
}
