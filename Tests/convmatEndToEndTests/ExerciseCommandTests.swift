import Foundation
import Testing
import ConvMatrixTestSupport

/// `convmat exercise` through the built binary: files, exit statuses and refusals.
@Suite struct ExerciseCommandTests {

    @Test func outputWritesSheetKeyAndJSONAndCheckGradesThem() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("convmat-exercise-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let runOut = try CommandRunner.convmat(["exercise", "--seed", "5", "--count", "3", "--kind", "output-size", "--output", directory.path])
        let (out, err, status) = (runOut.output, runOut.error, runOut.status)
        #expect(status == 0 && err.isEmpty)
        #expect(out == ["sheet.md", "key.md", "key.json"].map { "wrote \(directory.path)/\($0)\n" }.joined())
        let sheet = try String(contentsOf: directory.appendingPathComponent("sheet.md"), encoding: .utf8)
        let key = try String(contentsOf: directory.appendingPathComponent("key.md"), encoding: .utf8)
        #expect(sheet.contains("## 3. Output size") && !sheet.contains("working"))
        #expect(key.hasPrefix("# Answer key"))
        // The printed key and the written one are the same document.
        #expect(try CommandRunner.convmat(["exercise", "--seed", "5", "--count", "3", "--kind", "output-size", "--key"]).output == key)
        // Answers copied from the key grade as correct (exit 0); a wrong one exits 1 and says why.
        let answers = key.split(separator: "\n").filter { $0.hasPrefix("`") }.map { line in
            String(line.dropFirst().prefix { $0 != "`" })
        }.joined(separator: "\n")
        let keyPath = directory.appendingPathComponent("key.json").path
        let right = try CommandRunner.convmat(["exercise", "check", "--key", keyPath, "--answers", "-"], input: answers)
        #expect(right.status == 0 && right.output.hasSuffix("score: 3/3\n"))
        let wrong = try CommandRunner.convmat(["exercise", "check", "--key", keyPath, "--answers", "-"], input: "1: 0\n")
        #expect(wrong.status == 1 && wrong.output.contains("question 1: you wrote output size 0; it is "))
        #expect(wrong.output.contains("question 2: not answered"))
    }

    /// `convmat exercise --help` shows only the subcommands, so its discussion says where the
    /// generate options are, and that pointer is true.
    @Test func parentHelpPointsToTheGenerateOptions() throws {
        let runParent = try CommandRunner.convmat(["exercise", "--help"])
        let (parent, parentError, parentStatus) = (runParent.output, runParent.error, runParent.status)
        #expect(parentStatus == 0 && parentError.isEmpty)
        // The discussion is wrapped at the terminal's width, so a command may break across lines.
        let words = parent.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("`convmat exercise generate --help`"))
        #expect(words.contains("`convmat exercise check --help`"))
        #expect(parent.contains("convmat exercise check --key week3/key.json --answers alice.txt"))
        let runGenerate = try CommandRunner.convmat(["exercise", "generate", "--help"])
        let (generate, _, generateStatus) = (runGenerate.output, runGenerate.error, runGenerate.status)
        #expect(generateStatus == 0)
        for option in ["--seed <seed>", "--count <count>", "--difficulty <difficulty>", "--kind <kinds>", "--format <format>", "--key", "--output <directory>"]
        {
            #expect(parent.contains(String(option.prefix { $0 != " " })), "\(option) not named in exercise --help")
            #expect(generate.contains("  \(option)"), "\(option) missing from exercise generate --help")
        }
    }

    @Test(arguments: [
        (
            ["exercise", "--difficulty", "extreme"],
            "error: The value 'extreme' is invalid for '--difficulty <difficulty>'. Please provide one of 'easy', 'medium' or 'hard'.\n"
        ),
        (
            ["exercise", "--kind", "output-size,guess"],
            "error: --kind = \"guess\" must be one of output-size, matrix-line, transposed-by-hand, restore-size, same-padding, spot-transposed, dilated-vs-transposed\n"
        ),
        (
            ["exercise", "--kind", ""],
            "error: --kind is empty; give one or more of output-size, matrix-line, transposed-by-hand, restore-size, same-padding, spot-transposed, dilated-vs-transposed, separated by commas (leave --kind out for all kinds)\n"
        ),
        (
            ["exercise", "--kind", "output-size,"],
            "error: --kind = \"output-size,\" has an empty item; give one or more of output-size, matrix-line, transposed-by-hand, restore-size, same-padding, spot-transposed, dilated-vs-transposed, separated by single commas\n"
        ),
        (["exercise", "--count", "0"], "error: --count = 0 must be between 1 and 500\n"),
        (["exercise", "--format", "json"], "error: --format = json applies only to --key without --output (--output always writes key.json)\n"),
        (
            ["exercise", "--format", "html"],
            "error: The value 'html' is invalid for '--format <format>'. Please provide one of 'markdown', 'latex' or 'json'.\n"
        ),
        (
            ["exercise", "check", "--key", "/nonexistent/key.json", "--answers", "-"],
            "error: /nonexistent/key.json: cannot be read (No such file or directory)\n"
        ),
    ])
    func badRequestsAreRefusedOnOneLine(_ arguments: [String], _ message: String) throws {
        let runOut = try CommandRunner.convmat(arguments)
        let (out, err, status) = (runOut.output, runOut.error, runOut.status)
        #expect(status == 2 && out.isEmpty && err == message)
    }
}
