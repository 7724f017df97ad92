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

/// The printers against matrices written out by hand: Dumoulin & Visin's
/// 4×16 matrix for a 4×4 input and a 3×3 kernel, and a 2-channel
/// 1-D case (C_in = C_out = 2, input 3, kernel 2) whose rows follow from
/// y_o(t) = Σ_i Σ_k w(o,i)_k · x_i(t + k).
@Suite struct MatrixPrinterTests {
    let classic: ConvolutionOperator
    let twoChannels: ConvolutionOperator

    init() throws {
        classic = .convolution(try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3]))
        twoChannels = .convolution(try ConvolutionGeometry(inputSize: [3], kernelSize: [2], inChannels: 2, outChannels: 2))
    }

    @Test func classicMatrixAsText() throws {
        #expect(
            try MatrixPrinter(format: .text).render(classic) == """
                w₀,₀ w₀,₁ w₀,₂    · w₁,₀ w₁,₁ w₁,₂    · w₂,₀ w₂,₁ w₂,₂    ·    ·    ·    ·    ·
                   · w₀,₀ w₀,₁ w₀,₂    · w₁,₀ w₁,₁ w₁,₂    · w₂,₀ w₂,₁ w₂,₂    ·    ·    ·    ·
                   ·    ·    ·    · w₀,₀ w₀,₁ w₀,₂    · w₁,₀ w₁,₁ w₁,₂    · w₂,₀ w₂,₁ w₂,₂    ·
                   ·    ·    ·    ·    · w₀,₀ w₀,₁ w₀,₂    · w₁,₀ w₁,₁ w₁,₂    · w₂,₀ w₂,₁ w₂,₂

                """)
    }

    @Test func classicMatrixInASCIIWithLabelsAndZeros() throws {
        let printer = MatrixPrinter(format: .text, zerosAsDigits: true, ascii: true, labels: true)
        #expect(
            try printer.render(classic) == """
                       x(0,0) x(0,1) x(0,2) x(0,3) x(1,0) x(1,1) x(1,2) x(1,3) x(2,0) x(2,1) x(2,2) x(2,3) x(3,0) x(3,1) x(3,2) x(3,3)
                y(0,0) w[0,0] w[0,1] w[0,2]      0 w[1,0] w[1,1] w[1,2]      0 w[2,0] w[2,1] w[2,2]      0      0      0      0      0
                y(0,1)      0 w[0,0] w[0,1] w[0,2]      0 w[1,0] w[1,1] w[1,2]      0 w[2,0] w[2,1] w[2,2]      0      0      0      0
                y(1,0)      0      0      0      0 w[0,0] w[0,1] w[0,2]      0 w[1,0] w[1,1] w[1,2]      0 w[2,0] w[2,1] w[2,2]      0
                y(1,1)      0      0      0      0      0 w[0,0] w[0,1] w[0,2]      0 w[1,0] w[1,1] w[1,2]      0 w[2,0] w[2,1] w[2,2]

                """)
    }

    /// Dumoulin & Visin's C in LaTeX with zeros as 0 (as their figure has it); ours must be the same matrix, spacing aside.
    @Test func classicMatrixInLaTeXIsTheSeedsMatrix() throws {
        let seedBody =
            #"w_{0,0}& w_{0,1} & w_{0,2} & 0 & w_{1,0} & w_{1,1} & w_{1,2} & 0 & w_{2,0} & w_{2,1} & w_{2,2} & 0 & 0 & 0 & 0 & 0 \\ 0 & w_{0,0}& w_{0,1} & w_{0,2} & 0 & w_{1,0} & w_{1,1} & w_{1,2} & 0 & w_{2,0} & w_{2,1} & w_{2,2} & 0 & 0 & 0 & 0 \\ 0 & 0 & 0 & 0 & w_{0,0}& w_{0,1} & w_{0,2} & 0 & w_{1,0} & w_{1,1} & w_{1,2} & 0 & w_{2,0} & w_{2,1} & w_{2,2} & 0 \\ 0 & 0 & 0 & 0 & 0 & w_{0,0}& w_{0,1} & w_{0,2} & 0 & w_{1,0} & w_{1,1} & w_{1,2} & 0 & w_{2,0} & w_{2,1} & w_{2,2}"#
        let printed = try MatrixPrinter(format: .latex, zerosAsDigits: true).render(classic)
        let withoutSpace = { (text: String) in text.filter { !$0.isWhitespace } }
        #expect(withoutSpace(printed) == withoutSpace(#"\setcounter{MaxMatrixCols}{16}\begin{bmatrix}"# + seedBody + #"\end{bmatrix}"#))
        #expect(try MatrixPrinter(format: .latex).render(classic).contains(#"\begin{bmatrix}"# + "\n" + #"  w_{0,0} & w_{0,1} & w_{0,2} & \cdot & w_{1,0}"#))
    }

    /// Row 1 of the classic C (output y(0,1)) in red, column 5 (input x(1,1)) in blue; C[1,5] = w₁,₀ where they cross.
    @Test func latexHighlightsOneRowAndOneColumn() throws {
        let printed = try MatrixPrinter(format: .latex, highlightedRow: 1, highlightedColumn: 5).render(classic)
        #expect(printed.contains(#"{\color{violet}w_{1,0}}"#))
        #expect(printed.ranges(of: #"\color{red}"#).count == 15)
        #expect(printed.ranges(of: #"\color{blue}"#).count == 3)
        // Column 5 of the classic matrix: w₁,₁ (row 0), w₀,₁ (row 2), w₀,₀ (row 3).
        #expect(printed.contains(#"{\color{blue}w_{1,1}}"#) && printed.contains(#"{\color{blue}w_{0,1}}"#) && printed.contains(#"{\color{blue}w_{0,0}}"#))
    }

    @Test func standaloneLaTeXIsADocument() throws {
        let printed = try MatrixPrinter(format: .latex, highlightedRow: 0, standalone: true).render(classic)
        #expect(printed.hasPrefix(#"\documentclass{article}"#))
        #expect(printed.contains(#"\usepackage{amsmath}"#) && printed.contains(#"\usepackage{xcolor}"#))
        #expect(printed.hasSuffix("\\end{document}\n"))
        #expect(!(try MatrixPrinter(format: .latex, standalone: true).render(classic)).contains("xcolor"))
    }

    @Test func twoChannelsAsTextWithLabelsAndBlocks() throws {
        let printer = MatrixPrinter(format: .text, labels: true, blockSeparators: true)
        let rule = String(repeating: "─", count: 55)
        #expect(
            try printer.render(twoChannels) == """
                        x0(0)   x0(1)   x0(2) │   x1(0)   x1(1)   x1(2)
                y0(0) w(0,0)₀ w(0,0)₁       · │ w(0,1)₀ w(0,1)₁       ·
                y0(1)       · w(0,0)₀ w(0,0)₁ │       · w(0,1)₀ w(0,1)₁
                \(rule)
                y1(0) w(1,0)₀ w(1,0)₁       · │ w(1,1)₀ w(1,1)₁       ·
                y1(1)       · w(1,0)₀ w(1,0)₁ │       · w(1,1)₀ w(1,1)₁

                """)
    }

    @Test func twoChannelsInLaTeXWithChannelIndicesAndBlocks() throws {
        #expect(
            try MatrixPrinter(format: .latex, blockSeparators: true).render(twoChannels) == #"""
                \renewcommand{\arraystretch}{1.3}
                \left[\begin{array}{ccc|ccc}
                  w^{(0,0)}_{0} & w^{(0,0)}_{1} & \cdot & w^{(0,1)}_{0} & w^{(0,1)}_{1} & \cdot \\
                  \cdot & w^{(0,0)}_{0} & w^{(0,0)}_{1} & \cdot & w^{(0,1)}_{0} & w^{(0,1)}_{1} \\
                  \hline \rule{0pt}{3ex}w^{(1,0)}_{0} & w^{(1,0)}_{1} & \cdot & w^{(1,1)}_{0} & w^{(1,1)}_{1} & \cdot \\
                  \cdot & w^{(1,0)}_{0} & w^{(1,0)}_{1} & \cdot & w^{(1,1)}_{0} & w^{(1,1)}_{1}
                \end{array}\right]

                """#)
    }

    @Test func twoChannelsAsMarkdownWithAHighlightedRow() throws {
        #expect(
            try MatrixPrinter(format: .markdown, labels: true, highlightedRow: 1).render(twoChannels) == """
                | | x0(0) | x0(1) | x0(2) | x1(0) | x1(1) | x1(2) |
                |---|---|---|---|---|---|---|
                | **y0(0)** | w(0,0)₀ | w(0,0)₁ | · | w(0,1)₀ | w(0,1)₁ | · |
                | **y0(1)** | · | **w(0,0)₀** | **w(0,0)₁** | · | **w(0,1)₀** | **w(0,1)₁** |
                | **y1(0)** | w(1,0)₀ | w(1,0)₁ | · | w(1,1)₀ | w(1,1)₁ | · |
                | **y1(1)** | · | w(1,0)₀ | w(1,0)₁ | · | w(1,1)₀ | w(1,1)₁ |

                """)
    }

    /// Kernel 1…8 in PyTorch order: w(0,0) = [1, 2], w(0,1) = [3, 4], w(1,0) = [5, 6], w(1,1) = [7, 8].
    @Test func twoChannelsAsNumericCSV() throws {
        #expect(
            try MatrixPrinter(format: .csv).render(twoChannels, kernel: try Kernel([1, 2, 3, 4, 5, 6, 7, 8], geometry: twoChannels.convolution)) == """
                1,2,,3,4,
                ,1,2,,3,4
                5,6,,7,8,
                ,5,6,,7,8

                """)
    }

    /// Symbolic names and labels contain commas, so CSV quotes them.
    @Test func csvQuotesNamesWithCommas() throws {
        let matrix = ConvolutionOperator.convolution(try ConvolutionGeometry(inputSize: [2, 2], kernelSize: [2, 2]))
        #expect(
            try MatrixPrinter(format: .csv, labels: true).render(matrix) == """
                ,"x(0,0)","x(0,1)","x(1,0)","x(1,1)"
                "y(0,0)","w₀,₀","w₀,₁","w₁,₀","w₁,₁"

                """)
    }

    /// Cᵀ of the classic convolution: row j of Cᵀ is column j of the classic C, read off the classic matrix.
    @Test func classicTransposeWithLabels() throws {
        let printer = MatrixPrinter(format: .text, ascii: true, labels: true)
        #expect(
            try printer.render(.transposing(classic.convolution)) == """
                       y(0,0) y(0,1) y(1,0) y(1,1)
                z(0,0) w[0,0]      ·      ·      ·
                z(0,1) w[0,1] w[0,0]      ·      ·
                z(0,2) w[0,2] w[0,1]      ·      ·
                z(0,3)      · w[0,2]      ·      ·
                z(1,0) w[1,0]      · w[0,0]      ·
                z(1,1) w[1,1] w[1,0] w[0,1] w[0,0]
                z(1,2) w[1,2] w[1,1] w[0,2] w[0,1]
                z(1,3)      · w[1,2]      · w[0,2]
                z(2,0) w[2,0]      · w[1,0]      ·
                z(2,1) w[2,1] w[2,0] w[1,1] w[1,0]
                z(2,2) w[2,2] w[2,1] w[1,2] w[1,1]
                z(2,3)      · w[2,2]      · w[1,2]
                z(3,0)      ·      · w[2,0]      ·
                z(3,1)      ·      · w[2,1] w[2,0]
                z(3,2)      ·      · w[2,2] w[2,1]
                z(3,3)      ·      ·      · w[2,2]

                """)
    }

    /// Tiny and huge weights print in scientific notation; LaTeX gets it as a power of ten.
    @Test func scientificNumbersInLaTeX() throws {
        let matrix = ConvolutionOperator.convolution(try ConvolutionGeometry(inputSize: [2], kernelSize: [2]))
        #expect(
            try MatrixPrinter(format: .latex).render(matrix, kernel: try Kernel([1.5e-5, -2e20], geometry: matrix.convolution)) == #"""
                \begin{bmatrix}
                  1.5 \times 10^{-5} & -2 \times 10^{20}
                \end{bmatrix}

                """#)
    }

    /// Matrix Market of the 2-channel case, 1-based, column by column, written by hand.
    @Test func twoChannelsAsMatrixMarket() throws {
        #expect(
            try MatrixPrinter(format: .mtx).render(twoChannels) == """
                %%MatrixMarket matrix coordinate pattern general
                % ConvMatrix: convolution matrix C
                % command: convmat matrix --input 3 --kernel 2 --padding valid --in-channels 2 --out-channels 2 --format mtx
                % geometry: convolution, input 3, output 2, kernel 2, stride 1, padding_before 0, padding_after 0, dilation 1, in_channels 2, out_channels 2, groups 1
                % rows: outputs y [out_channels, positions...], columns: inputs x [in_channels, positions...], row-major, 1-based
                % weights: none, the entries are symbolic (a pattern file: positions only)
                4 6 16
                1 1
                3 1
                1 2
                2 2
                3 2
                4 2
                2 3
                4 3
                1 4
                3 4
                1 5
                2 5
                3 5
                4 5
                2 6
                4 6

                """)
    }
}
