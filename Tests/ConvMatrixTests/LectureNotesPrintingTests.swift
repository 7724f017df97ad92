import Foundation
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

/// The printing views of the lecture notes (issue 14): labels in LaTeX, one
/// channel block, C over the padded input, the flipped kernel of a true
/// convolution and MATLAB's column-major order. Expected values are written
/// out by hand from the definitions, read from SciPy's fixtures
/// (Tests/Fixtures/generate_scipy_fixtures.py), or computed by an
/// independent loop written here (MATLAB's `convmtx2` definition).
@Suite struct LectureNotesPrintingTests {
    /// The issue's example: a 3×3 input, kernel 2, stride 2, padding 1. Over the padded 5×5 input
    /// window (a, b) covers padded rows 2a, 2a + 1 and columns 2b, 2b + 1, so every row holds its
    /// four taps; in y(0,0) three of them fall on padding (padded row 0 or column 0).
    @Test func paddingMadeVisible() throws {
        let op = ConvolutionOperator.convolution(try ConvolutionGeometry(inputSize: [3, 3], kernelSize: [2, 2], stride: [2], padding: .symmetric([1])))
        let printed = try MatrixPrinter(format: .text, ascii: true, labels: true, showPadding: true).render(op)
        let lines = printed.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        let header = lines[0].split(separator: " ").map(String.init)
        #expect(header.count == 25 && header.first == "x(-1,-1)" && header.last == "x(3,3)")
        let row0 = lines[1].split(separator: " ").map(String.init)
        #expect(row0.first == "y(0,0)")
        // Padded columns 0, 1 (row −1), 5 (x(0,−1)), 6 (x(0,0)): three taps on padding, one on x(0,0).
        #expect(row0[1] == "(w[0,0])" && row0[2] == "(w[0,1])" && row0[6] == "(w[1,0])" && row0[7] == "w[1,1]")
        for line in lines.dropFirst() {
            let cells = line.split(separator: " ").dropFirst()
            #expect(cells.filter { $0.hasPrefix("w") || $0.hasPrefix("(w") }.count == 4, "\(line)")
        }
        // y(1,1) reads x(1,1), x(1,2), x(2,1), x(2,2): no padding.
        #expect(!lines[4].contains("(w"))
    }

