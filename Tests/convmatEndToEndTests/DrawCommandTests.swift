import Foundation
import Testing
import ConvMatrix
import ConvMatrixTestSupport

/// `convmat draw` and the refusals of `convmat matrix`, run as a user would.
@Suite struct DrawCommandTests {
    @Test func drawsEveryPictureAsSVGAndTikZ() throws {
        let geometry = ["--input", "5x5", "--kernel", "3", "--stride", "2", "--padding", "1"]
        for picture in ["sliding", "scatter", "zero-insertion", "dilation", "spy"] {
            let svg = try CommandRunner.convmat(["draw", picture] + geometry)
            #expect(svg.status == 0 && svg.error.isEmpty, "\(picture): \(svg.error)")
            let root = try TinyXML.parse(svg.output)
            #expect(root.name == "svg" && root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
            let tikz = try CommandRunner.convmat(["draw", picture, "--format", "tikz"] + geometry)
            #expect(tikz.status == 0 && tikz.output.hasPrefix("\\begin{tikzpicture}") && tikz.output.hasSuffix("\\end{tikzpicture}\n"))
        }
    }

    @Test func animatedSVGFromTheCommandLine() throws {
        let result = try CommandRunner.convmat(["draw", "scatter", "--input", "2x2", "--kernel", "2", "--stride", "2", "--transposed", "--animate"])
        #expect(result.status == 0)
        // Four products and the sum: five frames.
        #expect(try TinyXML.parse(result.output).children.filter { $0.attributes["class"] == "frame" }.count == 5)
    }

    @Test(arguments: [
        (["draw", "sliding", "--input", "4x4", "--kernel", "3", "--step", "4"], "--step = 4 must be between 0 and 3"),
        (["draw", "sliding", "--input", "4x4x4", "--kernel", "3"], "--input has 3 spatial dimensions; pictures are drawn for 1-D and 2-D"),
        (["draw", "spy", "--input", "4x4", "--kernel", "3", "--animate"], "--animate applies to sliding, scatter and zero-insertion"),
        (["draw", "sliding", "--input", "2x2", "--kernel", "3", "--transposed"], "--transposed does not apply to sliding, which draws a convolution"),
        (
            ["draw", "sliding", "--input", "20x20", "--kernel", "3", "--sheet", "37"],
            "--sheet = 37 must be between 1 and 36: the 324 steps fill 36 sheets of at most 9"
        ),
        (
            ["draw", "dilation", "--input", "7", "--kernel", "3", "--dilation", "2", "--values", "1,2,3,4,5,6,7"],
            "--values applies to sliding, scatter and zero-insertion"
        ),
        (["draw", "sliding", "--input", "4", "--kernel", "2", "--values", "1,2,3"], "--values has 3 numbers but the input x 4 needs 4, row-major"),
        (["draw", "sliding", "--input", "4", "--kernel", "2", "--order", "column-major"], "--order applies to spy"),
        (["matrix", "--input", "4", "--kernel", "3", "--pool", "avg", "--padding", "2"], "--padding[0] = 2 must be at most half of --kernel[0] = 3"),
        (["matrix", "--input", "4", "--kernel", "2", "--pool", "max"], "--values is needed for max pooling"),
        (["matrix", "--input", "4", "--kernel", "2", "--pool", "avg", "--flip"], "--flip applies to convolutions"),
        (["matrix", "--input", "4", "--kernel", "2", "--in-channels", "2", "--block", "0,2"], "--block = 0,2 names channel 2"),
        (["draw", "blur", "--input", "4x4", "--kernel", "3"], "blur"),
        (["draw", "zero-insertion", "--input", "40x40", "--kernel", "3", "--stride", "2", "--transposed", "--step", "0"], "too large to draw cell by cell"),
        (["draw", "spy", "--input", "4x4", "--kernel", "3", "--pixels", "8"], "--pixels = 8 must be between 16 and 2000"),
        (["matrix", "--input", "20x20", "--kernel", "3"], "the matrix is 324×400, too large to print"),
        (["matrix", "--input", "4x4", "--kernel", "3", "--highlight-row", "4", "--format", "latex"], "--highlight-row = 4 must be between 0 and 3"),
        (["matrix", "--input", "4x4", "--kernel", "3", "--labels", "--format", "mtx"], "--labels does not apply to --format mtx"),
        (["matrix", "--input", "4x4", "--kernel", "3", "--show-padding", "--format", "csv"], "--show-padding does not apply to --format csv"),
        (["matrix", "--input", "4x4", "--kernel", "3", "--check", "/nonexistent/c.mtx"], "/nonexistent/c.mtx: cannot be read"),
    ])
    func badRequestsAreRefusedOnOneLine(arguments: [String], message: String) throws {
        let result = try CommandRunner.convmat(arguments)
        #expect(result.status == 2)
        #expect(result.output.isEmpty)
        #expect(result.error.hasPrefix("error: ") && result.error.contains(message), "\(result.error)")
        #expect(result.error.split(separator: "\n").count == 1)
    }

