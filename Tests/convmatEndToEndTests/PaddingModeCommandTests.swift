import Foundation
import Testing
import ConvMatrixTestSupport

/// `--padding-mode` as a user meets it on the command line: the matrix formats hold the sums of
/// taps, `--transposed` is the transpose of C, `shape` lists the copies and prints the padded
/// input, `draw sliding` writes the copies into the padding cells, `convmat cases` draws and
/// narrows the modes, and every refusal is one line with status 2.
@Suite struct PaddingModeCommandTests {
    /// Matrix Market and COO JSON of input 4, kernel 3, weights 1, 2, 4, padding 1, replicate:
    /// padded [x₀ | x₀ x₁ x₂ x₃ | x₃], so C[0, 0] = 1 + 2, C[3, 3] = 2 + 4 (by hand), 10 entries.
    @Test func numericFormatsHoldTheSums() throws {
        let base = ["matrix", "--input", "4", "--kernel", "3", "--weights", "1,2,4", "--padding", "1", "--padding-mode", "replicate"]
        let mtx = try CommandRunner.convmat(base + ["--format", "mtx"])
        #expect(mtx.status == 0, "\(mtx.error)")
        let lines = mtx.output.split(separator: "\n").filter { !$0.hasPrefix("%") }
        #expect(lines.first == "4 4 10")
        #expect(lines.contains("1 1 3.0") && lines.contains("4 4 6.0") && lines.contains("2 1 1.0"), "\(mtx.output)")
        #expect(mtx.output.contains("padding_mode replicate"), "\(mtx.output)")
        #expect(mtx.output.contains("% command: convmat matrix --input 4 --kernel 3 --padding 1 --padding-mode replicate --weights 1,2,4"), "\(mtx.output)")
        let coo = try CommandRunner.convmat(base + ["--format", "coo-json"])
        let object = try JSONSerialization.jsonObject(with: Data(coo.output.utf8)) as? [String: Any]
        #expect(object?["row"] as? [Int] == [0, 0, 1, 1, 1, 2, 2, 2, 3, 3])
        #expect(object?["col"] as? [Int] == [0, 1, 0, 1, 2, 1, 2, 3, 2, 3])
        #expect(object?["data"] as? [Double] == [3, 4, 1, 2, 4, 1, 2, 4, 1, 6])
        #expect((object?["geometry"] as? [String: Any])?["padding_mode"] as? String == "replicate")
    }

    /// `--transposed` with a padding mode prints Cᵀ of that convolution (its input gradient): the
    /// rows of C read as columns.
    @Test func transposedIsTheTransposeOfC() throws {
        let base = ["--input", "5", "--kernel", "3", "--padding", "2", "--padding-mode", "circular", "--weights", "1,2,4", "--format", "csv"]
        let c = try CommandRunner.convmat(["matrix"] + base)
        // The transposed convolution's input is C's output (7 positions); its output is C's input.
        let t = try CommandRunner.convmat(["matrix", "--transposed"] + base.map { $0 == "5" ? "7" : $0 })
        #expect(c.status == 0 && t.status == 0, "\(c.error)\(t.error)")
        let rows = c.output.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let transposedRows = t.output.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 7 && transposedRows.count == 5)
        for r in 0..<rows.count {
            for column in 0..<rows[r].count { #expect(rows[r][column] == transposedRows[column][r], "C[\(r), \(column)]") }
        }
        // Row 0 reads padded positions 0, 1, 2 = x₃, x₄, x₀ (by hand).
        #expect(rows[0] == ["4", "", "", "1", "2"])
    }

    /// `--show-padding` with a padding mode names the element each padded position copies, with or
    /// without `--labels`: reflect of 5 elements with padding 2 holds x₂ x₁ | x₀ … x₄ | x₃ x₂ (by hand).
    @Test func showPaddingNamesTheCopiedElement() throws {
        let base = ["matrix", "--input", "5", "--kernel", "3", "--padding", "2", "--padding-mode", "reflect", "--show-padding"]
        for extra in [[], ["--labels"]] {
            let printed = try CommandRunner.convmat(base + extra)
            #expect(printed.status == 0, "\(printed.error)")
            let header = printed.output.split(separator: "\n").dropFirst().first.map { $0.split(separator: " ").map(String.init) }
            #expect(header == ["x(-2)=x(2)", "x(-1)=x(1)", "x(0)", "x(1)", "x(2)", "x(3)", "x(4)", "x(5)=x(3)", "x(6)=x(2)"], "\(printed.output)")
        }
        // Zeros padding keeps its plain view unless --labels is given.
        let zeros = try CommandRunner.convmat(["matrix", "--input", "5", "--kernel", "3", "--padding", "2", "--show-padding"])
        #expect(!zeros.output.contains("x("), "\(zeros.output)")
    }

