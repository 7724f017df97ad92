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

private let pdflatex = CommandRunner.tool("pdflatex")
private let rsvgConvert = CommandRunner.tool("rsvg-convert")

/// What the printers and pictures write must work in the tools people use:
/// LaTeX compiles with pdflatex, SVG converts with rsvg-convert without a warning.
@Suite struct ExternalToolTests {
    /// Compiles `document` with pdflatex in a fresh directory; returns the log when it fails.
    private func compile(_ document: String) throws -> String? {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try document.write(to: directory.appendingPathComponent("figure.tex"), atomically: true, encoding: .utf8)
        let result = try CommandRunner.execute(try #require(pdflatex), ["-interaction=nonstopmode", "-halt-on-error", "figure.tex"], directory: directory)
        let produced = FileManager.default.fileExists(atPath: directory.appendingPathComponent("figure.pdf").path)
        return result.status == 0 && produced ? nil : result.output
    }

    /// Dumoulin & Visin's 4×16 matrix (4×4 input, 3×3 kernel).
    private func classic() throws -> ConvolutionGeometry {
        try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])
    }

    @Test(
        .enabled(
            if: pdflatex != nil,
            "pdflatex is not installed (Debian: texlive-latex-base texlive-latex-recommended texlive-pictures); LaTeX compile checks skipped"))
    func matrixLaTeXCompiles() throws {
        let twoChannels = try ConvolutionGeometry(inputSize: [3], kernelSize: [2], inChannels: 2, outChannels: 2)
        let documents = [
            try MatrixPrinter(format: .latex, standalone: true).render(.convolution(try classic())),
            try MatrixPrinter(format: .latex, zerosAsDigits: true, highlightedRow: 1, highlightedColumn: 5, standalone: true).render(
                .convolution(try classic())),
            try MatrixPrinter(format: .latex, blockSeparators: true, highlightedColumn: 4, standalone: true).render(.convolution(twoChannels)),
            try MatrixPrinter(format: .latex, standalone: true).render(
                .transposing(try classic()), kernel: try Kernel([1, -2, 0.5, 4, 5, 6, 7, 8, -9.25], geometry: try classic())),
        ]
        for document in documents {
            let log = try compile(document)
            #expect(log == nil, "pdflatex failed on:\n\(document)\n\(log ?? "")")
        }
    }

    /// The lecture-notes forms: labels in LaTeX (with blocks), one channel block, C over the padded
    /// input and Cᵀ with its cropped and output_padding rows, the flipped and column-major C, and
    /// the pooling matrices; standalone documents and snippets in a document with amsmath and xcolor.
    @Test(
        .enabled(
            if: pdflatex != nil,
            "pdflatex is not installed (Debian: texlive-latex-base texlive-latex-recommended texlive-pictures); LaTeX compile checks skipped"))
    func lectureNotesLaTeXCompiles() throws {
        let strided = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [2, 2], stride: [2], inChannels: 2, outChannels: 2)
        let padded = try ConvolutionGeometry(inputSize: [3, 3], kernelSize: [2, 2], stride: [2], padding: .symmetric([1]))
        var fields = ConvolutionFields(input: [3], kernel: [3])
        fields.stride = [2]; fields.padding = .symmetric([1]); fields.outputPadding = [1]; fields.transposed = true
        let transposed = try ConvolutionOperator(fields)
        let pooling = try PoolingGeometry(inputSize: [4, 4], kernelSize: [2], ceilMode: true, channels: 2)
        let documents = [
            try MatrixPrinter(format: .latex, labels: true, blockSeparators: true, standalone: true).render(.convolution(strided)),
            try MatrixPrinter(format: .latex, labels: true, standalone: true, channelBlock: ChannelBlock(output: 1, input: 0)).render(.convolution(strided)),
            // The exact forms LectureNotesPrintingTests and PoolingTests print.
            try MatrixPrinter(format: .latex, labels: true, standalone: true, channelBlock: ChannelBlock(output: 1, input: 0))
                .render(.convolution(try ConvolutionGeometry(inputSize: [4], kernelSize: [2], stride: [2], inChannels: 2, outChannels: 2))),
            try MatrixPrinter(format: .latex, labels: true, standalone: true, showPadding: true).render(.convolution(padded)),
            try MatrixPrinter(format: .latex, labels: true, highlightedRow: 2, standalone: true, showPadding: true).render(transposed),
            try MatrixPrinter(format: .latex, standalone: true, flip: true, order: .columnMajor).render(
                .convolution(padded), kernel: try Kernel([1, 2, 3, 4], geometry: padded)),
            try MatrixPrinter(format: .latex, labels: true, blockSeparators: true, standalone: true).render(PoolingMatrix(averaging: pooling)),
            try MatrixPrinter(format: .latex, labels: true, standalone: true).render(
                PoolingMatrix(selectingMaximaOf: (0..<32).map { Double(($0 * 7) % 11) }, geometry: pooling).transposed()),
        ]
        for document in documents {
            let log = try compile(document)
            #expect(log == nil, "pdflatex failed on:\n\(document)\n\(log ?? "")")
        }
        for snippet in [
            try MatrixPrinter(format: .latex, labels: true, showPadding: true).render(.convolution(padded)),
            try MatrixPrinter(format: .latex).render(PoolingMatrix(averaging: try PoolingGeometry(inputSize: [5], kernelSize: [2], ceilMode: true))),
        ] {
            let document = "\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage{xcolor}\n\\begin{document}\n\\[\n\(snippet)\\]\n\\end{document}\n"
            #expect(try compile(document) == nil, "\(snippet)")
        }
    }

    /// A 2-channel strided C (3×3 input, kernel 2, stride 2, padding 1: 8×18) fits a page as one
    /// labelled channel block (4×9): pasted into an article
    /// with its default margins, pdflatex reports no overfull line.
    @Test(
        .enabled(
            if: pdflatex != nil,
            "pdflatex is not installed (Debian: texlive-latex-base texlive-latex-recommended texlive-pictures); LaTeX compile checks skipped"))
    func oneChannelBlockFitsAPage() throws {
        let strided = try ConvolutionGeometry(inputSize: [3, 3], kernelSize: [2, 2], stride: [2], padding: .symmetric([1]), inChannels: 2, outChannels: 2)
        let snippet = try MatrixPrinter(format: .latex, labels: true, channelBlock: ChannelBlock(output: 1, input: 0)).render(.convolution(strided))
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let document = "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n\\[\n\(snippet)\\]\n\\end{document}\n"
        try document.write(to: directory.appendingPathComponent("block.tex"), atomically: true, encoding: .utf8)
        let result = try CommandRunner.execute(try #require(pdflatex), ["-interaction=nonstopmode", "-halt-on-error", "block.tex"], directory: directory)
        #expect(result.status == 0, "\(result.output)")
        let log = (try? String(contentsOf: directory.appendingPathComponent("block.log"), encoding: .utf8)) ?? ""
        #expect(!log.isEmpty && !log.contains("Overfull \\hbox"), "\(log)")
    }

    /// A bare snippet (not standalone) must compile when pasted into a document with amsmath and xcolor.
    @Test(
        .enabled(
            if: pdflatex != nil,
            "pdflatex is not installed (Debian: texlive-latex-base texlive-latex-recommended texlive-pictures); LaTeX compile checks skipped"))
    func matrixSnippetCompilesInsideADocument() throws {
        let snippet = try MatrixPrinter(format: .latex, highlightedRow: 2).render(.convolution(try classic()))
        let document = "\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage{xcolor}\n\\begin{document}\n\\[\n\(snippet)\\]\n\\end{document}\n"
        #expect(try compile(document) == nil)
    }

    /// Exercise sheets and keys in LaTeX build with pdflatex, as their first line says, and no line
    /// runs into the margin (no "Overfull \\hbox" in the log): every difficulty, all seven kinds, a
    /// range of seeds (seed 11 gave 7 overfull lines before the sheets were set ragged right).
    @Test(
        .enabled(
            if: pdflatex != nil,
            "pdflatex is not installed (Debian: texlive-latex-base texlive-latex-recommended texlive-pictures); LaTeX compile checks skipped"))
    func exerciseSheetsBuildWithPdflatexWithoutOverfullLines() throws {
        for seed in UInt64(9)...13 {
            for difficulty in Difficulty.allCases {
                let sheet = try ExerciseSheet(seed: seed, count: 7, difficulty: difficulty)
                for document in [sheet.problems(format: .latex), sheet.answers(format: .latex)] {
                    let directory = try CommandRunner.temporaryDirectory()
                    defer { try? FileManager.default.removeItem(at: directory) }
                    try document.write(to: directory.appendingPathComponent("sheet.tex"), atomically: true, encoding: .utf8)
                    let result = try CommandRunner.execute(
                        try #require(pdflatex), ["-interaction=nonstopmode", "-halt-on-error", "sheet.tex"], directory: directory)
                    #expect(result.status == 0, "seed \(seed) \(difficulty): pdflatex failed:\n\(result.output)")
                    let log = (try? String(contentsOf: directory.appendingPathComponent("sheet.log"), encoding: .utf8)) ?? ""
                    #expect(
                        !log.isEmpty && !log.contains("Overfull \\hbox"),
                        "seed \(seed) \(difficulty): \(log.components(separatedBy: "\n").filter { $0.contains("Overfull") })")
                }
            }
        }
    }

    @Test(
        .enabled(
            if: pdflatex != nil,
            "pdflatex is not installed (Debian: texlive-latex-base texlive-latex-recommended texlive-pictures); TikZ compile checks skipped"))
    func tikzPicturesCompile() throws {
        // Loading TikZ takes most of a second, so every picture goes into one document, a page each.
        // The large spy plot and the contact sheets add seconds and no new kind of TikZ; one of each picture is enough.
        let pictures = try Self.figures().enumerated().filter { [1, 4, 6, 7, 8, 9].contains($0.offset) }
            .map { $0.element.tikz() }.joined(separator: "\\newpage\n")
        let document =
            "\\documentclass{article}\n\\usepackage[paperwidth=20cm,paperheight=40cm,margin=1cm]{geometry}\n\\usepackage{tikz}\n\\begin{document}\n\(pictures)\\end{document}\n"
        let log = try compile(document)
        #expect(log == nil, "pdflatex failed on the TikZ pictures:\n\(log ?? "")")
        // A standalone picture is a document of its own.
        let standalone = try SlidingPicture(geometry: try ConvolutionGeometry(inputSize: [3], kernelSize: [2])).figure(step: 0).tikz(standalone: true)
        #expect(try compile(standalone) == nil)
    }

    /// An animation as a standalone document: one page per frame, which is what
    /// `\animategraphics` and `\includegraphics[page=…]` take. Dumoulin & Visin's i = 5, k = 3, s = 2,
    /// p = 1 has o = ⌊(5 + 2 − 3) / 2⌋ + 1 = 3 per dimension: 9 frames, so 9 pages.
    @Test(
        .enabled(
            if: pdflatex != nil,
            "pdflatex is not installed (Debian: texlive-latex-base texlive-latex-recommended texlive-pictures); TikZ compile checks skipped"))
    func animatedTikZCompilesToOnePagePerFrame() throws {
        let geometry = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [3, 3], stride: [2], padding: .symmetric([1]))
        let document = try SlidingPicture(geometry: geometry).figure(animated: true).tikz(standalone: true)
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try document.write(to: directory.appendingPathComponent("frames.tex"), atomically: true, encoding: .utf8)
        let result = try CommandRunner.execute(try #require(pdflatex), ["-interaction=nonstopmode", "-halt-on-error", "frames.tex"], directory: directory)
        #expect(result.status == 0, "pdflatex failed:\n\(result.output)")
        #expect(result.output.contains("Output written on frames.pdf (9 pages"), "\(result.output)")
    }

    @Test(.enabled(if: rsvgConvert != nil, "rsvg-convert is not installed (Debian: librsvg2-bin); SVG conversion checks skipped"))
    func svgConvertsWithoutWarnings() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (n, figure) in try Self.figures().enumerated() {
            let path = directory.appendingPathComponent("figure\(n).svg").path
            try figure.svg().write(toFile: path, atomically: true, encoding: .utf8)
            let result = try CommandRunner.execute(try #require(rsvgConvert), [path, "-o", directory.appendingPathComponent("figure\(n).png").path])
            #expect(result.status == 0 && result.error.isEmpty, "rsvg-convert on figure \(n): \(result.error)")
        }
    }

    /// One figure of every kind, for several geometries (1-D, 2-D, dilated, SAME, channels).
    static func figures() throws -> [Figure] {
        let classic = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3])
        let strided = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [3, 3], stride: [2], padding: .symmetric([1]))
        let same = try ConvolutionGeometry(inputSize: [5, 5], kernelSize: [2, 2], stride: [2], padding: .same)
        let line = try ConvolutionGeometry(inputSize: [7], kernelSize: [3], dilation: [2], padding: .symmetric([1]))
        let channels = try ConvolutionGeometry(inputSize: [4, 4], kernelSize: [3, 3], padding: .symmetric([1]), inChannels: 4, outChannels: 2, groups: 2)
        return [
            try SlidingPicture(geometry: classic).figure(),
            try SlidingPicture(geometry: same).figure(step: 8),
            try SlidingPicture(geometry: strided).figure(animated: true),
            try SlidingPicture(geometry: line).figure(),
            try ScatterPicture(geometry: strided).figure(step: 4),
            try ScatterPicture(geometry: classic).figure(animated: true),
            try ZeroInsertionPicture(geometry: strided).figure(step: 6),
            try ZeroInsertionPicture(geometry: line).figure(),
            try DilationPicture(geometry: try ConvolutionGeometry(inputSize: [7, 7], kernelSize: [3, 3], stride: [2], dilation: [2])).figure(),
            SpyPicture(.convolution(channels)).figure(),
            SpyPicture(.transposing(try ConvolutionGeometry(inputSize: [300, 300], kernelSize: [3, 3])), pixels: 200).figure(),
        ]
    }
}
