import Foundation
import Testing

/// `convmat draw` and the refusals of `convmat matrix`, run as a user would.
@Suite struct DrawCommandTests {
    @Test func drawsEveryPictureAsSVGAndTikZ() throws {
        let geometry = ["--input", "5x5", "--kernel", "3", "--stride", "2", "--padding", "1"]
        for picture in ["sliding", "scatter", "zero-insertion", "dilation", "spy"] {
            let svg = try RenderingFixtures.convmat(["draw", picture] + geometry)
            #expect(svg.status == 0 && svg.error.isEmpty, "\(picture): \(svg.error)")
            let root = try TinyXML.parse(svg.output)
            #expect(root.name == "svg" && root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
            let tikz = try RenderingFixtures.convmat(["draw", picture, "--format", "tikz"] + geometry)
            #expect(tikz.status == 0 && tikz.output.hasPrefix("\\begin{tikzpicture}") && tikz.output.hasSuffix("\\end{tikzpicture}\n"))
        }
    }

    @Test func animatedSVGFromTheCommandLine() throws {
        let result = try RenderingFixtures.convmat(["draw", "scatter", "--input", "2x2", "--kernel", "2", "--stride", "2", "--transposed", "--animate"])
        #expect(result.status == 0)
        // Four products and the sum: five frames.
        #expect(try TinyXML.parse(result.output).children.filter { $0.attributes["class"] == "frame" }.count == 5)
    }

    @Test(arguments: [
        (["draw", "sliding", "--input", "4x4", "--kernel", "3", "--step", "4"], "--step = 4 must be between 0 and 3"),
        (["draw", "sliding", "--input", "4x4x4", "--kernel", "3"], "--input has 3 spatial dimensions; pictures are drawn for 1-D and 2-D"),
        (["draw", "spy", "--input", "4x4", "--kernel", "3", "--animate"], "--animate applies to sliding, scatter and zero-insertion"),
        (["draw", "sliding", "--input", "2x2", "--kernel", "3", "--transposed"], "sliding draws a convolution"),
        (["draw", "sliding", "--input", "20x20", "--kernel", "3"], "324 windows are too many for one contact sheet"),
        (["draw", "blur", "--input", "4x4", "--kernel", "3"], "blur"),
        (["draw", "zero-insertion", "--input", "40x40", "--kernel", "3", "--stride", "2", "--transposed", "--step", "0"], "too large to draw cell by cell"),
        (["draw", "spy", "--input", "4x4", "--kernel", "3", "--pixels", "8"], "--pixels = 8 must be between 16 and 2000"),
        (["matrix", "--input", "20x20", "--kernel", "3"], "the matrix is 324×400, too large to print"),
        (["matrix", "--input", "4x4", "--kernel", "3", "--highlight-row", "4", "--format", "latex"], "--highlight-row = 4 must be between 0 and 3"),
        (["matrix", "--input", "4x4", "--kernel", "3", "--labels", "--format", "latex"], "--labels does not apply to --format latex"),
        (["matrix", "--input", "4x4", "--kernel", "3", "--check", "/nonexistent/c.mtx"], "/nonexistent/c.mtx: cannot be read"),
    ])
    func badRequestsAreRefusedOnOneLine(arguments: [String], message: String) throws {
        let result = try RenderingFixtures.convmat(arguments)
        #expect(result.status == 2)
        #expect(result.output.isEmpty)
        #expect(result.error.hasPrefix("error: ") && result.error.contains(message), "\(result.error)")
        #expect(result.error.split(separator: "\n").count == 1)
    }

    /// The size guard points to the picture that works at any size, and --force overrides it.
    @Test func largeMatricesSuggestSpy() throws {
        let refused = try RenderingFixtures.convmat(["matrix", "--input", "20x20", "--kernel", "3"])
        #expect(refused.error.contains("convmat draw spy"))
        let forced = try RenderingFixtures.convmat(["matrix", "--input", "20x20", "--kernel", "3", "--force"])
        #expect(forced.status == 0)
        // The header plus 324 rows.
        #expect(forced.output.split(separator: "\n").count == 1 + 324)
    }
}
