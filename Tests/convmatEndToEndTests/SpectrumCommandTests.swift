import Foundation
import Testing
import ConvMatrix
import ConvMatrixTestSupport

/// `convmat spectrum` run as a program: the values of a case worked by hand, the JSON keys, `--check`,
/// and the refusals of the contract (exit 2, one line naming the flag, nothing on standard output).
@Suite struct SpectrumCommandTests {
    /// w = (2, 1) on 4 inputs with circular padding: σ = 3, √5, √5, 1 (|2 + e^{iθ}| at θ = 0, π/2, π, 3π/2), κ = 3.
    @Test func handCaseAsJSON() throws {
        let result = try CommandRunner.convmat([
            "spectrum", "--input", "4", "--kernel", "2", "--padding", "0:1", "--padding-mode", "circular", "--weights", "2,1", "--json",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.hasPrefix("{\"sigma_max\": "), "the issue's key order: sigma_max, sigma_min, condition")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let values = try #require(object["singular_values"] as? [Double])
        let expected = [3, 5.0.squareRoot(), 5.0.squareRoot(), 1]
        #expect(values.count == 4)
        for (a, b) in zip(values, expected) { #expect(abs(a - b) < 1e-12) }
        #expect(abs((object["condition"] as? Double ?? 0) - 3) < 1e-12)
        #expect(object["route"] as? String == "fourier")
        // ‖W‖₂ of the 1×2 weight is √5, ‖C‖₂ = 3.
        #expect(abs((object["reshaped_weight_norm"] as? Double ?? 0) - 5.0.squareRoot()) < 1e-12)
        #expect(abs((object["spectral_norm_ratio"] as? Double ?? 0) - 3 / 5.0.squareRoot()) < 1e-12)
        #expect((object["pseudo_inverse_residual"] as? Double ?? 1) < 1e-12, "C is invertible: C⁺C = I")
    }

    /// The text form: the values, the reading, Cᵀ against C⁺ and spectral normalisation; a singular C reads as such.
    @Test func textReadsTheValues() throws {
        let result = try CommandRunner.convmat([
            "spectrum", "--input", "4", "--kernel", "2", "--padding", "0:1", "--padding-mode", "circular", "--weights", "1,1",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("route: fourier"))
        #expect(result.output.contains("σ_max = 2 "))
        #expect(result.output.contains("(σ_min is 0 up to rounding: C is singular)"))
        #expect(result.output.contains("reading: C is singular"))
        #expect(result.output.contains("‖x − Cᵀ(C·x)‖ = "))
        #expect(result.output.contains("(rank 3; the part of x in C's null space is lost)"))
        #expect(result.output.contains("ratio ‖C‖₂/‖W‖₂ = 1.414214"))
    }

    /// `--check` on a 2-D geometry with channels and circular padding runs all three routes and they agree.
    /// w = (1, −1) with circular padding is singular: a constant input gives C·x = 0 (the kernel's DFT
    /// 1 − e^{iθ} vanishes at θ = 0). The iterative route works with CᵀC, so its σ_min is rounding
    /// noise of about √ε·σ_max, not 0; the report must still read C as singular, not as a C that
    /// loses "about 9 digits".
    @Test func theIterativeRouteReadsASingularCAsSingular() throws {
        let result = try CommandRunner.convmat([
            "spectrum", "--input", "64", "--kernel", "2", "--padding", "0:1", "--padding-mode", "circular", "--weights", "1,-1",
            "--route", "iterative",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("σ_max = 2 "), "|1 − e^{iθ}| is largest at θ = π: 2")
        #expect(result.output.contains("reading: C is singular"), "\(result.output)")
        #expect(!result.output.contains("digits lost"), "\(result.output)")
        let fourier = try CommandRunner.convmat([
            "spectrum", "--input", "64", "--kernel", "2", "--padding", "0:1", "--padding-mode", "circular", "--weights", "1,-1",
        ])
        #expect(fourier.output.contains("σ_min = 0"), "\(fourier.output)")
    }

    @Test func checkRunsEveryRoute() throws {
        let result = try CommandRunner.convmat([
            "spectrum", "--input", "6x6", "--kernel", "3", "--padding", "1", "--padding-mode", "circular", "--in-channels", "2",
            "--out-channels", "3", "--random-weights", "5", "--check",
        ])
        #expect(result.status == 0, "\(result.output) \(result.error)")
        for route in ["fourier", "dense", "iterative"] { #expect(result.output.contains("\(route) ")) }
        #expect(result.output.contains("the routes agree"))
    }

    /// `--svg`: one bar per singular value, and for circular padding one grey cell per frequency whose
    /// darkness is |λ_f|/σ_max: for w = (2, 1) on 4 inputs |λ| = 3, √5, 1, √5, so the greys are
    /// 255·(1 − |λ|/3) = 0, 65, 170, 65 (#000000, #414141, #AAAAAA, #414141).
    @Test func svgDrawsValuesAndFrequencies() throws {
        let result = try CommandRunner.convmat([
            "spectrum", "--input", "4", "--kernel", "2", "--padding", "0:1", "--padding-mode", "circular", "--weights", "2,1", "--svg",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.hasPrefix("<svg "))
        let greys = ["#000000", "#414141", "#AAAAAA", "#414141"].map { "fill=\"\($0)\"" }
        let cells = result.output.split(separator: "\n").filter { line in greys.contains { line.contains($0) } }
        #expect(cells.count == 4, "\(result.output)")
        #expect(result.output.components(separatedBy: "fill=\"#3182BD\"").count - 1 == 4, "one bar per singular value")
        _ = try TinyXML.parse(result.output)
    }

    /// A wide C by the iterative route: input 8, kernel (1, 2, 1), stride 2 gives 3 rows, and
    /// CCᵀ = tridiag(1, 6, 1) (3×3), whose eigenvalues are 6 and 6 ± √2: σ_min = √(6 − √2), σ_max = √(6 + √2).
    @Test func wideByIteration() throws {
        let result = try CommandRunner.convmat([
            "spectrum", "--input", "8", "--kernel", "3", "--stride", "2", "--weights", "1,2,1", "--route", "iterative", "--json",
        ])
        #expect(result.status == 0, "\(result.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(object["rows"] as? Int == 3 && object["columns"] as? Int == 8)
        #expect(abs((object["sigma_min"] as? Double ?? 0) - (6 - 2.0.squareRoot()).squareRoot()) < 1e-9)
        #expect(abs((object["sigma_max"] as? Double ?? 0) - (6 + 2.0.squareRoot()).squareRoot()) < 1e-9)
        #expect(object["converged"] as? Bool == true)
    }

    /// `--random N --seed S` runs `--check` on N geometries of `verify --random`'s sweep, and says so with
    /// the seed; every case agrees within the bounds, and the sweep holds circulant cases (fourier runs).
    @Test func randomSweepAgrees() throws {
        let text = try CommandRunner.convmat(["spectrum", "--random", "300", "--seed", "24"])
        #expect(text.status == 0, "\(text.output)\(text.error)")
        #expect(text.output.hasPrefix("300 random geometries (seed 24), routes run: fourier "), "\(text.output)")
        #expect(text.output.hasSuffix("\n300 passed, 0 failed\n"), "\(text.output)")
        let json = try CommandRunner.convmat(["spectrum", "--random", "300", "--seed", "24", "--json"])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["cases"] as? Int == 300 && object["passed"] as? Int == 300 && object["seed"] as? Int == 24)
        #expect(object["dense_runs"] as? Int == 300 && object["iterative_runs"] as? Int == 300)
        #expect((object["fourier_runs"] as? Int ?? 0) > 0, "some drawn geometries are circulant")
        #expect((object["sigma_min_squared_difference"] as? Double ?? 1) <= 1e-10)
    }

    /// Refusals name the flag, print nothing on standard output, and exit 2.
    @Test func refusalsNameTheFlag() throws {
        let cases: [([String], String)] = [
            (["--input", "8", "--kernel", "3", "--padding", "1", "--random-weights", "1", "--route", "fourier"], "--route"),
            (["--input", "100x100", "--kernel", "3", "--padding", "1", "--random-weights", "1", "--route", "dense"], "--route"),
            (["--input", "8", "--kernel", "3", "--random-weights", "1", "--route", "svd"], "--route"),
            (["--input", "8", "--kernel", "3"], "--random-weights"),
            (["--input", "8", "--kernel", "3", "--weights", "1,2,3", "--random-weights", "1"], "--random-weights"),
            (["--input", "64x64", "--kernel", "3", "--padding", "same", "--random-weights", "1", "--max-memory", "21M"], "--max-memory"),
            (["--input", "8", "--kernel", "3", "--random-weights", "1", "--check", "--route", "dense"], "--check"),
            (["--input", "100x100", "--kernel", "3", "--padding", "1", "--random-weights", "1", "--svg"], "--svg"),
            (["--input", "65x65", "--kernel", "3", "--padding", "1", "--padding-mode", "circular", "--random-weights", "1", "--svg"], "--svg"),
            (["--random", "5", "--input", "4"], "--input"),
            (["--random", "5", "--padding-mode", "circular"], "--padding-mode"),
            (["--random", "5", "--route", "dense"], "--route"),
            (["--random", "0"], "--random"),
            (["--input", "8", "--kernel", "3", "--random-weights", "1", "--seed", "2"], "--seed"),
            (["--random-weights", "1"], "--input"),
        ]
        for (arguments, flag) in cases {
            let result = try CommandRunner.convmat(["spectrum"] + arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.output.isEmpty)
            let lines = result.error.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("error: ") && lines[0].contains(flag), "\(arguments): \(result.error)")
        }
    }
}
