import Foundation
import Testing
import ConvMatrixTestSupport

private let pdflatex = CommandRunner.tool("pdflatex")

/// `--fit slide` as a lecturer uses it: `convmat matrix --format latex` and
/// `convmat draw --format tikz` pasted into a default beamer frame
/// (`\documentclass{beamer}` with amsmath, tikz and xcolor) and compiled by
/// pdflatex, whose log must report no overfull box (issue 22).
@Suite struct SlideFitTests {
    /// The frame around `fragment`: display math for a matrix, as it is for a picture.
    private func frame(_ fragment: String, math: Bool) -> String {
        """
        \\documentclass{beamer}
        \\usepackage{amsmath}
        \\usepackage{tikz}
        \\usepackage{xcolor}
        \\begin{document}
        \\begin{frame}
        \(math ? "\\[\n\(fragment)\\]" : fragment)
        \\end{frame}
        \\end{document}

        """
    }

    /// pdflatex's verdict on `document`: whether it compiled, and every overfull box it reported.
    private func compile(_ document: String) throws -> (compiled: Bool, overfull: [String]) {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try document.write(to: directory.appendingPathComponent("slide.tex"), atomically: true, encoding: .utf8)
        let result = try CommandRunner.execute(try #require(pdflatex), ["-interaction=nonstopmode", "-halt-on-error", "slide.tex"], directory: directory)
        let log = (try? String(contentsOf: directory.appendingPathComponent("slide.log"), encoding: .utf8)) ?? result.output
        let overfull = log.split(separator: "\n").filter { $0.hasPrefix("Overfull \\hbox") || $0.hasPrefix("Overfull \\vbox") }.map(String.init)
        return (result.status == 0 && FileManager.default.fileExists(atPath: directory.appendingPathComponent("slide.pdf").path), overfull)
    }

    static let matrices: [[String]] = [
        ["--input", "4x4", "--kernel", "3"],
        ["--input", "4x4", "--kernel", "3", "--labels"],
        ["--input", "2x2", "--kernel", "3", "--transposed"],
        ["--input", "2x2", "--kernel", "3", "--transposed", "--labels"],
        ["--input", "4x4", "--kernel", "2", "--weights", "0.25,-0.5,1,2"],
        ["--input", "4x4", "--kernel", "2", "--weights", "1,2,3,4", "--labels"],
        ["--input", "3x3", "--kernel", "2", "--stride", "2", "--padding", "1", "--show-padding", "--labels"],
        ["--input", "3", "--kernel", "3", "--stride", "2", "--padding", "1", "--output-padding", "1", "--transposed", "--show-padding", "--labels"],
        ["--input", "4x4", "--kernel", "3", "--of", "weights", "--labels"],
        ["--input", "3x3", "--kernel", "2", "--stride", "2", "--padding", "1", "--of", "weights", "--show-padding", "--labels"],
        ["--input", "3x3", "--kernel", "2", "--padding", "1", "--padding-mode", "reflect", "--of", "weights", "--show-padding"],
        ["--input", "3", "--kernel", "2", "--in-channels", "2", "--out-channels", "2", "--of", "weights", "--values", "1,2,3,4,5,6,7,8,9,10,11,12"],
    ]

    @Test(
        .enabled(
            if: pdflatex != nil,
            "pdflatex is not installed (Debian: texlive-latex-base texlive-latex-recommended texlive-pictures); beamer checks skipped"),
        arguments: matrices)
    func matrixFitsABeamerFrame(arguments: [String]) throws {
        let result = try CommandRunner.convmat(["matrix", "--format", "latex", "--fit", "slide"] + arguments)
        #expect(result.status == 0 && result.error.isEmpty, "\(result.error)")
        for shrinking in ["\\resizebox", "\\scalebox", "\\tiny", "\\scriptscriptstyle"] {
            #expect(!result.output.contains(shrinking), "\(arguments): \(shrinking)")
        }
        let verdict = try compile(frame(result.output, math: true))
        #expect(verdict.compiled, "\(arguments)")
        #expect(verdict.overfull.isEmpty, "\(arguments): \(verdict.overfull)\n\(result.output)")
    }

    /// The marks of `--show-padding` get a legend under the matrix, with and without `--fit`:
    /// PyTorch's ConvTranspose1d(k=3, stride=2, padding=1, output_padding=1) has cropped rows
    /// z(−1) and z(6) (grey) and the row z(5) that output_padding adds (teal), so two lines; C of
    /// the 1-D input 3, kernel 2, stride 2, padding 1 has padding columns only, so one line.
    @Test(.enabled(if: pdflatex != nil, "pdflatex is not installed; beamer checks skipped"))
    func paddingMarksHaveALegend() throws {
        let transposed = ["--input", "3", "--kernel", "3", "--stride", "2", "--padding", "1", "--output-padding", "1", "--transposed"]
        for fit in [[], ["--fit", "slide"]] {
            let result = try CommandRunner.convmat(["matrix", "--format", "latex", "--show-padding", "--labels"] + transposed + fit)
            let legend = result.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.hasPrefix("\\text{\\scriptsize\\textcolor") }
            #expect(legend.count == 2, "\(fit): \(result.output)")
            #expect(legend.first?.contains("{gray}") == true && legend.first?.contains("rows the padding crops") == true)
            #expect(legend.last?.contains("{teal}") == true && legend.last?.contains("rows output\\_padding adds") == true)
            let verdict = try compile(frame(result.output, math: true))
            #expect(verdict.compiled && verdict.overfull.isEmpty, "\(fit): \(verdict.overfull)")
        }
        let convolution = try CommandRunner.convmat([
            "matrix", "--input", "3", "--kernel", "2", "--stride", "2", "--padding", "1", "--show-padding", "--format", "latex",
        ])
        let lines = convolution.output.split(separator: "\n").filter { $0.hasPrefix("\\text{") }
        #expect(lines.count == 1 && lines[0].contains("padding columns: the taps on them multiply zeros"))
        // Without marks there is nothing to explain.
        let plain = try CommandRunner.convmat(["matrix", "--input", "3", "--kernel", "2", "--format", "latex"])
        #expect(!plain.output.contains("\\text{") && !plain.output.contains("gathered"))
    }

