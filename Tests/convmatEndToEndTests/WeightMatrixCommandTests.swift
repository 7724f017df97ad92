import Foundation
import Testing
import ConvMatrixTestSupport

/// `convmat matrix --of weights` and `convmat verify`'s weight gradient as a user runs them: the
/// refusals of the CLI contract (exit 2, nothing on standard output, one line naming the flag),
/// a file written with --output, and the reports' weight-gradient lines.
@Suite struct WeightMatrixCommandTests {
    @Test(arguments: [
        (["--flip"], "--flip applies to printing C"),
        (["--order", "column-major"], "--order applies to printing C"),
        (["--block", "0,0"], "--block applies to printing C"),
        (["--transposed"], "--of weights prints X of a convolution (y = X·w); it does not apply with --transposed"),
        (["--weights", "1,2,3"], "--weights does not apply to --of weights"),
        (["--pool", "avg"], "--of weights applies to convolutions"),
        (["--check", "x.mtx"], "--check compares a file with C"),
        (["--values", "1,2,3"], "--values has 3 numbers, but the input x of this convolution has 4 per sample"),
        (["--format", "coo-json"], "--format coo-json holds numbers, and without --values"),
        (
            ["--layout", "tensorflow", "--padding", "1", "--padding-mode", "reflect"],
            "--padding-mode = \"reflect\" does not exist in TensorFlow, which pads with zeros only"
        ),
        (["--format", "mtx", "--show-padding"], "--show-padding does not apply to --format mtx"),
    ])
    func refusals(extra: [String], message: String) throws {
        let result = try CommandRunner.convmat(["matrix", "--input", "4", "--kernel", "3", "--of", "weights"] + extra)
        #expect(result.status == 2 && result.output.isEmpty, "\(extra)")
        #expect(result.error.split(separator: "\n").count == 1 && result.error.hasPrefix("error: \(message)"), "\(result.error)")
    }

    /// X at the input 1 2 3 4 with a 3-tap kernel, written as npy into a file: its rows are the
    /// windows [1, 2, 3] and [2, 3, 4] (NumPy's header for a 2×3 float64 array, then the numbers).
    @Test func npyFileHoldsTheWindows() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("X.npy").path
        let result = try CommandRunner.convmat([
            "matrix", "--input", "4", "--kernel", "3", "--of", "weights", "--values", "1,2,3,4", "--format", "npy", "--output", path,
        ])
        #expect(result.status == 0 && result.output == "wrote \(path)\n" && result.error.isEmpty, "\(result.error)")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(String(decoding: bytes[10..<74], as: UTF8.self).hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"))
        let values = (0..<6).map { index in
            Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[128 + 8 * index + $1]) << (8 * UInt64($1)) })
        }
        #expect(bytes.count == 128 + 48 && values == [1, 2, 3, 2, 3, 4])
    }

    /// `verify` reports the weight gradient in every form, and fails when it is broken.
    @Test func verifyReportsTheWeightGradient() throws {
        let geometry = ["verify", "--input", "5x4", "--kernel", "3x2", "--padding", "1", "--padding-mode", "circular", "--in-channels", "2"]
        let text = try CommandRunner.convmat(geometry)
        #expect(text.status == 0)
        #expect(text.output.contains("  ok   matrix Xᵀg vs direct loop: identical in every component PASS"))
        #expect(text.output.split(separator: "\n").filter { $0.hasPrefix("  ok   ⟨C(w)x, g⟩ = ") }.count == 4)
        let brief = try CommandRunner.convmat(geometry + ["--brief"])
        #expect(brief.output.contains("ok   ∂L/∂w = Xᵀg:") && brief.output.hasSuffix("and the weight gradient is Xᵀg\n"), "\(brief.output)")
        let json = try CommandRunner.convmat(geometry + ["--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let datasets = try #require(object["datasets"] as? [[String: Any]])
        #expect(datasets.count == 2 && datasets.allSatisfy { ($0["weight_gradient"] as? [String: Any])?["passed"] as? Bool == true })
        let broken = try CommandRunner.convmat(geometry + ["--brief", "--break-route", "weight-gradient"])
        #expect(broken.status == 1 && broken.output.contains("FAIL ∂L/∂w = Xᵀg:"), "\(broken.output)")
    }
}
