import Testing
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
@testable import ConvMatrixRendering
import ConvMatrixTestSupport
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// Issue 22's pictures, read back from the SVG: landscape contact sheets (point 3), pictures that
/// say what they show (point 4) and the spy picture over the padded input (point 2). Every
/// expected value is worked out by hand in the test's comment.
@Suite struct SlidePictureTests {
    typealias Element = TinyXML.Element

    private func svg(_ picture: ConvolutionPicture) throws -> Element { try TinyXML.parse(try picture.figure().svg()) }
    private func number(_ element: Element, _ attribute: String) -> Double { Double(element.attributes[attribute] ?? "") ?? .nan }
    private func exactly(_ root: Element, _ name: String, _ role: String) -> [Element] {
        root.all.filter { $0.name == name && $0.attributes["class"] == role }
    }
    private func texts(_ root: Element, _ role: String) -> [String] { exactly(root, "text", role).map(\.text) }
    private func caption(_ root: Element) -> String { texts(root, "caption").joined(separator: " ") }

    /// A sheet's size, and that it is landscape on a 1280 × 905 page with no text under 12 px.
    private func checkPage(_ root: Element, _ what: String, landscape: Bool = true) -> (width: Double, height: Double) {
        let width = number(root, "width"), height = number(root, "height")
        #expect(width <= 1280 && height <= 905, "\(what): \(width)×\(height)")
        if landscape { #expect((1.0...2.2).contains(width / height), "\(what): \(width)×\(height)") }
        let sizes = root.all.filter { $0.name == "text" }.map { number($0, "font-size") }
        #expect(!sizes.isEmpty && sizes.allSatisfy { $0 >= 12 }, "\(what): \(sizes.min() ?? 0) px")
        return (width, height)
    }

    // MARK: - Point 3: landscape contact sheets

    /// The sliding example, Dumoulin & Visin's i = 5, k = 3, s = 2, p = 1 (1220×1920 as a
    /// strip): 9 steps, each a 7×7 padded input, 2 cells of gap and the 3×3 output, 12 × 7 cells. The
    /// tap names w₀,₀ need 12/1.5 · 4 = 32 px cells; three across take 3 · 12 · 32 + 2 · 24 + 20 =
    /// 1220 px ≤ 1280, three rows 108 + 3 · (7 · 32 + 30) = 870 px ≤ 905: one sheet of 3 × 3.
    @Test func slidingStepsFillOneThreeByThreeSheet() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [3, 3], stride: [2], padding: .symmetric([1]))
        let root = try svg(try ConvolutionPicture(.sliding, of: .convolution(geometry)))
        _ = checkPage(root, "sliding")
        let titles = exactly(root, "text", "step-caption")
        #expect(titles.count == 9 && texts(root, "sheet-note").isEmpty)
        #expect(Set(titles.map { number($0, "y") }).count == 3 && Set(titles.map { number($0, "x") }).count == 3)
        #expect(exactly(root, "text", "tap-name").count == 81)
    }

    /// The zero insertion (812×4518 for sheet 1 of 3): 25 steps of a 7×7 grid and the 5×5
    /// output, 14 × 7 cells, where a tap's name shares its cell with y₀,₀ or 0 and needs 12/0.3 = 40 px.
    /// Three across would be 3 · 14 · 40 + 48 + 20 = 1748 px, three rows 126 + 3 · (280 + 30) = 1056 px:
    /// too large, so 2 × 2 panels a sheet, ⌈25/4⌉ = 7 sheets, the last with step 24 alone.
    @Test func zeroInsertionSheetsAreTwoByTwo() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [3, 3], stride: [2], padding: .symmetric([1]))
        for sheet in 1...7 {
            let root = try svg(try ConvolutionPicture(.zeroInsertion, of: .transposing(geometry), sheet: sheet))
            _ = checkPage(root, "sheet \(sheet)", landscape: sheet < 7)
            #expect(exactly(root, "rect", "highlight").count == (sheet < 7 ? 4 : 1))
            #expect(texts(root, "sheet-note").first?.hasPrefix("sheet \(sheet) of 7: steps \(4 * (sheet - 1))–") == true)
            // Every tap's name is written: 9 a panel.
            #expect(exactly(root, "text", "tap-name").count == 9 * (sheet < 7 ? 4 : 1))
        }
        #expect(throws: RenderingError.self) { try ConvolutionPicture(.zeroInsertion, of: .transposing(geometry), sheet: 8).figure() }
    }

    /// The scatter, y 3×3, k = 3, s = 2 (979×3208): 9 products and the sum, each panel 3 + 3 +
    /// 7 + 4 = 17 cells wide and 7 high. y₀,₀·w₀,₀ on two lines needs 40 px cells, and then only one
    /// panel fits across (2 · 17 · 40 + 44 = 1404 px) and two down: fewer than four, so the sheet keeps
    /// the one-line names readable instead (32 px or more): the two caption lines and the sheet note leave
    /// 905 − 108 px for 3 rows, (797/3 − 30)/7 = 33 px cells: 2 across (2 · 17 · 33 + 44 = 1166 px) and 3
    /// down (108 + 3 · 261 = 891 px), 6 a sheet, 2 sheets.
    @Test func scatterStepsFillTwoSheetsOfSix() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [3, 3], stride: [2], padding: .symmetric([1]))
        for sheet in 1...2 {
            let root = try svg(try ConvolutionPicture(.scatter, of: .transposing(geometry), sheet: sheet))
            _ = checkPage(root, "scatter sheet \(sheet)", landscape: sheet == 1)
            #expect(exactly(root, "text", "step-caption").count == (sheet == 1 ? 6 : 4))
            #expect(caption(root).contains("sheet \(sheet) of 2"))
            // The y and kernel grids stay named at 12 px or more.
            #expect(texts(root, "cell-text").contains("y₀,₀") && texts(root, "cell-text").contains("w₂,₂"))
        }
    }

    /// Dumoulin & Visin's Figure 1.1 with its numbers: 5×5 input, 3×3 kernel, 9 steps of 10 × 5 cells,
    /// each value under a tap's weight (40 px cells): 3 · 10 · 40 + 68 = 1268 px across, 3 rows of
    /// 200 + 48 px: a 3 × 3 sheet whose outputs read 12 12 17 / 10 17 19 / 9 6 14.
    @Test func dumoulinAndVisinsNumbersOnOneSheet() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [3, 3])
        let picture = try ConvolutionPicture(
            .sliding, of: .convolution(geometry), weights: try Kernel(NumberedPictureTests.figureKernel, geometry: geometry),
            values: NumberedPictureTests.figureInput)
        let root = try svg(picture)
        _ = checkPage(root, "Figure 1.1")
        let outputs = texts(root, "step-caption").map { $0.split(separator: "=").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
        #expect(outputs == ["12", "12", "17", "10", "17", "19", "9", "6", "14"])
        #expect(exactly(root, "text", "tap-name").count == 81)
    }

    /// Many steps: a 20×20 input and a 3×3 kernel has 324 windows of 40 × 20 cells; one panel across
    /// at 32 px would be 1300 px, so the cells shrink to 10 px (3 · 40 · 10 + 68 = 1268 px; 3 rows of
    /// 20 · 10 + 30 px) and 9 steps fill each of 36 sheets.
    @Test func manyStepsFillNineASheet() throws {
        let geometry = try ConvolutionGeometry(inputSize: [20, 20], kernelSize: [3, 3])
        let root = try svg(try ConvolutionPicture(.sliding, of: .convolution(geometry), sheet: 36))
        #expect(texts(root, "sheet-note").first?.hasPrefix("sheet 36 of 36: steps 315–323") == true)
        #expect(texts(root, "sheet-note").first?.contains("--sheet 1 … --sheet 35") == true)
        #expect(throws: RenderingError.self) { try ConvolutionPicture(.sliding, of: .convolution(geometry), sheet: 37).figure() }
    }

    /// The widest grids: a 1-D input of 64 and a kernel of 3 makes panels of 64 + 2 + 62 = 128 cells,
    /// wider than 1260 px at 10 px a cell, so the cells go down to 4 px: nine rows of 128 · 7 + 20 =
    /// 916 px by 108 + 9 · 37 = 441 px (8 px would be 1044 × 450, wider than 2.2 : 1), 62 steps in 7 sheets.
    @Test func theWidestGridsStillShowNineSteps() throws {
        let geometry = try ConvolutionGeometry(inputSize: [64], kernelSize: [3])
        let root = try svg(try ConvolutionPicture(.sliding, of: .convolution(geometry)))
        _ = checkPage(root, "1-D 64")
        #expect(exactly(root, "text", "step-caption").count == 9)
        #expect(texts(root, "sheet-note").first?.hasPrefix("sheet 1 of 7") == true)
    }

    // MARK: - Point 4: pictures that say what they show

    /// d2l's 2×2 case, step 1 (y₀,₁): its four products land on canvas cells (0,1), (0,2), (1,1), (1,2)
    /// and read y₀,₁·w₀,₀, y₀,₁·w₀,₁, y₀,₁·w₁,₀, y₀,₁·w₁,₁ — on one line or as y₀,₁· over w.
    @Test func symbolicProductsReadYTimesW() throws {
        let geometry = try ConvolutionGeometry(inputSize: [3, 3], kernelSize: [2, 2])
        let root = try svg(try ConvolutionPicture(.scatter, of: .transposing(geometry), step: 1))
        let products = exactly(root, "rect", "product").sorted { (number($0, "y"), number($0, "x")) < (number($1, "y"), number($1, "x")) }
        #expect(products.count == 4)
        let cells = exactly(root, "text", "cell-text")
        let read = products.map { product -> String in
            let left = number(product, "x"), top = number(product, "y"), side = number(product, "width")
            return cells.filter { text in
                let x = number(text, "x"), y = number(text, "y")
                return x > left && x < left + side && y > top && y < top + side
            }.sorted { number($0, "y") < number($1, "y") }.map(\.text).joined()
        }
        #expect(read == ["y₀,₁·w₀,₀", "y₀,₁·w₀,₁", "y₀,₁·w₁,₀", "y₀,₁·w₁,₁"])
    }

    /// The last panel of the symbolic scatter counts products: its title and legend say so, and
    /// the counts of d2l's case are 1 2 1 / 2 4 2 / 1 2 1 (positions a + k, a and k in {0, 1}).
    @Test func theCountPanelIsTitledAsACount() throws {
        let geometry = try ConvolutionGeometry(inputSize: [3, 3], kernelSize: [2, 2])
        let root = try svg(try ConvolutionPicture(.scatter, of: .transposing(geometry), step: 4))
        #expect(texts(root, "step-caption") == ["count: how many products are added on each cell"])
        #expect(texts(root, "legend").contains("product y·w (last panel: how many are added)"))
        let counts = exactly(root, "text", "cell-text").filter { Int($0.text) != nil && number($0, "x") > 200 }
            .sorted { (number($0, "y"), number($0, "x")) < (number($1, "y"), number($1, "x")) }.map(\.text)
        #expect(counts == ["1", "2", "1", "2", "4", "2", "1", "2", "1"])
        // Nothing is cropped: no border in the caption, no cropped entries in the legend.
        #expect(!caption(root).contains("border") && !texts(root, "legend").contains { $0.contains("cropped") })
    }

    /// d2l's stride-2 case asked for a 5×5 output (`--output-size 5x5`): the products of
    /// [[0, 1], [2, 3]] by [[0, 1], [2, 3]] reach rows and columns 0…3 only, giving d2l's
    /// 0 0 0 1 / 0 0 2 3 / 0 2 0 3 / 4 6 6 9, and the last row and column, 9 cells, read 0; the
    /// caption says no product reaches them.
    @Test func anOutputCellNoProductReachesReadsZero() throws {
        let transposed = try TransposedConvolutionGeometry(
            inputSize: [2, 2], kernelSize: [2, 2], stride: [2], outputSize: [5, 5])
        let geometry = transposed.convolution
        let picture = try ConvolutionPicture(
            .scatter, of: .transposing(geometry), step: 4, weights: try Kernel([0, 1, 2, 3], geometry: geometry), values: [0, 1, 2, 3])
        let root = try svg(picture)
        let canvasLeft = exactly(root, "rect", "kept").map { number($0, "x") }.first ?? 0
        let sum = exactly(root, "text", "cell-text").filter { number($0, "x") > canvasLeft }
            .sorted { (number($0, "y"), number($0, "x")) < (number($1, "y"), number($1, "x")) }.map(\.text)
        #expect(sum == ["0", "0", "0", "1", "0", "0", "0", "2", "3", "0", "0", "2", "0", "3", "0", "4", "6", "6", "9", "0", "0", "0", "0", "0", "0"])
        #expect(exactly(root, "rect", "unreached").count == 9)
        #expect(caption(root).contains("No product reaches the last row and the last column of z"))
        #expect(!caption(root).contains("border"))
        let legend = texts(root, "legend")
        #expect(legend.contains("no product reaches it: 0") && !legend.contains { $0.contains("cropped") })
        #expect(texts(root, "step-caption") == ["sum: each cell of z adds up the products on it"])
    }

    /// PyTorch's ConvTranspose2d(k=3, s=2, p=1, output_padding=1), 3×3 → 6×6: the border of 1 is
    /// cropped on both sides, and products land on it, so the caption names both and the legend
    /// lists the cropped border and the cropped products.
    @Test func aCroppedBorderIsNamedWhereItExists() throws {
        let transposed = try TransposedConvolutionGeometry(
            inputSize: [3, 3], kernelSize: [3, 3], stride: [2], padding: .symmetric([1]), outputPadding: [1])
        let root = try svg(try ConvolutionPicture(.scatter, of: .transposing(transposed.convolution), step: 9))
        #expect(caption(root).contains("less a border of 1 (top/left) and 1 (bottom/right)"))
        let legend = texts(root, "legend")
        #expect(legend.contains("cropped border (padding)") && legend.contains("product cropped away"))
        #expect(exactly(root, "rect", "unreached").isEmpty)
    }

    /// Captions say only what is there: the sliding picture without padding says "no padding",
    /// and zero insertion at stride 1 inserts no zeros (Dumoulin & Visin's 2×2 → 4×4 with k = 3).
    @Test func captionsListOnlyWhatAppears() throws {
        let plain = try svg(try ConvolutionPicture(.sliding, of: .convolution(try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])), step: 0))
        #expect(caption(plain).contains("no padding") && !caption(plain).contains("0+0"))
        #expect(!texts(plain, "legend").contains("zero padding"))
        let unit = try svg(
            try ConvolutionPicture(.zeroInsertion, of: .transposing(try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])), step: 0))
        #expect(caption(unit).contains("no zeros inserted (stride 1)") && caption(unit).contains("padding d(k − 1) − p = 2 on each side"))
        #expect(!caption(unit).contains("zero(s)") && !texts(unit, "legend").contains("inserted zero"))
    }

    /// Panel (b) of the dilation picture, 7×7, k = 3, d = 2, s = 2: the transposed input y is 2×2,
    /// and its four cells are named y₀,₀ y₀,₁ y₁,₀ y₁,₁ at 12 px or more.
    @Test func dilationPanelBNamesItsInputs() throws {
        let geometry = try ConvolutionGeometry(inputSize: [7, 7], kernelSize: [3, 3], stride: [2], dilation: [2])
        let root = try svg(try ConvolutionPicture(.dilation, of: .convolution(geometry)))
        let names = exactly(root, "text", "cell-text").filter { $0.text.hasPrefix("y") }
        #expect(names.map(\.text).sorted() == ["y₀,₀", "y₀,₁", "y₁,₀", "y₁,₁"])
        #expect(names.allSatisfy { number($0, "font-size") >= 12 })
        #expect(caption(root).contains("s − 1 = 1 zero inserted between neighbours of y"))
        #expect(texts(root, "legend").contains("input: x in (a), y in (b)"))
    }

    // MARK: - Point 2: spy over the padded output

    /// PyTorch's ConvTranspose1d(k=3, stride=2, padding=1, output_padding=1) on 3 inputs: Cᵀ is 6×3
    /// with 8 nonzeros, over the padded output 8×3 with 9 taps. Its rows are labelled z(−1) … z(6);
    /// z(−1) and z(6) are cropped (grey), z(5) is the row output_padding adds (teal).
    @Test func spyLabelsRowsByTheirPaddedPositions() throws {
        let transposed = try TransposedConvolutionGeometry(inputSize: [3], kernelSize: [3], stride: [2], padding: .symmetric([1]), outputPadding: [1])
        let root = try svg(try ConvolutionPicture(.spy, of: .transposed(transposed), showPadding: true))
        #expect(caption(root).hasPrefix("Cᵀ: 6×3, 8 nonzeros; shown over the padded output: 8×3, 9 taps."))
        let rows = exactly(root, "text", "tick-label").filter { $0.text.hasPrefix("z") }.map(\.text)
        #expect(rows == ["z(−1)", "z(0)", "z(1)", "z(2)", "z(3)", "z(4)", "z(5)", "z(6)"])
        let matrix = try #require(exactly(root, "rect", "matrix").first)
        let side = number(matrix, "height") / 8
        let band = { (role: String) in exactly(root, "rect", role).map { Int(((number($0, "y") - number(matrix, "y")) / side).rounded()) } }
        #expect(band("padding") == [0, 7] && band("output-padding") == [6])
        let legend = texts(root, "legend")
        #expect(legend.contains("rows the padding crops: computed, then cut off") && legend.contains("rows output_padding adds at the end"))
    }

    /// The 3×3 input, kernel 2, stride 2, padding 1 of the issue: C is 4×9 with 9 nonzeros, shown over
    /// the padded 5×5 input as 4×25 with 16 taps; its columns are labelled x(−1,−1) … (every 5th:
    /// x(−1,−1), x(0,−1), x(1,−1), x(2,−1), x(3,−1)), and the legend names the padding columns.
    @Test func spyLabelsColumnsByTheirPaddedPositions() throws {
        let op = ConvolutionOperator.convolution(try ConvolutionGeometry(inputSize: [3, 3], kernelSize: [2, 2], stride: [2], padding: .symmetric([1])))
        let root = try svg(try ConvolutionPicture(.spy, of: op, showPadding: true))
        #expect(caption(root).hasPrefix("C: 4×9, 9 nonzeros; shown over the padded input: 4×25, 16 taps."))
        let columns = exactly(root, "text", "tick-label").filter { $0.text.hasPrefix("x") }.map(\.text)
        #expect(columns == ["x(−1,−1)", "x(0,−1)", "x(1,−1)", "x(2,−1)", "x(3,−1)"])
        #expect(texts(root, "legend").contains("padding columns: the taps on them multiply zeros"))
        #expect(exactly(root, "rect", "output-padding").isEmpty && !texts(root, "legend").contains { $0.contains("output_padding") })
    }
}
