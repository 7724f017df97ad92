import Foundation
import Testing
import ConvMatrixTestSupport

/// The core commands of `convmat`, run as a user runs them.
@Suite struct CommandLineTests {
    /// The lecturer's first command prints Dumoulin & Visin's 4×16 matrix.
    @Test func matrixPrintsTheSeedExample() throws {
        let outcome = try CommandRunner.convmat(["matrix", "--input", "4x4", "--kernel", "3x3"])
        #expect(outcome.status == 0)
        let lines = outcome.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "C: 4×16, 36 nonzeros (convolution y = C·x)")
        #expect(lines.count == 5)
        let firstRow = lines[1].split(separator: " ").map(String.init)
        #expect(firstRow == ["w₀,₀", "w₀,₁", "w₀,₂", "·", "w₁,₀", "w₁,₁", "w₁,₂", "·", "w₂,₀", "w₂,₁", "w₂,₂", "·", "·", "·", "·", "·"])
    }

    /// With --transposed the 2×2 input of the transposed convolution gives the 16×4 matrix Cᵀ.
    @Test func transposedMatrixIsSixteenByFour() throws {
        let outcome = try CommandRunner.convmat(["matrix", "--input", "2x2", "--kernel", "3x3", "--transposed", "--ascii"])
        #expect(outcome.status == 0)
        let lines = outcome.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 18)
        // The note after the header names the convolution Cᵀ transposes: 4×4 → 2×2 (and the 2×2 input is too small for a 3×3 kernel).
        #expect(lines[1] == "note: C^T of the 4x4 -> 2x2 convolution (--input is its output y)")
        #expect(lines[2].split(separator: " ").map(String.init) == ["w[0,0]", "·", "·", "·"])
        #expect(lines[17].split(separator: " ").map(String.init) == ["·", "·", "·", "w[2,2]"])
    }

    /// Matrix Market output equals C built by a plain loop over outputs and taps, entry for entry.
    @Test func matrixMarketEqualsAPlainLoop() throws {
        // 5×4 input, 2×3 kernel, stride 2×1, padding 1×0: C[(o0,o1), (x0,x1)] = w[k0,k1] with x = o·s − p + k.
        let weights = [3.0, -1, 0.5, 2, 7, -4]
        let outcome = try CommandRunner.convmat([
            "matrix", "--input", "5x4", "--kernel", "2x3", "--stride", "2x1", "--padding", "1x0",
            "--weights", weights.map { "\($0)" }.joined(separator: ","), "--format", "mtx",
        ])
        #expect(outcome.status == 0)
        var expected = Set<String>()
        let out = [(5 + 2 - 2) / 2 + 1, (4 - 3) / 1 + 1]
        for o0 in 0..<out[0] {
            for o1 in 0..<out[1] {
                for k0 in 0..<2 {
                    for k1 in 0..<3 {
                        let x0 = o0 * 2 - 1 + k0, x1 = o1 + k1
                        guard (0..<5).contains(x0), (0..<4).contains(x1) else { continue }
                        expected.insert("\(o0 * out[1] + o1 + 1) \(x0 * 4 + x1 + 1) \(weights[k0 * 3 + k1])")
                    }
                }
            }
        }
        let lines = outcome.output.split(separator: "\n").map(String.init)
        #expect(lines[0] == "%%MatrixMarket matrix coordinate real general")
        // After the banner, the comment lines that say what the file is; then the size line and the entries.
        let data = lines.dropFirst().filter { !$0.hasPrefix("%") }
        #expect(lines.dropFirst().prefix { $0.hasPrefix("%") }.count == 5)
        #expect(data.first == "\(out[0] * out[1]) 20 \(expected.count)")
        #expect(Set(data.dropFirst()) == expected)
    }

    /// `run` reads a case from standard input and prints one JSON document.
    @Test func runReadsStandardInput() throws {
        let outcome = try CommandRunner.convmat(
            ["run", "-"],
            input: """
                {"op":"conv","input":{"shape":[1,1,3,3],"data":[0,1,2,3,4,5,6,7,8]},"weight":{"shape":[1,1,2,2],"data":[0,1,2,3]}}
                """)
        #expect(outcome.status == 0)
        #expect(outcome.output == "{\"output\": {\"shape\": [1, 1, 2, 2], \"data\": [19.0, 25.0, 37.0, 43.0]}}\n")
    }

    /// `shape --transposed` lists the two sizes of PyTorch's ConvTranspose2d documentation (5 with
    /// output_padding 0, 6 with output_padding 1) as one range per set and dimension.
    @Test func shapeListsOutputSizeSets() throws {
        let outcome = try CommandRunner.convmat([
            "shape", "--input", "3x3", "--kernel", "3", "--stride", "2", "--padding", "1", "--transposed", "--in-channels", "8", "--out-channels", "3",
        ])
        #expect(outcome.status == 0)
        #expect(outcome.output.contains("  PyTorch output_padding (below max(s, d))  5 … 6 (2)   5 … 6 (2)\n"))
        #expect(outcome.output.contains("  PyTorch output_size                       5 … 6 (2)   5 … 6 (2)\n"))
        #expect(outcome.output.hasPrefix("transposed convolution: input 3×3 → output 5×5, channels 8 → 3"))
    }

    /// The issue's dilation example: `output_padding` reaches 8, but a convolution of 8 gives 4, so
    /// PyTorch's `output_size` (and `--output-size`) accept 7 only; the report says why, and JSON has the same sets.
    @Test func shapeTellsDilationAboveStrideTruthfully() throws {
        let text = try CommandRunner.convmat(["shape", "--input", "3", "--kernel", "3", "--dilation", "2", "--transposed"])
        #expect(text.status == 0)
        #expect(text.output.contains("  PyTorch output_padding (below max(s, d))  7 … 8 (2)\n"))
        #expect(text.output.contains("  PyTorch output_size                       7 … 7 (1)\n"))
        #expect(text.output.contains("  a convolution maps back to the input      7 … 7 (1)\n"))
        #expect(text.output.contains("a convolution of size 8 gives 4 outputs, not 3"))
        let json = try CommandRunner.convmat(["shape", "--input", "3", "--kernel", "3", "--dilation", "2", "--transposed", "--json"])
        #expect(json.status == 0)
        #expect(json.output.contains("\"pytorch_output_padding\": {\"first\": 7, \"last\": 8, \"count\": 2}"))
        #expect(json.output.contains("\"pytorch_output_size\": {\"first\": 7, \"last\": 7, \"count\": 1}"))
        #expect(json.output.hasSuffix("}\n") && json.output.filter { $0 == "\n" }.count == 1)
        let refused = try CommandRunner.convmat(["shape", "--input", "3", "--kernel", "3", "--dilation", "2", "--transposed", "--output-size", "8"])
        #expect(refused.status == 2 && refused.output.isEmpty)
        #expect(refused.error.contains("valid sizes range from [7] to [7]"))
    }

    /// A stride near 2⁶³ is described as a range in constant memory, never enumerated.
    @Test func hugeStrideIsARange() throws {
        let outcome = try CommandRunner.convmat(["shape", "--input", "1", "--kernel", "1", "--stride", "9223372036854775807", "--transposed"])
        #expect(outcome.status == 0)
        #expect(outcome.output.contains("1 … 9223372036854775807 (9223372036854775807)"))
        let refused = try CommandRunner.convmat(["shape", "--input", "2", "--kernel", "2", "--stride", "9223372036854775807", "--transposed"])
        #expect(
            refused.status == 2
                && refused.error == "error: --stride is too large: the transposed output size would not fit into 64-bit integers; use smaller values\n")
    }

    /// Every bad input: exit status 2, nothing on standard output, one line naming the field.
    @Test(arguments: [
        (["matrix", "--input", "4x4", "--kernel", "3", "--stride", "0"], "error: --stride[0] = 0 must be at least 1"),
        (["matrix", "--input", "4x4", "--kernel", "3", "--dilation", "0"], "error: --dilation[0] = 0 must be at least 1"),
        (["matrix", "--input", "4x4", "--kernel", "3", "--padding", "-1"], "error: --padding[0] = -1 must be at least 0"),
        (["matrix", "--input", "2x2", "--kernel", "3"], "error: --kernel[0] spans 3 positions"),
        (
            ["matrix", "--input", "2x2", "--kernel", "3", "--stride", "2", "--transposed", "--output-padding", "2"],
            "error: --output-padding[0] = 2 must be smaller than --stride[0] = 2 or --dilation[0] = 1"
        ),
        (["matrix", "--input", "4x4", "--kernel", "3", "--in-channels", "3", "--groups", "2"], "error: --in-channels = 3 must be divisible by --groups = 2"),
        (["matrix", "--input", "4x4", "--kernel", "3", "--weights", "1,2"], "error: --weights has 2 values but the kernel shape 1×1×3×3 needs 9"),
        (["matrix", "--input", "4x4", "--kernel", "1", "--weights", "nan"], "error: --weights[0] = nan is not a finite number"),
        (["matrix", "--input", "4x4", "--kernel", "1", "--weights", "inf"], "error: --weights[0] = inf is not a finite number"),
        (["matrix", "--input", "4xa", "--kernel", "3"], "error: --input = \"4xa\" is not a list of whole numbers like 4x4"),
        (
            ["matrix", "--input", "3037000500x3037000500", "--kernel", "1", "--in-channels", "4"],
            "error: --input is too large: the input volume would not fit into 64-bit integers"
        ),
        (
            ["matrix", "--input", "4x4", "--kernel", "3", "--format", "pdf"],
            "error: The value 'pdf' is invalid for '--format <format>'. Please provide one of the following: text, latex, markdown, csv, mtx, npy, coo-json"
        ),
        (["matrix", "--input", "4x4"], "error: Missing expected argument '--kernel <size>'"),
        (["run", "/nonexistent/case.json"], "error: /nonexistent/case.json: cannot be read"),
        (
            ["shape", "--input", "3", "--kernel", "3", "--transposed", "--output-size", "9"],
            "error: --output-size[0] = 9 is refused by PyTorch's output_size rule (natural size … natural size + stride − 1): valid sizes range from [5] to [5]"
        ),
        (
            ["matrix", "--input", "16x16", "--kernel", "3", "--format", "latex", "--standalone"],
            "error: the matrix has 256 columns; LaTeX output is limited to 100"
        ),
        (
            ["matrix", "--input", "3", "--kernel", "2", "--format", "mtx", "--zeros"],
            "error: --zeros does not apply to --format mtx; it works with text, latex, markdown, csv"
        ),
        (["matrix", "--input", "3", "--kernel", "2", "--max-differences", "3"], "error: --max-differences applies only with --check"),
        (["bogus"], "error: unknown command 'bogus'; the commands are demo, shape, matrix, run, cases, verify, draw, deconvolve, spectrum, exercise, bench"),
        (["shape", "--input", "4x", "--kernel", "3"], "error: --input = \"4x\" is not a list of whole numbers like 4x4"),
        (["shape", "--input", "4xx4", "--kernel", "3"], "error: --input = \"4xx4\" is not a list of whole numbers"),
        (["shape", "--input", "4x4", "--kernel", "3", "--padding", "1xx1"], "error: --padding = \"1xx1\" is not valid"),
        (["matrix", "--input", "3", "--kernel", "3", "--weights", "1,,2"], "error: --weights[1] is empty"),
        (["matrix", "--input", "3", "--kernel", "3", "--weights", "1,2,3,"], "error: --weights[3] is empty"),
        (["matrix", "--input", "3", "--kernel", "3", "--weights", "0x10,1,1"], "error: --weights[0] = \"0x10\" is not a decimal number"),
        (["matrix", "--input", "3", "--kernel", "3", "--weights", "1e-400,1,1"], "error: --weights[0] = 1e-400 is too small for Float64"),
        (
            ["shape", "--input", "3x3", "--kernel", "3", "--stride", "2", "--transposed", "--output-size", "6", "--output-padding", "0"],
            "error: --output-padding cannot be combined with --output-size"
        ),
        (["matrix", "--input", "100000x100000x100000", "--kernel", "3", "--force"], "error: --max-memory = "),
        (
            ["matrix", "--input", "256x256", "--kernel", "3", "--format", "mtx", "--max-memory", "1M"],
            "error: --max-memory = 1 MiB is below the 20 MiB this needs (tap tables 24 KiB, one printed row 432 bytes, and the program itself)"
        ),
        (["draw", "spy", "--input", "3000000000", "--kernel", "3"], "error: spy bins every nonzero, and this C has 8999999994"),
        (["verify", "--input", "3", "--kernel", "2", "--y", "1e308,1e308"], "error: |Cᵀ|·|y|, the magnitude that bounds the rounding, overflows Float64"),
        // Cᵀy = [1e308, 0, −1e308] fits, but the bound |Cᵀ||y| = 2e308 does not: a refusal, not a FAIL.
        (
            ["verify", "--input", "3", "--kernel", "2", "--weights", "1,1", "--y", "1e308,-1e308"],
            "error: |Cᵀ|·|y|, the magnitude that bounds the rounding, overflows Float64 with these --weights and --y"
        ),
        (["deconvolve", "--input", "2000x2000", "--kernel", "3", "--kernel-preset", "box"], "error: x has 4000000 unknowns"),
        (
            ["deconvolve", "--input", "4x4", "--kernel", "3", "--padding", "same", "--kernel-preset", "box", "--output", "/proc/version"],
            "error: /proc/version: cannot be written (is a file, not a folder)"
        ),
    ])
    func badInputExitsWithTwo(_ arguments: [String], _ expected: String) throws {
        let outcome = try CommandRunner.convmat(arguments)
        #expect(outcome.status == 2)
        #expect(outcome.output.isEmpty)
        let lines = outcome.error.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(outcome.error)")
        #expect(outcome.error.contains(expected), "stderr: \(outcome.error)")
    }

    /// A malformed case file is refused like any other bad input.
    @Test func malformedJSONExitsWithTwo() throws {
        let outcome = try CommandRunner.convmat(["run", "-"], input: "{\"op\": \"conv\",,}")
        #expect(outcome.status == 2)
        #expect(outcome.output.isEmpty)
        #expect(outcome.error.hasPrefix("error: the case is not valid JSON: expected a quoted key at line 1, column 15"))
    }

    /// Every command has help with examples.
    @Test(arguments: ["demo", "shape", "matrix", "run"])
    func helpHasExamples(_ command: String) throws {
        let outcome = try CommandRunner.convmat([command, "--help"])
        #expect(outcome.status == 0)
        #expect(outcome.output.contains("Examples:") || outcome.output.contains("Example:"))
    }

    /// In an 80-column terminal the help reads as paragraphs: no line of running text is cut short
    /// in mid-paragraph, which is what hard-wrapped discussions gave when the terminal wrapped each
    /// long source line again (a full line, then a fragment of a few words, then a full line).
    @Test(arguments: [
        [""], ["shape"], ["matrix"], ["run"], ["cases"], ["verify"], ["draw"], ["deconvolve"], ["deconvolve", "image"],
        ["spectrum"], ["exercise"], ["bench"], ["serve"],
    ])
    func helpReadsAsParagraphsAt80Columns(_ command: [String]) throws {
        let outcome = try CommandRunner.convmat(command.filter { !$0.isEmpty } + ["--help"], environment: ["COLUMNS": "80"])
        #expect(outcome.status == 0)
        // The discussion: from the line after the overview's paragraph to "USAGE:".
        let text = outcome.output.components(separatedBy: "\nUSAGE:")[0]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let prose = { (line: String) in !line.isEmpty && line.first != " " }
        // Examples are indented; one that the terminal had to break leaves a piece at column 0.
        if let examples = lines.firstIndex(where: { $0.hasPrefix("Example") }) {
            for line in lines[(examples + 1)...] where !line.isEmpty {
                #expect(line.first == " ", "convmat \(command.joined(separator: " ")) --help: an example broken at 80 columns: \"\(line)\"")
            }
        }
        for (index, line) in lines.enumerated().dropLast() where prose(line) && prose(lines[index + 1]) {
            #expect(
                line.count >= 50 || line.hasSuffix(":"),
                "convmat \(command.joined(separator: " ")) --help: a \(line.count)-character line in mid-paragraph: \"\(line)\""
            )
        }
    }

    /// The demo runs and confirms the scatter route agrees with Cᵀ·y.
    @Test func demoAgrees() throws {
        let outcome = try CommandRunner.convmat(["demo"])
        #expect(outcome.status == 0)
        #expect(outcome.output.contains("they agree exactly"))
    }
}

