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

/// The pictures, read back as XML: counts of cells of each kind, where the
/// window and the highlighted output are, and what the animation frames
/// hold — for several geometries from the textbooks, with the expected numbers
/// worked out by hand in each test.
@Suite struct PictureTests {
    typealias Element = TinyXML.Element

    private func svg(_ figure: Figure) throws -> Element { try TinyXML.parse(figure.svg()) }
    private func number(_ element: Element, _ attribute: String) -> Double { Double(element.attributes[attribute] ?? "") ?? .nan }
    /// Elements whose class is exactly `role` (not a longer class list containing it).
    private func exactly(_ root: Element, _ name: String, _ role: String) -> [Element] {
        root.all.filter { $0.name == name && $0.attributes["class"] == role }
    }
    private func sortedByPosition(_ elements: [Element]) -> [Element] {
        elements.sorted { (number($0, "y"), number($0, "x")) < (number($1, "y"), number($1, "x")) }
    }

    /// Dumoulin & Visin's 4×4 input and 3×3 kernel: 4 windows, so 4 panels of 16 input cells,
    /// 4 windows, 4 highlighted outputs and 9 named taps per window.
    @Test func slidingContactSheetForTheSeedsExample() throws {
        let root = try svg(try SlidingPicture(geometry: try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])).figure())
        #expect(root.name == "svg")
        #expect(exactly(root, "rect", "input").count == 64)
        #expect(exactly(root, "rect", "padding").isEmpty)
        #expect(exactly(root, "rect", "window").count == 4)
        #expect(exactly(root, "rect", "highlight").count == 4)
        #expect(exactly(root, "text", "tap-name").count == 36)
        #expect(exactly(root, "text", "step-caption").map(\.text) == ["step 0: y(0,0)", "step 1: y(0,1)", "step 2: y(1,0)", "step 3: y(1,1)"])
    }

    /// Step 3 is output (1, 1): the window starts at input cell (1, 1), three cells wide,
    /// and the highlight sits on the last of the 2×2 output cells.
    @Test func oneStepPutsTheWindowAndTheHighlightInPlace() throws {
        let root = try svg(try SlidingPicture(geometry: try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])).figure(step: 3))
        let inputs = sortedByPosition(exactly(root, "rect", "input"))
        let outputs = sortedByPosition(exactly(root, "rect", "output"))
        let window = try #require(exactly(root, "rect", "window").first)
        let highlight = try #require(exactly(root, "rect", "highlight").first)
        let side = number(inputs[0], "width")
        #expect(inputs.count == 16 && outputs.count == 4)
        #expect(number(window, "x") == number(inputs[5], "x") && number(window, "y") == number(inputs[5], "y"))
        #expect(number(window, "width") == 3 * side && number(window, "height") == 3 * side)
        #expect(number(highlight, "x") == number(outputs[3], "x") && number(highlight, "y") == number(outputs[3], "y"))
    }

    /// TensorFlow, TensorFlow SAME with a 5×5 input, 2×2 kernel, stride 2: total padding 1 per
    /// dimension, all of it at the bottom/right, so the padded input is 6×6 with 6 + 6 − 1 = 11
    /// extra cells; the last window (step 8) starts at input cell (4, 4).
    @Test func sameShowsTheExtraPaddingAtTheEnd() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [2, 2], stride: [2], padding: .same)
        let root = try svg(try SlidingPicture(geometry: geometry).figure(step: 8))
        let inputs = sortedByPosition(exactly(root, "rect", "input"))
        #expect(inputs.count == 25)
        #expect(exactly(root, "rect", "padding extra").count == 11)
        #expect(exactly(root, "rect", "padding").isEmpty)
        #expect(exactly(root, "rect", "output").count == 9)
        let window = try #require(exactly(root, "rect", "window").first)
        #expect(number(window, "x") == number(inputs[24], "x") && number(window, "y") == number(inputs[24], "y"))
        #expect(exactly(root, "text", "caption").contains { $0.text.contains("0+1, 0+1") })
    }

    /// TensorFlow, VALID with the same 5×5 input: windows cover rows and columns 0–3 only, so
    /// the last row and column, 5 + 5 − 1 = 9 cells, are dropped (orange in the TensorFlow padding notes).
    @Test func validDropsWhatNoWindowReads() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [2, 2], stride: [2])
        let root = try svg(try SlidingPicture(geometry: geometry).figure(step: 0))
        #expect(exactly(root, "rect", "input").count == 16)
        #expect(exactly(root, "rect", "dropped").count == 9)
    }

    /// A dilated 1-D kernel: taps 2 apart, each outlined, the window dashed over 5 cells.
    @Test func dilatedWindowsOutlineEachTap() throws {
        let geometry = try ConvolutionGeometry(inputSize: [6], kernelSize: [3], dilation: [2])
        let root = try svg(try SlidingPicture(geometry: geometry).figure(step: 1))
        let window = try #require(exactly(root, "rect", "window").first)
        let side = number(try #require(exactly(root, "rect", "input").first), "width")
        #expect(number(window, "width") == 5 * side && window.attributes["stroke-dasharray"] != nil)
        #expect(exactly(root, "rect", "tap").filter { $0.attributes["stroke"] != nil }.count == 3)
        #expect(exactly(root, "text", "tap-name").map(\.text) == ["w₀", "w₁", "w₂"])
    }

    /// An animation holds one frame per window, each with exactly one highlight; frame 0 is
    /// visible without SMIL, and frame 4 of 9 is shown from 4/9 to 5/9 of the cycle.
    @Test func animationHasOneFramePerStep() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [3, 3], stride: [2], padding: .symmetric([1]))
        let root = try svg(try SlidingPicture(geometry: geometry).figure(animated: true))
        let frames = root.children.filter { $0.attributes["class"] == "frame" }
        #expect(frames.count == 9)
        #expect(frames.map { $0.attributes["visibility"] ?? "" } == ["visible"] + Array(repeating: "hidden", count: 8))
        for frame in frames {
            #expect(frame.children.filter { $0.name == "animate" }.count == 1)
            #expect(exactly(frame, "rect", "highlight").count == 1)
        }
        #expect(frames[4].children.first?.attributes["keyTimes"] == "0;0.44;0.56")
        #expect(exactly(root, "rect", "padding").count == 49 - 25)
    }

    /// Dumoulin & Visin's first transposed example: y 2×2 to z 4×4 is a convolution of y padded by
    /// k − 1 = 2 on every side: a 6×6 grid with 4 values, no inserted zeros, 32 padding cells.
    @Test func zeroInsertionWithUnitStrideOnlyPads() throws {
        let root = try svg(try ZeroInsertionPicture(geometry: try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])).figure(step: 0))
        #expect(exactly(root, "rect", "input").count == 4)
        #expect(exactly(root, "rect", "zero").isEmpty)
        #expect(exactly(root, "rect", "padding").count == 32)
        #expect(exactly(root, "rect", "output").count == 16)
    }

    /// Dumoulin & Visin's i = 5, k = 3, s = 2, p = 1: y 3×3 gets one zero between neighbours (5×5,
    /// 16 zeros) and padding k − p − 1 = 1 (7×7). z(1,1) reads, with the flipped kernel,
    /// w₂,₂·y₀,₀ + w₂,₀·y₀,₁ + w₀,₂·y₁,₀ + w₀,₀·y₁,₁ (the taps of C's column for x(1,1)).
    @Test func zeroInsertionForStrideTwo() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [3, 3], stride: [2], padding: .symmetric([1]))
        let root = try svg(try ZeroInsertionPicture(geometry: geometry).figure(step: 6))
        #expect(exactly(root, "rect", "input").count == 9)
        #expect(exactly(root, "rect", "zero").count == 16)
        #expect(exactly(root, "rect", "padding").count == 24)
        let names = exactly(root, "text", "tap-name"), under = exactly(root, "text", "cell-text")
        var pairs = Set<String>()
        for name in names {
            let below = under.filter { number($0, "x") == number(name, "x") && number($0, "y") > number(name, "y") }
                .min { number($0, "y") < number($1, "y") }
            if let below, below.text.hasPrefix("y"), number(below, "y") - number(name, "y") < 25 { pairs.insert("\(name.text)·\(below.text)") }
        }
        #expect(pairs == ["w₂,₂·y₀,₀", "w₂,₀·y₀,₁", "w₀,₂·y₁,₀", "w₀,₀·y₁,₁"])
    }

    /// Padding larger than k − 1 makes the equivalent padding negative: 1-D input 4, kernel 3,
    /// padding 3 gives y of length 8 read only at 1…6, so its first and last values are cropped.
    @Test func zeroInsertionWithNegativePaddingCrops() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4], kernelSize: [3], padding: .symmetric([3]))
        let root = try svg(try ZeroInsertionPicture(geometry: geometry).figure(step: 0))
        #expect(exactly(root, "rect", "dropped").count == 2)
        #expect(exactly(root, "rect", "input").count == 6)
        #expect(exactly(root, "rect", "padding").isEmpty)
    }

    /// Dive into Deep Learning's example: y 2×2, kernel 2×2, stride 1. The sum counts how many
    /// products land on each cell of the 3×3 output: 1 2 1 / 2 4 2 / 1 2 1.
    @Test func scatterSumsTheProducts() throws {
        let picture = ScatterPicture(geometry: try ConvolutionGeometry(inputSize: [3, 3], kernelSize: [2, 2]))
        let step = try svg(try picture.figure(step: 1))
        #expect(exactly(step, "rect", "product").count == 4)
        #expect(exactly(step, "rect", "highlight").count == 1)
        let sum = try svg(try picture.figure(step: 4))
        let products = sortedByPosition(exactly(sum, "rect", "product"))
        #expect(products.count == 9)
        let counts = sortedByPosition(exactly(sum, "text", "cell-text").filter { Int($0.text) != nil }).map(\.text)
        #expect(counts == ["1", "2", "1", "2", "4", "2", "1", "2", "1"])
        #expect(throws: RenderingError.self) { try picture.figure(step: 5) }
    }

    /// d2l with stride 2: the four products do not overlap on the 4×4 output.
    @Test func scatterWithStrideTwoDoesNotOverlap() throws {
        let picture = ScatterPicture(geometry: try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [2, 2], stride: [2]))
        let sum = try svg(try picture.figure(step: 4))
        let counts = exactly(sum, "text", "cell-text").filter { Int($0.text) != nil }.map(\.text)
        #expect(counts == Array(repeating: "1", count: 16))
        let sheet = try svg(try picture.figure())
        #expect(exactly(sheet, "text", "step-caption").count == 5)
    }

    /// Padding 1 on y 2×2 with a 2×2 kernel (d2l): the 3×3 sum loses its border, 8 cells, leaving 1×1.
    @Test func scatterCropsThePadding() throws {
        let picture = ScatterPicture(geometry: try ConvolutionGeometry(inputSize: [1, 1], kernelSize: [2, 2], padding: .symmetric([1])))
        let sum = try svg(try picture.figure(step: 4))
        #expect(exactly(sum, "rect", "cropped").count == 8)
        #expect(exactly(sum, "rect", "empty").count == 1)
        #expect(exactly(sum, "rect", "product cropped").count == 8)
        #expect(exactly(sum, "rect", "product").count == 1)
    }

    /// The dilated-versus-transposed comparison for a 7×7 input, 3×3 kernel, dilation 2, stride 2: (a) 9 taps on
    /// the unchanged 49 inputs; (b) the transposed convolution of the same layer: the 2×2 output with one zero
    /// between values is 3×3 (4 values, 5 zeros), padded by d·(k − 1) = 4 to 11×11 (112 padding cells), read by
    /// the same dilated kernel, so both windows are dashed (their taps are 2 apart).
    @Test func dilationAgainstZeroInsertion() throws {
        let geometry = try ConvolutionGeometry(inputSize: [7, 7], kernelSize: [3, 3], stride: [2], dilation: [2])
        let root = try svg(try DilationPicture(geometry: geometry).figure())
        #expect(exactly(root, "circle", "tap").count == 18)
        #expect(exactly(root, "rect", "input").count == 49 + 4)
        #expect(exactly(root, "rect", "zero").count == 5)
        #expect(exactly(root, "rect", "padding").count == 11 * 11 - 9)
        #expect(exactly(root, "rect", "window").map { $0.attributes["stroke-dasharray"] != nil } == [true, true])
    }

    /// The spy plot of Dumoulin & Visin's 4×16 C: one cell per entry, nonzero exactly where their matrix has a w.
    @Test func spyOfTheSeedMatrix() throws {
        let (counts, factor) = SpyPicture(.convolution(try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3]))).binnedCounts()
        #expect(factor == 1)
        let published = [
            "1110111011100000",
            "0111011101110000",
            "0000111011101110",
            "0000011101110111",
        ]
        #expect(counts.map { $0.map(String.init).joined() } == published)
        let transposed = SpyPicture(.transposing(try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3]))).binnedCounts().counts
        #expect(transposed.count == 16 && transposed.allSatisfy { $0.count == 4 })
        #expect((0..<16).allSatisfy { c in (0..<4).allSatisfy { r in transposed[c][r] == counts[r][c] } })
    }

    /// Downsampled spy plots count every nonzero once, in the bin of its (row, column): checked
    /// against C as the core builds it (ColumnWriter), an independent route, with channels,
    /// groups, stride, dilation and asymmetric padding.
    @Test func spyBinsMatchTheBuiltMatrix() throws {
        let geometry = try ConvolutionGeometry(
            inputSize: [9, 7], kernelSize: [3, 2], stride: [2, 1], dilation: [1, 2],
            padding: .explicit(before: [1, 0], after: [2, 1]), inChannels: 4, outChannels: 6, groups: 2)
        for transposed in [false, true] {
            let picture = SpyPicture(transposed ? .transposing(geometry) : .convolution(geometry), pixels: 40)
            let (counts, factor) = picture.binnedCounts()
            #expect(factor > 1)
            var expected = [[Int]](repeating: [Int](repeating: 0, count: counts.first?.count ?? 0), count: counts.count)
            for entry in ConvolutionMatrix(geometry: geometry).entries {
                let (r, c) = transposed ? (entry.column, entry.row) : (entry.row, entry.column)
                expected[r / factor][c / factor] += 1
            }
            #expect(counts == expected)
        }
    }

    /// A spy figure draws channel blocks: 6 output and 4 input channels give 5 + 3 lines, and
    /// 2 groups give 2 dashed group outlines.
    @Test func spyOutlinesChannelBlocksAndGroups() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [3, 3], inChannels: 4, outChannels: 6, groups: 2)
        let root = try svg(SpyPicture(.convolution(geometry)).figure())
        #expect(exactly(root, "line", "block").count == 8)
        #expect(exactly(root, "rect", "group").count == 2)
    }

    /// Pictures are for 1-D and 2-D; a 3-D geometry is refused with a message, not drawn wrong.
    @Test func threeDimensionsAreRefused() throws {
        let geometry = try ConvolutionGeometry(inputSize: [4, 4, 4], kernelSize: [3])
        #expect(throws: RenderingError.self) { try SlidingPicture(geometry: geometry).figure(step: 0) }
        #expect(SpyPicture(.convolution(geometry)).binnedCounts().counts.joined().reduce(0, +) == geometry.nonzeroCount)
    }

    /// The XML checker must be able to fail, or the well-formedness checks above prove nothing.
    @Test(arguments: [
        "<svg><rect></svg>", "<svg a=\"1\" a=\"2\"/>", "<svg>x & y</svg>", "<svg>1 < 2</svg>",
        "<svg/><svg/>", "<svg a=1/>", "<svg>&nbsp;</svg>", "<svg>",
    ])
    func xmlCheckerRejectsMalformedDocuments(text: String) {
        #expect(throws: TinyXML.Failure.self) { try TinyXML.parse(text) }
    }

    @Test func textIsEscapedForXML() throws {
        var figure = Figure(width: 10, height: 10)
        figure.text("a < b & \"c\"", 0, 0)
        let root = try TinyXML.parse(figure.svg())
        #expect(exactly(root, "text", "label").first?.text == "a < b & \"c\"")
    }

    /// Labels written in Unicode become LaTeX that pdflatex understands.
    @Test func labelsBecomeLaTeX() {
        #expect(latexText("w₀,₂ × y₁") == "w$_{0,2}$ $\\times$ y$_{1}$")
        #expect(latexText("z = Cᵀy, 50% & #1") == "z = C$^{\\mathsf{T}}$y, 50\\% \\& \\#1")
        #expect(latexText("w₀, x") == "w$_{0}$, x")
    }
}