    /// PyTorch's ConvTranspose1d(k = 3, s = 2, p = 1, output_padding = 1) on 3 inputs gives 6 outputs;
    /// C is the convolution of 6 with padding 1+1 (8 padded positions). Row z(−1) is cropped by the
    /// padding, z(5) is the row output_padding adds (the a = 1 of (3 − 1)·2 − 2 + 3 + a = 6).
    @Test func transposedRowsCroppedAndAdded() throws {
        var fields = ConvolutionFields(input: [3], kernel: [3])
        fields.stride = [2]; fields.padding = .symmetric([1]); fields.outputPadding = [1]; fields.transposed = true
        let op = try ConvolutionOperator(fields)
        let printer = MatrixPrinter(format: .text, ascii: true, labels: true, showPadding: true)
        #expect(
            try printer.render(op) == """
                        y(0)   y(1)   y(2)
                z(-1) (w[0])      #      #
                 z(0)   w[1]      ·      ·
                 z(1)   w[2]   w[0]      ·
                 z(2)      ·   w[1]      ·
                 z(3)      ·   w[2]   w[0]
                 z(4)      ·      ·   w[1]
                z(5)*      ·      ·   w[2]
                 z(6)      #      #      #

                """)
        #expect(printer.summary(op).contains("the rows output_padding adds"))
        // Without labels the added row still says so, at its end.
        let plain = try MatrixPrinter(format: .text, ascii: true, showPadding: true).render(op)
        #expect(plain.split(separator: "\n").map { $0.hasSuffix(" *") } == [false, false, false, false, false, false, true, false])
    }

    /// One channel block of a 2 → 2 channel, stride-2 C (input 4, kernel 2): output channel 1
    /// against input channel 0 is y1 = w(1,0) ⋆ x0, rows (0: x0(0), x0(1)), (1: x0(2), x0(3)).
    @Test func oneChannelBlockWithLaTeXLabels() throws {
        let op = ConvolutionOperator.convolution(try ConvolutionGeometry(inputSize: [4], kernelSize: [2], stride: [2], inChannels: 2, outChannels: 2))
        #expect(
            try MatrixPrinter(format: .latex, labels: true, channelBlock: ChannelBlock(output: 1, input: 0)).render(op) == #"""
                \renewcommand{\arraystretch}{1.3}
                \begin{array}{r|cccc}
                   & \scriptstyle x^{(0)}_{(0)} & \scriptstyle x^{(0)}_{(1)} & \scriptstyle x^{(0)}_{(2)} & \scriptstyle x^{(0)}_{(3)} \\ \hline
                  y^{(1)}_{(0)} & w^{(1,0)}_{0} & w^{(1,0)}_{1} & \cdot & \cdot \\
                  y^{(1)}_{(1)} & \cdot & \cdot & w^{(1,0)}_{0} & w^{(1,0)}_{1}
                \end{array}

                """#)
        #expect(throws: RenderingError.self) { try MatrixPrinter(format: .text, channelBlock: ChannelBlock(output: 2, input: 0)).render(op) }
        #expect(throws: RenderingError.self) { try MatrixPrinter(format: .mtx, flip: true).render(op) }
    }

    /// `--flip` against scipy.linalg.convolution_matrix (1-D): full pads k − 1 on both sides, same pads
    /// ⌈(k − 1)/2⌉ before and ⌊(k − 1)/2⌋ after (SciPy centres the full result), valid none.
    @Test func flipIsSciPysConvolutionMatrix() throws {
        let cases = try fixture("scipy/convolution_matrix.json")
        #expect(cases.count == 15)
        for item in cases {
            let kernel = (item["kernel"] as! [NSNumber]).map(\.doubleValue)
            let n = (item["n"] as! NSNumber).intValue, mode = item["mode"] as! String
            let m = kernel.count
            let geometry = try ConvolutionGeometry(inputSize: [n], kernelSize: [m], padding: padding(mode, [m]))
            let printed = try numericMatrix(.convolution(geometry), kernel: kernel, order: .rowMajor)
            #expect(printed == (item["matrix"] as! [[NSNumber]]).map { $0.map(\.doubleValue) }, "\(kernel) n=\(n) \(mode)")
        }
    }

    /// `--flip` against scipy.signal.convolve2d applied to every unit vector (2-D, row-major).
    @Test func flipIsSciPysConvolve2d() throws {
        let cases = try fixture("scipy/convolve2d.json")
        #expect(cases.count == 12)
        for item in cases {
            let h = (item["kernel"] as! [[NSNumber]]).map { $0.map(\.doubleValue) }
            let size = (item["input"] as! [NSNumber]).map(\.intValue), mode = item["mode"] as! String
            let k = [h.count, h[0].count]
            let geometry = try ConvolutionGeometry(inputSize: size, kernelSize: k, padding: padding(mode, k))
            let printed = try numericMatrix(.convolution(geometry), kernel: h.flatMap { $0 }, order: .rowMajor)
            #expect(printed == (item["matrix"] as! [[NSNumber]]).map { $0.map(\.doubleValue) }, "\(h) \(size) \(mode)")
        }
    }

    /// MATLAB's `convmtx2(H, m, n)` is documented as the matrix T with conv2(X, H) = reshape(T·X(:), size(H) + [m n] − 1):
    /// true convolution, full output, column-major vectors. The loop below builds T from that
    /// definition: T(i + M·j, p + m·q) = H(i − p, j − q) where the index is inside H (0-based, M = m + k₀ − 1).
    @Test func flipWithColumnMajorOrderIsConvmtx2() throws {
        for (h, m, n) in [([[1.0, 2, 3], [4, 5, 6], [7, 8, 9]], 4, 5), ([[1.0, -1], [2, 3], [0, 5]], 3, 3), ([[2.0, 1, 4, 3]], 2, 4)] {
            let k = [h.count, h[0].count]
            let rows = (m + k[0] - 1) * (n + k[1] - 1), big = m + k[0] - 1
            var t = [[Double]](repeating: [Double](repeating: 0, count: m * n), count: rows)
            for j in 0..<(n + k[1] - 1) {
                for i in 0..<big {
                    for q in 0..<n {
                        for p in 0..<m where (0..<k[0]).contains(i - p) && (0..<k[1]).contains(j - q) {
                            t[i + big * j][p + m * q] = h[i - p][j - q]
                        }
                    }
                }
            }
            let geometry = try ConvolutionGeometry(inputSize: [m, n], kernelSize: k, padding: .explicit(before: k.map { $0 - 1 }, after: k.map { $0 - 1 }))
            #expect(try numericMatrix(.convolution(geometry), kernel: h.flatMap { $0 }, order: .columnMajor) == t, "H = \(h), \(m)×\(n)")
        }
    }

    /// The padding of SciPy's modes, for a kernel of size k per dimension.
    private func padding(_ mode: String, _ k: [Int]) -> Padding {
        switch mode {
        case "full": return .explicit(before: k.map { $0 - 1 }, after: k.map { $0 - 1 })
        case "same": return .explicit(before: k.map { $0 - 1 - ($0 - 1) / 2 }, after: k.map { ($0 - 1) / 2 })
        default: return .valid
        }
    }

    /// The flipped C printed as CSV with the given order, read back as numbers (empty = 0).
    private func numericMatrix(_ op: ConvolutionOperator, kernel: [Double], order: MatrixOrder) throws -> [[Double]] {
        let csv = try MatrixPrinter(format: .csv, flip: true, order: order).render(op, kernel: try Kernel(kernel, geometry: op.convolution))
        return csv.split(separator: "\n").map { line in line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) ?? 0 } }
    }
}

/// The JSON fixture's list of cases (`cases`, `layers`, `verdicts` or `matrices`).
func fixture(_ path: String) throws -> [[String: Any]] {
    let url = CommandRunner.packageRoot.appendingPathComponent("Tests/Fixtures/" + path)
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
    return (object?["cases"] ?? object?["layers"] ?? object?["verdicts"] ?? object?["matrices"]) as? [[String: Any]] ?? []
}
