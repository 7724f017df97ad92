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

/// Numbers in the pictures and the spy picture's axes (contact sheets: SlidePictureTests). Expected numbers
/// come from the sources' own figures: Dumoulin & Visin's Figure 1.1 (5×5 input, 3×3 kernel,
/// output [[12, 12, 17], [10, 17, 19], [9, 6, 14]]) and Dive into Deep Learning's transposed
/// convolution of [[0, 1], [2, 3]] by [[0, 1], [2, 3]] ([[0, 0, 1], [0, 4, 6], [4, 12, 9]]).
@Suite struct NumberedPictureTests {
    typealias Element = TinyXML.Element

    private func texts(_ root: Element, _ role: String) -> [Element] { root.all.filter { $0.name == "text" && $0.attributes["class"] == role } }
    private func number(_ element: Element, _ attribute: String) -> Double { Double(element.attributes[attribute] ?? "") ?? .nan }

    static let figureInput: [Double] = [3, 3, 2, 1, 0, 0, 0, 1, 3, 1, 3, 1, 2, 2, 3, 2, 0, 0, 2, 2, 2, 0, 0, 0, 1]
    static let figureKernel: [Double] = [0, 1, 2, 2, 2, 0, 0, 1, 2]

    @Test func slidingWritesDumoulinAndVisinsNumbers() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [3, 3])
        let picture = try ConvolutionPicture(
            .sliding, of: .convolution(geometry), step: 8,
            weights: try Kernel(Self.figureKernel, geometry: geometry), values: Self.figureInput)
        let root = try TinyXML.parse(try picture.figure().svg())
        // At the last step every output is written into the output grid (x beyond the input grid).
        let outputs = texts(root, "cell-text").filter { number($0, "x") > 5 * 40 + 10 }
            .sorted { (number($0, "y"), number($0, "x")) < (number($1, "y"), number($1, "x")) }.map(\.text)
        #expect(outputs == ["12", "12", "17", "10", "17", "19", "9", "6", "14"])
        // The products of the window: y(2,2) = 14 as the sum of the nine w·x.
        #expect(texts(root, "step-equation").first?.text == "= 0·2 + 1·2 + 2·3 + 2·0 + 2·2 + 0·2 + 0·0 + 1·0 + 2·1")
        #expect(texts(root, "step-caption").first?.text.hasSuffix("= 14") == true)
    }

    @Test func scatterSumShowsValues() throws {
        let geometry = try ConvolutionGeometry(inputSize: [3, 3], kernelSize: [2, 2])
        let picture = try ConvolutionPicture(
            .scatter, of: .transposing(geometry), step: 4,
            weights: try Kernel([0, 1, 2, 3], geometry: geometry), values: [0, 1, 2, 3])
        let root = try TinyXML.parse(try picture.figure().svg())
        let cells = texts(root, "cell-text")
        // The canvas is the rightmost 3×3 grid: its columns are the three largest x positions.
        let columns = Array(Set(cells.map { number($0, "x") })).sorted().suffix(3)
        let canvas = cells.filter { columns.contains(number($0, "x")) }
            .sorted { (number($0, "y"), number($0, "x")) < (number($1, "y"), number($1, "x")) }.map(\.text)
        #expect(canvas == ["0", "0", "1", "0", "4", "6", "4", "12", "9"])
    }

    /// spy of the 4×32 C of two input channels: tick labels 0…3 on the rows and 0, 2, …, 30 on the columns, a legend, and a
    /// canvas no wider than the plot and its labels need.
    @Test func spyHasAxesAndFitsItsContent() throws {
        let op = ConvolutionOperator.convolution(try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3], inChannels: 2))
        let root = try TinyXML.parse(try ConvolutionPicture(.spy, of: op).figure().svg())
        let ticks = texts(root, "tick-label").map(\.text)
        #expect(ticks.filter { $0 == "0" }.count == 2)
        // 32 columns at 12 px: every second index is labelled (two digits need 23 px), every row.
        #expect(ticks.contains("30") && !ticks.contains("31") && ticks.contains("3"))
        #expect(texts(root, "legend").map(\.text).contains { $0.hasPrefix("channel block boundary") })
        let width = number(root, "width")
        let plot = root.all.first { $0.attributes["class"] == "matrix" }.map { number($0, "x") + number($0, "width") } ?? 0
        #expect(width <= max(plot, 310) + 10 + 1, "canvas \(width) for a plot ending at \(plot)")
    }

    /// Column-major spy moves the nonzeros as MATLAB's order does; the flip moves none.
    @Test func spyOrderAndFlip() throws {
        let op = ConvolutionOperator.convolution(try ConvolutionGeometry(inputSize: [3, 4], kernelSize: [2, 3]))
        let plain = SpyPicture(op).binnedCounts().counts
        #expect(SpyPicture(op, flip: true).binnedCounts().counts == plain)
        let columnMajor = SpyPicture(op, order: .columnMajor).binnedCounts().counts
        // Output (0,1) is row 1 row-major and row 2 column-major (outputs 2×2); input (0,1) is column 1 and column 3.
        #expect(plain[1][1] == 1 && columnMajor[2][3] == 1)
        #expect(columnMajor.joined().reduce(0, +) == plain.joined().reduce(0, +))
    }

    /// spy over the padded input: the 3×3 input, kernel 2, stride 2, padding 1 has a
    /// padded 5×5 input, so 25 columns of which 16 are padding (5 + 5 + 3 + 3: the border ring
    /// of 16 cells); every one of the 4 rows holds all 4 taps, 16 nonzeros.
    @Test func spyShowsThePadding() throws {
        let op = ConvolutionOperator.convolution(try ConvolutionGeometry(inputSize: [3, 3], kernelSize: [2, 2], stride: [2], padding: .symmetric([1])))
        let root = try TinyXML.parse(try ConvolutionPicture(.spy, of: op, showPadding: true).figure().svg())
        let bands = root.all.filter { $0.attributes["class"] == "padding" }
        let cell = number(root.all.first { $0.attributes["class"] == "matrix" }!, "width") / 25
        #expect(bands.map { number($0, "width") / cell }.reduce(0, +).rounded() == 16)
        #expect(texts(root, "caption").map(\.text).joined(separator: " ").contains("C: 4×9, 9 nonzeros; shown over the padded input: 4×25, 16 taps"))
        #expect(throws: RenderingError.self) { try ConvolutionPicture(.sliding, of: op, showPadding: true) }
    }
}
