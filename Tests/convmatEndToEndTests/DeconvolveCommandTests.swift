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

/// `convmat deconvolve` run as a program: its report, its images and its refusals.
@Suite struct DeconvolveCommandTests {
    /// Runs convmat with `arguments`; returns the exit status, standard output and standard error.

    /// The test image round trip through the program: the report shows both routes, and the
    /// written recovered.pgm is the picture (the blur is gaussian3, λ the default).
    @Test func testImageRoundTripWritesImages() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deconvolve-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CommandRunner.convmat([
            "deconvolve", "--input", "32x32", "--kernel", "3", "--padding", "same",
            "--kernel-preset", "gaussian3", "--output", directory.path,
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("deconvolution x̂"))
        #expect(result.output.contains("transposed conv Cᵀy"))
        #expect(result.output.contains("nnz(L) = "))
        // The largest column of C holds all nine taps: Σw² = (1+4+1+4+16+4+1+4+1)/256 = 36/256; λ = 10⁻⁶·36/256.
        #expect(result.output.contains("λ = 1.406e-07 (default"))
        for name in ["clean", "blurred", "recovered", "transposed"] {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("\(name).pgm").path))
        }
        let recovered = try PortableAnymap(bytes: Array(Data(contentsOf: directory.appendingPathComponent("recovered.pgm"))), name: "recovered.pgm")
        let clean = TestImage.checkerboardWithDisc(size: [32, 32])
        #expect(recovered.height == 32 && recovered.width == 32)
        // The files map the clean range [0.2, 1] to 0…255. Deconvolution with the default λ is
        // about 1 % off overall (a little more at the sharpest edges), plus rounding to 8 bits.
        let differences = zip(recovered.values, clean).map { 0.2 + 0.8 * $0 - $1 }
        let rms = (differences.map { $0 * $0 }.reduce(0, +) / Double(differences.count)).squareRoot()
        #expect(rms < 0.01)
        #expect((differences.map(abs).max() ?? 1) < 0.05)
    }

    /// The written blurred.pgm fed back with --blurred: x is unknown, so only residuals are printed,
    /// and the recovered image is written without a clean one.
    @Test func blurredImageIsDeconvolvedWithoutKnowingX() throws {
        let first = FileManager.default.temporaryDirectory.appendingPathComponent("deconvolve-b1-\(getpid())")
        let second = FileManager.default.temporaryDirectory.appendingPathComponent("deconvolve-b2-\(getpid())")
        defer { for url in [first, second] { try? FileManager.default.removeItem(at: url) } }
        let geometry = ["--input", "24x24", "--kernel", "3", "--padding", "same", "--kernel-preset", "gaussian3"]
        #expect(try CommandRunner.convmat(["deconvolve"] + geometry + ["--output", first.path]).status == 0)
        let result = try CommandRunner.convmat(
            ["deconvolve"] + geometry + [
                "--image", first.appendingPathComponent("blurred.pgm").path,
                "--blurred", "--lambda", "1e-3", "--output", second.path,
            ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("1 sample; y given, x unknown"))
        #expect(!result.output.contains("‖x − ·‖"))
        #expect(result.output.contains("residual ‖C·(·) − y‖"))
        #expect(FileManager.default.fileExists(atPath: second.appendingPathComponent("recovered.pgm").path))
        #expect(!FileManager.default.fileExists(atPath: second.appendingPathComponent("clean.pgm").path))
        let alone = try CommandRunner.convmat(["deconvolve"] + geometry + ["--blurred"])
        #expect(alone.status == 2)
        #expect(alone.error == "error: --blurred needs --image: the generated test image is the clean x\n")
    }

    /// A conv case whose input is x: kernel [1, 0.5] and full padding on 1-D data, recovered with λ = 0.
    @Test func caseFileIsDeconvolved() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("deconvolve-case-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let json =
            #"{"op": "conv", "input": {"shape": [2, 1, 5], "data": [1, 2, 3, 4, 5, -1, 0, 1, 0, -1]}, "weight": {"shape": [1, 1, 2], "data": [1, 0.5]}, "padding": [1]}"#
        try Data(json.utf8).write(to: file)
        let result = try CommandRunner.convmat(["deconvolve", "case", file.path, "--lambda", "0"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("C: 6×5, 10 nonzeros; 2 samples"))
        let errorLine = result.output.split(separator: "\n").first { $0.hasPrefix("‖x − ·‖ ") }
        let value = errorLine.flatMap { $0.split(separator: " ").dropFirst(3).first }.flatMap { Double($0) }
        #expect((value ?? 1) < 1e-12, "\(result.output)")
    }

    @Test(arguments: [
        (["--lambda", "-1"], "--lambda = -1.0 must be a finite number ≥ 0"),
        (["--lambda", "abc"], "--lambda = \"abc\" is not a decimal number"),
        (["--lambda", "0x10"], "--lambda = \"0x10\" is not a decimal number"),
        (["--kernel-preset", "blur7"], "--kernel-preset = \"blur7\" is not a preset"),
        (["--kernel-preset", "gaussian5"], "--kernel-preset = gaussian5 is 5 wide but --kernel[0] = 3"),
        (["--kernel-preset", "box", "--weights", "1,1,1,1,1,1,1,1,1"], "--weights and --kernel-preset exclude each other"),
        (
            ["--ordering", "random"],
            "The value 'random' is invalid for '--ordering <name>'. Please provide one of 'automatic', 'natural', 'amd', 'metis' or 'nesdis'."
        ),
        (["--image", "/nonexistent/x.pgm"], "/nonexistent/x.pgm: cannot be read"),
        (["--transposed"], "--transposed: deconvolve inverts a convolution"),
        (["--stride", "4", "--lambda", "0"], "--lambda = 0 needs every input to be read by some output, but 11 inputs (channel 0, position [0, 3])"),
    ])
    func badInputsExitTwoWithOneErrorLine(extra: [String], message: String) throws {
        var arguments = ["deconvolve", "--input", "6x6", "--kernel", "3", "--padding", "same"]
        if !extra.contains("--kernel-preset") && !extra.contains("--weights") { arguments += ["--kernel-preset", "box"] }
        let result = try CommandRunner.convmat(arguments + extra)
        #expect(result.status == 2)
        #expect(result.output.isEmpty)
        let lines = result.error.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(result.error.hasPrefix("error: " + message), "\(result.error)")
    }

    @Test func imageOfTheWrongSizeIsRefused() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("deconvolve-\(getpid()).pgm")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(PortableAnymap(height: 4, width: 5, values: [Double](repeating: 0.5, count: 20)).pgm()).write(to: file)
        let result = try CommandRunner.convmat([
            "deconvolve", "--input", "5x4", "--kernel", "3", "--padding", "same", "--kernel-preset", "box", "--image", file.path,
        ])
        #expect(result.status == 2)
        #expect(result.error == "error: --input = 5×4 but \(file.path) is 4 rows × 5 columns; use --input 4x5\n")
        let accepted = try CommandRunner.convmat([
            "deconvolve", "--input", "4x5", "--kernel", "3", "--padding", "same", "--kernel-preset", "box", "--image", file.path,
        ])
        #expect(accepted.status == 0, "\(accepted.error)")
    }

    @Test func aTransposeCaseIsRefused() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("deconvolve-t-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"op": "conv_transpose", "input": {"shape": [1, 1, 2], "data": [1, 2]}, "weight": {"shape": [1, 1, 2], "data": [1, 1]}}"#.utf8).write(
            to: file)
        let result = try CommandRunner.convmat(["deconvolve", "case", file.path])
        #expect(result.status == 2)
        #expect(result.error.hasPrefix("error: op = \"conv_transpose\": deconvolve needs a \"conv\" case"))
    }
}