    /// The two matrix views of one convolution side by side, as a lecturer shows them: C acting on
    /// x (y = C·x) and X acting on w (y = X·w) for the 1-D input 5, kernel 3, padding 1, each fitted
    /// to its beamer column (`--fit 5.2cm`), X with its taps on the padding shown. Both fit without
    /// splitting and pdflatex reports no overfull box. X's rows are the windows by hand: the first
    /// reads x₋₁ (a zero of the padding, grey), x₀, x₁; the last x₃, x₄, x₅ (grey).
    @Test(.enabled(if: pdflatex != nil, "pdflatex is not installed; beamer checks skipped"))
    func cAndXSideBySide() throws {
        let geometry = ["--input", "5", "--kernel", "3", "--padding", "1", "--format", "latex", "--labels", "--fit", "5.2cm"]
        let c = try CommandRunner.convmat(["matrix"] + geometry)
        let x = try CommandRunner.convmat(["matrix"] + geometry + ["--of", "weights", "--show-padding"])
        #expect(c.status == 0 && x.status == 0, "\(c.error)\(x.error)")
        #expect(!c.output.contains("column blocks") && !x.output.contains("column blocks"))
        let rows = x.output.split(separator: "\n").filter { $0.contains("\\makebox[") && $0.contains("x_{") }
        let entries = rows.map { row in
            row.split(separator: "&").map { cell in String(cell.split(separator: "{$").last.map { $0.prefix { $0 != "$" } } ?? "") }
        }
        #expect(entries.first == ["{\\color{gray}x_{-1}}", "x_{0}", "x_{1}"], "\(x.output)")
        #expect(entries.last == ["x_{3}", "x_{4}", "{\\color{gray}x_{5}}"], "\(x.output)")
        let slide = """
            \\begin{columns}[T]
            \\column{5.2cm}
            \\[ y = C\\,x \\]
            \\[
            \(c.output)\\]
            \\column{5.2cm}
            \\[ y = X\\,w \\]
            \\[
            \(x.output)\\]
            \\end{columns}

            """
        let verdict = try compile(frame(slide, math: false))
        #expect(verdict.compiled && verdict.overfull.isEmpty, "\(verdict.overfull)\n\(slide)")
    }

