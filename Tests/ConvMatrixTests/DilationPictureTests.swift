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

/// Panel (b) of the dilation picture, read back from the SVG as a viewer paints
/// it: the last filled shape over a point wins. Panel (b) is the transposed
/// convolution of the same layer: its input padded by d·(k − 1), read by the
/// same dilated kernel, so the window at the top-left corner spans
/// d·(k − 1) + 1 cells and covers padding everywhere except its bottom-right
/// cell, which is the first input value (q = (0, 0)) and must stay blue under
/// the window's outline and its tap dot.
@Suite struct DilationPictureTests {
    typealias Element = TinyXML.Element

    private func number(_ element: Element, _ attribute: String) -> Double { Double(element.attributes[attribute] ?? "") ?? .nan }

    /// The class and fill of the topmost filled rectangle or circle under (x, y), in painting order.
    private func paintedAt(_ root: Element, _ x: Double, _ y: Double) -> (role: String, fill: String)? {
        let hit = root.all.last { element in
            guard let fill = element.attributes["fill"], fill != "none" else { return false }
            switch element.name {
            case "rect":
                let left = number(element, "x"), top = number(element, "y")
                return left <= x && x <= left + number(element, "width") && top <= y && y <= top + number(element, "height")
            case "circle":
                let dx = x - number(element, "cx"), dy = y - number(element, "cy"), r = number(element, "r")
                return dx * dx + dy * dy <= r * r
            default:
                return false
            }
        }
        return hit.map { ($0.attributes["class"] ?? "", $0.attributes["fill"] ?? "") }
    }

    /// The dilated-versus-transposed comparison's 7×7 input, 3×3 kernel, d = 2, s = 2 (the gallery's figure), and the
    /// 1-D 7, k = 3, d = 2: in each, panel (b)'s window covers `rows`×5 cells (span 2·(3 − 1) + 1 = 5), and only
    /// the bottom-right one, at (rows − 1, 4), is input (blue #9ECAE1); the rest are padding (#D9D9D9).
    @Test(arguments: [([7, 7], [3, 3], [2], 5), ([7], [3], [1], 1)])
    func inputUnderTheTransposedWindowKeepsItsFill(input: [Int], kernel: [Int], stride: [Int], rows: Int) throws {
        let geometry = try ConvolutionGeometry(inputSize: input, kernelSize: kernel, stride: stride, dilation: [2])
        let root = try TinyXML.parse(try DilationPicture(geometry: geometry).figure().svg())
        let windows = root.all.filter { $0.name == "rect" && $0.attributes["class"] == "window" }
        #expect(windows.count == 2)
        let window = try #require(windows.last)
        let side = number(window, "width") / 5
        #expect(number(window, "height") == Double(rows) * side)
        // The taps sit d = 2 apart: 3 per row of the window, on every other row.
        let taps = root.all.filter { $0.name == "circle" && $0.attributes["class"] == "tap" }
        #expect(taps.count == 2 * (rows == 1 ? 3 : 9))
        for r in 0..<rows {
            for c in 0..<5 {
                // A point inside the cell but clear of the centred tap dot (radius 0.22 of a side).
                let x = number(window, "x") + (Double(c) + 0.15) * side, y = number(window, "y") + (Double(r) + 0.15) * side
                let painted = try #require(paintedAt(root, x, y))
                let isInput = r == rows - 1 && c == 4
                #expect(painted.role == (isInput ? "input" : "padding"), "cell (\(r), \(c))")
                #expect(painted.fill == (isInput ? "#9ECAE1" : "#D9D9D9"), "cell (\(r), \(c))")
            }
        }
    }

    /// Panel (b) is the transposed convolution of the same layer: its grid is the zero-inserted
    /// input plus d·(k − 1) on each side, (2 − 1)·2 + 1 + 2·4 = 11 cells for the gallery's figure,
    /// and the caption says it maps 2×2 back to 7×7.
    @Test func panelBIsTheTransposeOfTheSameLayer() throws {
        let geometry = try ConvolutionGeometry(inputSize: [7, 7], kernelSize: [3, 3], stride: [2], dilation: [2])
        let svg = try DilationPicture(geometry: geometry).figure().svg()
        #expect(svg.contains("(b) its transposed convolution, 2×2 → 7×7"))
        #expect(svg.contains("padding d(k − 1) − p = 4 before"))
        let root = try TinyXML.parse(svg)
        #expect(root.all.filter { $0.name == "rect" && ["input", "padding", "zero"].contains($0.attributes["class"] ?? "") }.count == 7 * 7 + 11 * 11)
    }
}
