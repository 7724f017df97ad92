import Foundation
import Testing
import ConvMatrix
import ConvMatrixTestSupport

/// `convmat matrix --format csv --zeros | npy | coo-json | mtx` and `--output`, as a user runs them.
/// C for input 3 and kernel [1, 2] is [[1, 2, 0], [0, 1, 2]]. What numpy and SciPy make of the
/// files is checked by Tests/Interchange/check_matrix_formats.py (run by `make test`).
@Suite struct MatrixFormatCommandTests {
    static let c = ["matrix", "--input", "3", "--kernel", "2", "--weights", "1,2"]

    /// The refusals: exit status 2, nothing on standard output, one `error:` line naming the field.
    @Test(arguments: [
        (
            ["matrix", "--input", "3", "--kernel", "2", "--format", "npy"],
            "error: --format npy holds numbers, and without --weights the entries of C are symbolic names"
        ),
        (
            ["matrix", "--input", "3", "--kernel", "2", "--transposed", "--format", "coo-json"],
            "error: --format coo-json holds numbers, and without --weights the entries of Cᵀ are symbolic names"
        ),
        (c + ["--format", "npy", "--labels"], "error: --labels does not apply to --format npy; it works with text, latex, markdown, csv"),
        (c + ["--format", "coo-json", "--zeros"], "error: --zeros does not apply to --format coo-json; it works with text, latex, markdown, csv"),
        (
            c + ["--format", "npy", "--padding", "1", "--show-padding"],
            "error: --show-padding does not apply to --format npy; it works with text, latex, markdown"
        ),
        (c + ["--format", "mtx", "--zeros"], "error: --zeros does not apply to --format mtx; it works with text, latex, markdown, csv"),
        (
            ["matrix", "--input", "4", "--kernel", "2", "--pool", "avg", "--format", "npy"],
            "error: --format npy is written for convolution matrices; print a pooling matrix as text, latex, markdown or csv"
        ),
        (["matrix", "--input", "4", "--kernel", "2", "--pool", "avg", "--format", "coo-json"], "error: --format coo-json is written for convolution matrices"),
        (
            ["matrix", "--input", "3037000000x2", "--kernel", "1", "--weights", "1", "--format", "npy"],
            "error: the matrix is 6074000000×6074000000; as a dense float64 array it would need more than 2⁶³ bytes; write it sparse with --format mtx or coo-json"
        ),
        (
            ["matrix", "--input", "64x64", "--kernel", "3", "--weights", "1,1,1,1,1,1,1,1,1", "--format", "npy", "--max-memory", "100M"],
            "error: --max-memory = 100 MiB is below the 140.3 MiB this needs (the dense matrix numpy.load holds 120.1 MiB,"
        ),
        (
            ["matrix", "--input", "3", "--kernel", "2", "--padding", "1000000000", "--weights", "1,2", "--format", "coo-json"],
            "error: the matrix has 2000000002 rows and 6 nonzeros; COO JSON output is limited to 1000000000 of each"
        ),
        (c + ["--check", "/nonexistent/c.mtx", "--output", "/tmp/c.mtx"], "error: --output applies to printing the matrix, not to --check /nonexistent/c.mtx"),
        (c + ["--format", "npy", "--output", "/nonexistent/folder/c.npy"], "error: /nonexistent/folder/c.npy: cannot be written (No such file or directory)"),
    ])
    func refusals(_ arguments: [String], _ expected: String) throws {
        let outcome = try CommandRunner.convmat(arguments)
        #expect(outcome.status == 2)
        #expect(outcome.output.isEmpty)
        #expect(outcome.error.split(separator: "\n").count == 1, "stderr: \(outcome.error)")
        #expect(outcome.error.hasPrefix(expected), "stderr: \(outcome.error)")
    }

    /// `--format csv --zeros`: 0 in every empty cell; without it the cells stay empty.
    @Test func csvZeros() throws {
        #expect(try CommandRunner.convmat(Self.c + ["--format", "csv", "--zeros"]).output == "1,2,0\n0,1,2\n")
        #expect(try CommandRunner.convmat(Self.c + ["--format", "csv"]).output == "1,2,\n,1,2\n")
        #expect(try CommandRunner.convmat(Self.c + ["--format", "csv", "--zeros", "--labels"]).output == ",x(0),x(1),x(2)\ny(0),1,2,0\ny(1),0,1,2\n")
    }

