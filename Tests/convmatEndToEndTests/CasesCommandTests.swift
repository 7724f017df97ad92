import Foundation
import Testing
import ConvMatrixTestSupport

/// `convmat cases` run as a program: the files it writes, what `convmat run` prints for them,
/// reproducibility, and refusals.
@Suite struct CasesCommandTests {
    /// Six cases: six files named case-0001.json …, each one line of JSON whose "expected" is
    /// exactly the output `convmat run` prints for it; the same seed writes the same bytes again.
    @Test func writesCasesThatRunReproduces() throws {
        let folder = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("a").path, second = folder.appendingPathComponent("b").path
        let written = try CommandRunner.convmat(["cases", "--random", "6", "--seed", "4", "--output", first])
        #expect(written.status == 0 && written.output == "wrote 6 cases to \(first)/\n", "\(written.error)")
        let names = try FileManager.default.contentsOfDirectory(atPath: first).sorted()
        #expect(names == (1...6).map { "case-000\($0).json" })
        for name in names {
            let path = first + "/" + name
            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
            let expected = try #require(document?["expected"] as? [String: Any])
            let run = try CommandRunner.convmat(["run", path])
            #expect(run.status == 0, "\(name): \(run.error)")
            let printed = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]
            let output = try #require(printed?["output"] as? [String: Any])
            #expect(output["shape"] as? [Int] == expected["shape"] as? [Int], "\(name)")
            #expect(output["data"] as? [Double] == expected["data"] as? [Double], "\(name)")
        }
        _ = try CommandRunner.convmat(["cases", "--random", "6", "--seed", "4", "--output", second])
        for name in names {
            #expect(try Data(contentsOf: URL(fileURLWithPath: first + "/" + name)) == Data(contentsOf: URL(fileURLWithPath: second + "/" + name)), "\(name)")
        }
    }

    /// An earlier set is replaced whole (3 cases, then 1: only case-0001.json remains); a folder
    /// with other files, and settings that cannot work, are refused on one line with status 2.
    @Test func refusals() throws {
        let folder = try CommandRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let set = folder.appendingPathComponent("set").path
        _ = try CommandRunner.convmat(["cases", "--random", "3", "--output", set])
        let again = try CommandRunner.convmat(["cases", "--random", "1", "--seed", "2", "--output", set])
        #expect(again.status == 0, "\(again.error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: set) == ["case-0001.json"])
        try "notes".write(toFile: set + "/notes.txt", atomically: true, encoding: .utf8)
        let mixed = try CommandRunner.convmat(["cases", "--random", "1", "--output", set])
        #expect(mixed.status == 2 && mixed.output.isEmpty)
        #expect(mixed.error == "error: \(set): cannot be written (holds other files (notes.txt); give a new folder, or one that holds only an earlier set)\n")
        for (arguments, message) in [
            (["--random", "0"], "error: --random = 0 must be between 1 and 100000"),
            (
                ["--random", "3", "--op", "pool"],
                "error: The value 'pool' is invalid for '--op <op>'. Please provide one of 'conv', 'conv_transpose', 'conv_input_grad', 'conv_weight_grad' or 'all'."
            ),
            (
                ["--random", "3", "--ops", "conv,pool"],
                "error: --ops has \"pool\"; the operations are conv, conv_transpose, conv_input_grad and conv_weight_grad"
            ),
            (["--random", "3", "--bias", "maybe"], "error: The value 'maybe' is invalid for '--bias <on|off>'. Please provide one of 'on' and 'off'."),
            (["--random", "3", "--dims", "0"], "error: --dims has 0; spatial ranks 1 … 6 can be drawn"),
            (["--random", "3", "--max-size", "0"], "error: --max-size = 0 must be between 1 and 64"),
        ] {
            let run = try CommandRunner.convmat(["cases"] + arguments + ["--output", folder.appendingPathComponent("new").path])
            #expect(run.status == 2 && run.output.isEmpty && run.error == message + "\n", "\(arguments): \(run.error)")
        }
    }
}