    /// The window pictures show one channel pair, so channel flags are refused rather than
    /// ignored; spy shows every channel and takes them.
    @Test(arguments: ["sliding", "scatter", "zero-insertion", "dilation"])
    func channelFlagsAreRefusedExceptBySpy(picture: String) throws {
        let geometry = ["--input", "4x4", "--kernel", "3"]
        for (flag, extra) in [
            ("--in-channels", ["--in-channels", "2"]), ("--out-channels", ["--out-channels", "3"]),
            ("--groups", ["--groups", "2"]),
        ] {
            let value = extra[1]
            let result = try CommandRunner.convmat(["draw", picture] + geometry + extra)
            #expect(result.status == 2, "\(picture) \(flag)")
            #expect(result.output.isEmpty)
            // Groups above 1 need as many channels, which the geometry checks first.
            let expected =
                flag == "--groups"
                ? "error: --in-channels = 1 must be divisible by --groups = \(value)\n"
                : "error: \(flag) = \(value) does not apply to \(picture): it shows one input/output channel pair; the spy picture shows every channel\n"
            #expect(result.error == expected)
        }
        // Saying 1 explicitly is what the picture shows anyway.
        let single = try CommandRunner.convmat(["draw", picture] + geometry + ["--in-channels", "1", "--out-channels", "1", "--groups", "1"])
        #expect(single.status == 0 && single.error.isEmpty, "\(picture): \(single.error)")
    }

    @Test func spyTakesChannelsAndGroups() throws {
        let result = try CommandRunner.convmat(["draw", "spy", "--input", "4x4", "--kernel", "3", "--in-channels", "4", "--out-channels", "6", "--groups", "2"])
        #expect(result.status == 0 && result.error.isEmpty, "\(result.error)")
        // 6 × 4 output elements by 4 × 16 input elements; each output channel reads 2 input channels, 9 taps each.
        #expect(result.output.contains("C: 24×64, \(6 * 4 * 2 * 9) nonzeros"))
    }

    /// A spy of 2 000 000 nonzeros or more says on standard error that it is binning them;
    /// standard output is the picture all the same, and smaller spies stay quiet.
    @Test func largeSpiesReportProgressOnStandardError() throws {
        // Input 500, kernel 3, padding 1: 500 outputs per dimension with 3 taps each, less one
        // tap at either edge, so 1498 (output, input) pairs per dimension and 1498² nonzeros.
        let large = try CommandRunner.convmat(["draw", "spy", "--input", "500x500", "--kernel", "3", "--padding", "1"])
        #expect(large.status == 0)
        #expect(large.error == "spy: binning the \(1498 * 1498) nonzeros of C (250000×250000)…\n")
        let geometry = try ConvolutionGeometry(inputSize: [500, 500], kernelSize: [3, 3], padding: .symmetric([1]))
        #expect(large.output == (try ConvolutionPicture(.spy, of: .convolution(geometry), pixels: 400).figure().svg()))
        // The transposed convolution 500×500 → 500×500 draws Cᵀ, of the same size here.
        let transposed = try CommandRunner.convmat(["draw", "spy", "--input", "500x500", "--kernel", "3", "--padding", "1", "--transposed"])
        #expect(transposed.status == 0 && transposed.error == "spy: binning the \(1498 * 1498) nonzeros of Cᵀ (250000×250000)…\n")
        // Input 400: 1198² = 1 435 204 nonzeros, below the threshold.
        let small = try CommandRunner.convmat(["draw", "spy", "--input", "400x400", "--kernel", "3", "--padding", "1"])
        #expect(small.status == 0 && small.error.isEmpty)
        #expect(small.output.contains("C: 160000×160000, \(1198 * 1198) nonzeros"))
    }