    /// `--output FILE`: the file holds what standard output would, appears whole, and the command says so.
    @Test func outputWritesTheFile() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let npy = directory.appendingPathComponent("c.npy").path
        let written = try CommandRunner.convmat(Self.c + ["--format", "npy", "--output", npy])
        #expect(written.status == 0 && written.output == "wrote \(npy)\n" && written.error.isEmpty)
        // The header, then 1, 2, 0, 0, 1, 2 as little-endian float64.
        let one: [UInt8] = [0, 0, 0, 0, 0, 0, 0xF0, 0x3F], two: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0x40], zero = [UInt8](repeating: 0, count: 8)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: npy)))
        #expect(bytes == NumPyFormat.header(shape: [2, 3]) + one + two + zero + zero + one + two)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["c.npy"])

        let mtx = directory.appendingPathComponent("c.mtx").path
        _ = try CommandRunner.convmat(Self.c + ["--format", "mtx", "--output", mtx])
        #expect(try String(contentsOfFile: mtx, encoding: .utf8) == (try CommandRunner.convmat(Self.c + ["--format", "mtx"]).output))
        // The file's own comment lines do not stop --check from reading it.
        let check = try CommandRunner.convmat(Self.c + ["--check", mtx])
        #expect(check.status == 0 && check.output.hasPrefix("YES: the file is C (2×3)"))
        // A refusal leaves an earlier file as it was.
        let refused = try CommandRunner.convmat(["matrix", "--input", "3", "--kernel", "2", "--format", "npy", "--output", npy])
        #expect(refused.status == 2)
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: npy))) == bytes)
    }

    /// `--format coo-json` is JSON the library's own reader parses, with 0-based coordinates.
    @Test func cooJSONIsJSON() throws {
        let outcome = try CommandRunner.convmat([
            "matrix", "--input", "2x2", "--kernel", "3", "--padding", "1", "--transposed",
            "--weights", "1,2,3,4,5,6,7,8,9", "--format", "coo-json",
        ])
        #expect(outcome.status == 0)
        guard case .object(let members) = try JSONValue(parsing: outcome.output) else { Issue.record("not an object: \(outcome.output)"); return }
        #expect(Set(members.keys) == ["shape", "matrix", "geometry", "weights", "command", "order", "flip", "block", "row", "col", "data"])
        #expect(members["shape"] == .array([.number("4"), .number("4")]) && members["matrix"] == .string("C^T"))
        // Cᵀ of the 2×2, padding 1 convolution with a 3×3 kernel is 4×4 and full: 16 entries.
        for key in ["row", "col", "data"] {
            if case .array(let items)? = members[key] { #expect(items.count == 16) } else { Issue.record("\(key) missing") }
        }
        // The small keys come first, so `head` shows what the file is before its lists.
        let order = ["\"shape\"", "\"geometry\"", "\"command\"", "\"row\"", "\"col\"", "\"data\""].compactMap { outcome.output.range(of: $0)?.lowerBound }
        #expect(order.count == 6 && order == order.sorted())
    }

    /// `--show-memory` names the dense matrix numpy.load will hold, which the guard judges: C is
    /// 14·14 × 16·16 = 196 × 256, and 8 bytes a cell make 401 408 bytes = 392 KiB.
    @Test func npyMemoryEstimateCountsTheDenseMatrix() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outcome = try CommandRunner.convmat([
            "matrix", "--input", "16x16", "--kernel", "3", "--weights", "1,1,1,1,1,1,1,1,1",
            "--format", "npy", "--show-memory", "--output", directory.appendingPathComponent("c.npy").path,
        ])
        #expect(outcome.status == 0)
        #expect(outcome.error.contains("the dense matrix numpy.load holds 392 KiB"), "\(outcome.error)")
    }

    /// `--output` naming a device is written in place: renaming a finished file over it would
    /// replace the device with a plain file (run as root, `--output /dev/null` once replaced
    /// /dev/null itself). Tested through a link to /dev/null, which a rename would replace
    /// instead of the device.
    @Test func outputToADeviceWritesIntoIt() throws {
        let directory = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let link = directory.appendingPathComponent("null").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
        let outcome = try CommandRunner.convmat(Self.c + ["--format", "npy", "--output", link])
        #expect(outcome.status == 0 && outcome.output == "wrote \(link)\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "/dev/null")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["null"])
        let folder = try CommandRunner.convmat(Self.c + ["--format", "npy", "--output", directory.path])
        #expect(folder.status == 2 && folder.output.isEmpty && folder.error == "error: \(directory.path): cannot be written (is a folder, not a file)\n")
    }

    /// Binary data is not sent to a terminal (run under script(1), which gives the command one).
    @Test func npyIsNotWrittenToATerminal() throws {
        let script = URL(fileURLWithPath: "/usr/bin/script")
        guard FileManager.default.isExecutableFile(atPath: script.path) else { return }
        let command = ([CommandRunner.executable.path] + Self.c + ["--format", "npy"]).joined(separator: " ")
        let outcome = try CommandRunner.execute(script, ["-qec", command, "/dev/null"], mergingErrors: true)
        #expect(outcome.status == 2)
        #expect(
            outcome.output.contains(
                "error: --format npy writes binary data, which a terminal cannot show; give --output FILE or redirect standard output to a file"),
            "\(outcome.output)")
    }
}
