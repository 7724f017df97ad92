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

    /// The help's discussion is paragraphs that the argument parser wraps to the terminal: on a wide
    /// one each paragraph is one line, not broken in mid-sentence at 80 columns.
    @Test func helpIsWrappedByTheParser() throws {
        let help = try CommandRunner.convmat(["cases", "--help"], environment: ["COLUMNS": "2000"])
        #expect(help.status == 0)
        let lines = help.output.split(separator: "\n").map(String.init)
        let first = try #require(lines.first { $0.hasPrefix("Writes DIR/case-0001.json") })
        #expect(first.hasSuffix("the new set appears only when every case is written."), "\(first)")
        let defaults = try #require(lines.first { $0.hasPrefix("Each case draws its operation and spatial rank first") })
        #expect(defaults.contains("1-D, 2-D and 3-D") && defaults.hasSuffix("(Float32 arithmetic exceeds it)."), "\(defaults)")
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
            (["--random", "3", "--seed", "-1"], "error: --seed = -1 must be a whole number between 0 and 2^64 − 1"),
            (["--random", "3", "--seed", "18446744073709551616"], "error: --seed = 18446744073709551616 must be a whole number between 0 and 2^64 − 1"),
            (["--random", "3", "--max-stride", "0"], "error: --max-stride = 0 must be between 1 and 8"),
            (["--random", "3", "--max-dilation", "9"], "error: --max-dilation = 9 must be between 1 and 8"),
            (["--random", "3", "--batch", "0"], "error: --batch = 0 must be between 1 and 16"),
            (
                ["--random", "3", "--paddings", "same,full"],
                "error: --paddings has \"full\"; the padding forms are symmetric, asymmetric, same and valid"
            ),
            (
                ["--random", "3", "--paddings", "same"],
                "error: --paddings names only same or valid, which PyTorch takes for conv alone; conv_transpose needs symmetric or asymmetric padding"
            ),
            (
                ["--random", "3", "--data", "ints"],
                "error: The value 'ints' is invalid for '--data <kind>'. Please provide one of 'dyadic', 'real' or 'both'."
            ),
            (["--random", "3", "--groups", "2"], "error: The value '2' is invalid for '--groups <on|off>'. Please provide one of 'on' and 'off'."),
            // A list that names an item twice would draw it twice as often; --op beside --ops was ignored.
            (["--random", "3", "--ops", "conv,conv,conv_transpose"], "error: --ops names conv twice; name each operation once"),
            (["--random", "3", "--ops", "conv", "--paddings", "same,same,valid"], "error: --paddings names same twice; name each form once"),
            (["--random", "3", "--dims", "2,2"], "error: --dims names 2 twice; name each rank once"),
            (["--random", "3", "--padding-modes", "zeros,reflect,zeros"], "error: --padding-modes names zeros twice; name each mode once"),
            (
                ["--random", "3", "--ops", "conv", "--op", "conv_transpose"],
                "error: --op and --ops cannot both be given; --ops takes a list, e.g. --ops conv,conv_transpose"
            ),
        ] {
            let run = try CommandRunner.convmat(["cases"] + arguments + ["--output", folder.appendingPathComponent("new").path])
            #expect(run.status == 2 && run.output.isEmpty && run.error == message + "\n", "\(arguments): \(run.error)")
        }
    }
}