    /// `shape` lists which element each padded position holds and, with `--values`, the padded input.
    @Test func shapeShowsTheCopies() throws {
        let shape = try CommandRunner.convmat(["shape", "--input", "4", "--kernel", "3", "--padding", "2", "--padding-mode", "reflect", "--values", "1,2,3,4"])
        #expect(shape.status == 0, "\(shape.error)")
        #expect(shape.output.contains("\n  dim 0: 2 1 | 0 1 2 3 | 2 1\n"), "\(shape.output)")
        #expect(shape.output.contains("\n  3 2 1 2 3 4 3 2\n"), "\(shape.output)")
        let json = try CommandRunner.convmat(["shape", "--input", "4", "--kernel", "3", "--padding", "1", "--padding-mode", "circular", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(object?["padding_mode"] as? String == "circular")
        let twoDimensional = try CommandRunner.convmat(
            ["shape", "--input", "2x3", "--kernel", "2", "--padding", "1", "--padding-mode", "replicate", "--values", "1,2,3,4,5,6"])
        #expect(twoDimensional.output.contains("\n  1 1 2 3 3\n  1 1 2 3 3\n  4 4 5 6 6\n  4 4 5 6 6\n"), "\(twoDimensional.output)")
    }

    /// `draw sliding` writes the copied numbers into the padding (reflect of 1, 2, 3, 4 with padding
    /// 2: 3, 2 before and 3, 2 after), or with no values the element each cell copies.
    @Test func slidingPictureShowsTheCopies() throws {
        let numbers = try CommandRunner.convmat(
            ["draw", "sliding", "--input", "4", "--kernel", "3", "--padding", "2", "--padding-mode", "reflect", "--values", "1,2,3,4", "--step", "0"])
        #expect(numbers.status == 0, "\(numbers.error)")
        // The cells' numbers left to right (the window's cells carry their tap names above them).
        var cells = [Double: String]()
        for part in numbers.output.components(separatedBy: "<text class=\"cell-text\" x=\"").dropFirst() {
            guard let x = Double(part.prefix { $0 != "\"" }), let text = part.split(separator: ">").dropFirst().first?.split(separator: "<").first else {
                continue
            }
            cells[x] = String(text)
        }
        #expect(cells.keys.sorted().prefix(8).map { cells[$0] ?? "" } == ["3", "2", "1", "2", "3", "4", "3", "2"], "\(cells)")
        #expect(numbers.output.contains("padding: copies of input elements (padding_mode reflect)"))
        let names = try CommandRunner.convmat([
            "draw", "sliding", "--input", "3", "--kernel", "2", "--padding", "1", "--padding-mode", "circular", "--step", "0",
        ])
        #expect(names.output.contains(">x₂<") && names.output.contains(">x₀<"), "\(names.output)")
        let scatter = try CommandRunner.convmat(["draw", "scatter", "--input", "3", "--kernel", "2", "--padding", "1", "--padding-mode", "circular"])
        #expect(scatter.status == 2 && scatter.error.hasPrefix("error: --padding-mode = circular applies to the sliding and spy pictures"), "\(scatter.error)")
    }

    /// `convmat cases --padding-modes reflect`: every conv and conv_input_grad case whose padding is
    /// not zero carries "padding_mode": "reflect", conv_transpose none; refusals are one line.
    @Test func casesDrawAndNarrowTheModes() throws {
        let folder = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let set = folder.appendingPathComponent("reflect").path
        let written = try CommandRunner.convmat(["cases", "--random", "40", "--seed", "3", "--padding-modes", "reflect", "--output", set])
        #expect(written.status == 0, "\(written.error)")
        var reflected = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: set) {
            let text = try String(contentsOfFile: set + "/" + name, encoding: .utf8)
            if text.contains("\"op\": \"conv_transpose\"") { #expect(!text.contains("padding_mode"), "\(name)") }
            if text.contains("\"padding_mode\"") {
                #expect(text.contains("\"padding_mode\": \"reflect\""), "\(name)")
                reflected += 1
            }
        }
        #expect(reflected >= 5)
        for (arguments, message) in [
            (["--padding-modes", "mirror"], "error: --padding-modes has \"mirror\"; the modes are zeros, reflect, replicate and circular"),
            (
                ["--padding-modes", "reflect", "--layout", "tensorflow"],
                "error: --padding-modes leaves out zeros, the only padding mode of the tensorflow layout"
            ),
            (["--padding-modes", "circular", "--op", "conv_transpose"], "error: --padding-modes leaves out zeros, the only padding mode of conv_transpose"),
        ] {
            let refused = try CommandRunner.convmat(["cases", "--random", "2", "--output", folder.appendingPathComponent("x").path] + arguments)
            #expect(refused.status == 2 && refused.output.isEmpty, "\(arguments)")
            #expect(refused.error.hasPrefix(message) && refused.error.filter { $0 == "\n" }.count == 1, "\(refused.error)")
        }
    }

    /// PyTorch's limits and the flag's own syntax, refused on one line naming the flag.
    @Test func refusals() throws {
        for (arguments, message) in [
            (
                ["matrix", "--input", "3", "--kernel", "1", "--padding", "3", "--padding-mode", "reflect"],
                "error: --padding[0] = 3 must be smaller than --input[0] = 3 with --padding-mode reflect"
            ),
            (
                ["verify", "--input", "3x2", "--kernel", "1", "--padding", "0x3", "--padding-mode", "circular"],
                "error: --padding[1] = 3 must be at most --input[1] = 2 with --padding-mode circular"
            ),
            (
                ["shape", "--input", "3", "--kernel", "1", "--padding-mode", "mirror"],
                "error: --padding-mode = \"mirror\" must be zeros, reflect, replicate, circular"
            ),
            (
                ["matrix", "--input", "4", "--kernel", "2", "--padding", "1", "--padding-mode", "reflect", "--pool", "avg"],
                "error: --padding-mode = reflect does not apply to pooling"
            ),
        ] {
            let result = try CommandRunner.convmat(arguments)
            #expect(result.status == 2 && result.output.isEmpty, "\(arguments)")
            #expect(result.error.hasPrefix(message) && result.error.filter { $0 == "\n" }.count == 1, "\(result.error)")
        }
    }
}