/// Refusals that need a file on disk.
@Suite struct CommandLineFileTests {
    /// A pattern file holds no values, so it cannot be checked against numeric weights.
    @Test func patternFileAgainstWeightsIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("convmat-pattern-\(getpid()).mtx").path
        try "%%MatrixMarket matrix coordinate pattern general\n2 3 4\n1 1\n1 2\n2 2\n2 3\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let refused = try CommandRunner.convmat(["matrix", "--input", "3", "--kernel", "2", "--weights", "1,2", "--check", path])
        #expect(refused.status == 2)
        #expect(refused.error.hasPrefix("error: \(path) is a pattern file (positions only)"))
        // Without weights the same file is the structure of C for a 3-input, 2-tap convolution.
        let accepted = try CommandRunner.convmat(["matrix", "--input", "3", "--kernel", "2", "--check", path])
        #expect(accepted.status == 0, "\(accepted.output)\(accepted.error)")
    }

    /// A PGM header's numbers are quoted as the file writes them, not as capped while reading.
    @Test func hugeImageWidthIsQuotedAsWritten() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("convmat-huge-\(getpid()).pgm").path
        try "P2\n99999999999 2\n255\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let outcome = try CommandRunner.convmat(["deconvolve", "--input", "4x4", "--kernel", "3", "--kernel-preset", "box", "--image", path])
        #expect(outcome.status == 2)
        #expect(outcome.error == "error: \(path) has width = 99999999999; it must be between 1 and 1048576\n")
    }
}