    /// The size guard points to the picture that works at any size, and --force overrides it.
    @Test func largeMatricesSuggestSpy() throws {
        let refused = try CommandRunner.convmat(["matrix", "--input", "20x20", "--kernel", "3"])
        #expect(refused.error.contains("draw its pattern as a spy picture"))
        let forced = try CommandRunner.convmat(["matrix", "--input", "20x20", "--kernel", "3", "--force"])
        #expect(forced.status == 0)
        // The header plus 324 rows.
        #expect(forced.output.split(separator: "\n").count == 1 + 324)
    }
}

/// The issue-14 commands end to end: verify --brief, the pooling check, and draw's numbers.
@Suite struct LectureNotesCommandTests {
    /// One line per route (four routes), one for the weight gradient Xᵀg, and the verdict.
    @Test func verifyBriefPrintsOneLinePerRoute() throws {
        let result = try CommandRunner.convmat(["verify", "--input", "4x4", "--kernel", "3", "--brief"])
        let lines = result.output.split(separator: "\n")
        #expect(result.status == 0 && lines.count == 6, "\(result.output)")
        #expect(lines.prefix(5).map { $0.split(separator: " ")[1] } == ["matrix", "scatter:", "zero-insertion:", "backward", "∂L/∂w"])
        #expect(lines.last?.hasPrefix("PASS") == true)
        let broken = try CommandRunner.convmat(["verify", "--input", "4x4", "--kernel", "3", "--brief", "--break-route", "scatter"])
        #expect(broken.status == 1 && broken.output.split(separator: "\n").last?.hasPrefix("FAIL") == true)
    }

    /// A case file drawn with its numbers: d2l's transposed convolution of [[0, 1], [2, 3]] by
    /// [[0, 1], [2, 3]], whose sum is [[0, 0, 1], [0, 4, 6], [4, 12, 9]] (Dive into Deep Learning).
    @Test func drawTakesACaseFile() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("d2l.json").path
        try #"{"op": "conv_transpose", "input": {"shape": [1, 1, 2, 2], "data": [0, 1, 2, 3]}, "weight": {"shape": [1, 1, 2, 2], "data": [0, 1, 2, 3]}}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let result = try CommandRunner.convmat(["draw", "scatter", "--case", path, "--step", "4"])
        #expect(result.status == 0, "\(result.error)")
        let root = try TinyXML.parse(result.output)
        let cells = root.all.filter { $0.name == "text" && $0.attributes["class"] == "cell-text" }
        let x = { (e: TinyXML.Element) in Double(e.attributes["x"] ?? "") ?? 0 }, y = { (e: TinyXML.Element) in Double(e.attributes["y"] ?? "") ?? 0 }
        let columns = Array(Set(cells.map(x))).sorted().suffix(3)
        let canvas = cells.filter { columns.contains(x($0)) }.sorted { (y($0), x($0)) < (y($1), x($1)) }.map(\.text)
        #expect(canvas == ["0", "0", "1", "0", "4", "6", "4", "12", "9"])
        let refused = try CommandRunner.convmat(["draw", "sliding", "--case", path])
        #expect(refused.status == 2 && refused.error.contains("is a transposed convolution"))
        let mixed = try CommandRunner.convmat(["draw", "scatter", "--case", path, "--stride", "2"])
        #expect(mixed.status == 2 && mixed.error.contains("--stride cannot be combined with --case"))
    }

    /// Max pooling of the 4×4 input 1,5,2,0 / 3,4,8,1 / 0,2,6,7 / 9,1,3,5 in 2×2 windows picks
    /// 5 (x1), 8 (x6), 9 (x12), 7 (x11) — read off the grid by hand.
    @Test func maxPoolingPicksTheMaxima() throws {
        let result = try CommandRunner.convmat([
            "verify", "--input", "4x4", "--kernel", "2", "--pool", "max",
            "--values", "1,5,2,0,3,4,8,1,0,2,6,7,9,1,3,5", "--y", "1,2,3,4",
        ])
        #expect(result.status == 0)
        #expect(result.output.contains("S(x) picks, per output (flat indices): y0←x1 y1←x6 y2←x12 y3←x11"))
        // ⟨S(x)x, g⟩ = 5·1 + 8·2 + 9·3 + 7·4 = 76.
        #expect(result.output.contains("76 vs 76"))
    }
}