    /// The same frame reports the unfitted 4×16 C as overfull, so the check above can fail.
    @Test(.enabled(if: pdflatex != nil, "pdflatex is not installed; beamer checks skipped"))
    func theUnfittedMatrixOverflowsTheFrame() throws {
        let result = try CommandRunner.convmat(["matrix", "--input", "4x4", "--kernel", "3", "--format", "latex"])
        let verdict = try compile(frame(result.output, math: true))
        #expect(verdict.compiled && verdict.overfull.count == 1 && verdict.overfull[0].contains("pt too wide"))
    }

    /// Dumoulin & Visin's 4×16 C on a slide: the taps by their row-major number w_k = w_{i,j},
    /// k = 3i + j, so that the first row reads w0 w1 w2 · w3 w4 w5 · w6 w7 w8 · · · · · and
    /// the last one starts with five zeros (the window at (1, 1) begins at x(1,1), column 5).
    @Test func theClassicMatrixOnASlideNamesTheTapsByNumber() throws {
        let result = try CommandRunner.convmat(["matrix", "--input", "4x4", "--kernel", "3", "--format", "latex", "--fit", "slide"])
        let rows = result.output.split(separator: "\n").filter { $0.contains("\\makebox") }
        #expect(rows.count == 4)
        let entries = { (row: Substring) in
            row.split(separator: "&").map { cell in
                let text = cell.split(separator: "{$").last.map { $0.prefix { $0 != "$" } } ?? ""
                return String(text)
            }
        }
        #expect(
            entries(rows[0]) == ["w_{0}", "w_{1}", "w_{2}", "\\cdot", "w_{3}", "w_{4}", "w_{5}", "\\cdot", "w_{6}", "w_{7}", "w_{8}"]
                + Array(repeating: "\\cdot", count: 5))
        #expect(entries(rows[3]).prefix(6) == ["\\cdot", "\\cdot", "\\cdot", "\\cdot", "\\cdot", "w_{0}"])
        #expect(result.output.contains("w_{k} is w_{i,j} with k = 3i + j"))
    }

    /// A matrix too wide for any naming is split into column blocks with \cdots, and says so.
    @Test func aWideMatrixIsSplitIntoColumnBlocks() throws {
        let result = try CommandRunner.convmat(["matrix", "--input", "5x5", "--kernel", "3", "--format", "latex", "--fit", "slide", "--labels"])
        #expect(result.output.contains("the 9×25 matrix is") && result.output.contains("column blocks (columns 1–"))
        #expect(result.output.contains("\\right.\\;\\cdots") && result.output.contains("\\cdots\\;\\left."))
    }

    static let pictures: [[String]] = [
        ["sliding", "--input", "5x5", "--kernel", "3", "--stride", "2", "--padding", "1", "--step", "0"],
        ["sliding", "--input", "5x5", "--kernel", "3", "--stride", "2", "--padding", "1", "--animate"],
        [
            "sliding", "--input", "5x5", "--kernel", "3", "--weights", "0,1,2,2,2,0,0,1,2",
            "--values", "3,3,2,1,0,0,0,1,3,1,3,1,2,2,3,2,0,0,2,2,2,0,0,0,1", "--step", "4",
        ],
        ["zero-insertion", "--input", "3x3", "--kernel", "3", "--stride", "2", "--padding", "1", "--transposed", "--step", "6"],
        ["zero-insertion", "--input", "3x3", "--kernel", "3", "--stride", "2", "--padding", "1", "--transposed", "--animate"],
        ["scatter", "--input", "3x3", "--kernel", "3", "--stride", "2", "--transposed", "--step", "4"],
        ["scatter", "--input", "2x2", "--kernel", "2", "--transposed", "--animate"],
        ["sliding", "--input", "5x5", "--kernel", "3", "--stride", "2", "--padding", "1"],
        ["scatter", "--input", "2x2", "--kernel", "2", "--stride", "2", "--transposed", "--output-size", "5x5", "--weights", "0,1,2,3", "--values", "0,1,2,3"],
        ["spy", "--input", "3", "--kernel", "3", "--stride", "2", "--padding", "1", "--output-padding", "1", "--transposed", "--show-padding"],
    ]

    @Test(
        .enabled(
            if: pdflatex != nil,
            "pdflatex is not installed (Debian: texlive-latex-base texlive-latex-recommended texlive-pictures); beamer checks skipped"),
        arguments: pictures)
    func pictureFitsABeamerFrame(arguments: [String]) throws {
        let result = try CommandRunner.convmat(["draw"] + arguments + ["--format", "tikz", "--fit", "slide"])
        #expect(result.status == 0 && result.error.isEmpty, "\(result.error)")
        #expect(!result.output.contains("\\tiny") && !result.output.contains("\\scalebox") && !result.output.contains("\\resizebox"))
        // Every frame of an animation on a frame of its own, as \only<n+1> would show it.
        let frames = result.output.components(separatedBy: "% frame ").dropFirst()
        let slides = frames.isEmpty ? [result.output] : frames.map { "% frame " + $0 }
        let document = frame(slides.joined(separator: "\\end{frame}\n\\begin{frame}\n"), math: false)
        let verdict = try compile(document)
        #expect(verdict.compiled, "\(arguments)")
        #expect(verdict.overfull.isEmpty, "\(arguments): \(verdict.overfull)")
    }

    /// A contact sheet on a slide: the scatter of y 3×3 (k = 3, s = 2, padding 1) is a 1166 px sheet of
    /// 2 × 3 panels, drawn at about a fifth of a point per pixel, so its 12 px step titles would be under
    /// 3 pt. They leave the drawing and follow it in order, row by row (steps 0 and 1 side by side on
    /// the first row); and the sheet note's options read --sheet 2, not an en dash.
    @Test(.enabled(if: pdflatex != nil, "pdflatex is not installed; beamer checks skipped"))
    func aFittedContactSheetListsItsStepTitles() throws {
        let result = try CommandRunner.convmat([
            "draw", "scatter", "--input", "3x3", "--kernel", "3", "--stride", "2", "--padding", "1", "--transposed", "--format", "tikz", "--fit", "slide",
        ])
        #expect(result.status == 0 && result.error.isEmpty, "\(result.error)")
        let titles = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("The panels, row by row: ") })
        let steps = (0..<6).map { "step \($0): y$_{\([0, 0, 0, 1, 1, 1][$0]),\([0, 1, 2, 0, 1, 2][$0])}$ $\\cdot$ w placed at stride 2" }
        #expect(titles == "The panels, row by row: " + steps.joined(separator: "; ") + "\\par")
        #expect(result.output.contains("the others: -{}-sheet 2, or one step with -{}-step t, or -{}-animate"))
        let picture = result.output.components(separatedBy: "\\begin{tikzpicture}")[1].components(separatedBy: "\\end{tikzpicture}")[0]
        #expect(!picture.contains("placed at stride"))
        let verdict = try compile(frame(result.output, math: false))
        #expect(verdict.compiled && verdict.overfull.isEmpty, "\(verdict.overfull)")
    }

    @Test(arguments: [
        (["matrix", "--input", "4x4", "--kernel", "3", "--fit", "slide"], "--fit does not apply to --format text; it works with latex"),
        (["matrix", "--input", "4x4", "--kernel", "3", "--format", "latex", "--fit", "12"], "--fit = \"12\" must be slide, page or a width"),
        (["matrix", "--input", "4x4", "--kernel", "3", "--format", "latex", "--fit", "1cm"], "--fit = \"1cm\" is 28.5 pt"),
        (["draw", "sliding", "--input", "4x4", "--kernel", "3", "--fit", "slide"], "--fit applies to --format tikz"),
    ])
    func refusals(arguments: [String], message: String) throws {
        let result = try CommandRunner.convmat(arguments)
        #expect(result.status == 2 && result.output.isEmpty)
        #expect(result.error.split(separator: "\n").count == 1 && result.error.contains(message), "\(result.error)")
    }
}
