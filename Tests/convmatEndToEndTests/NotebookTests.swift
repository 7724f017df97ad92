import Foundation
import Testing
@testable import ConvMatrix
import ConvMatrixTestSupport

/// Runs every cell of every lesson in notebooks-text/ with the built `convmat`
/// and compares what it prints (standard output and standard error, in one
/// stream, plus `[exit status N]` when it fails) with the lesson's output
/// block. With CONVMAT_UPDATE_NOTEBOOKS=1 in the environment (`make
/// notebooks`) the output blocks are rewritten instead.
@Suite struct NotebookTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let lessonDirectory = root.appendingPathComponent("notebooks-text")
    static let binaryDirectory = root.appendingPathComponent(".build/debug")
    static let updating = ProcessInfo.processInfo.environment["CONVMAT_UPDATE_NOTEBOOKS"] == "1"
    /// Programs a cell may start with besides `convmat`: the lessons must need nothing beyond the toolkit.
    static let allowedPrograms: Set<String> = ["convmat", "cat", "echo", "printf"]

    static var lessons: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: lessonDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".md") }.sorted()
    }

    /// `convmat`'s subcommands, read from its own --help so that a lesson cannot name one that does not exist.
    static func knownSubcommands() throws -> Set<String> {
        let (text, _) = try run("convmat --help")
        var names = Set<String>(["help"])
        var inList = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") { inList = true; continue }
            if inList {
                if !line.hasPrefix("  ") { if !line.isEmpty { inList = false }; continue }
                if let word = line.split(separator: " ").first { names.insert(String(word)) }
            }
        }
        return names
    }

    /// Runs `command` with /bin/bash -c in notebooks-text/, `.build/debug` first on PATH.
    static func run(_ command: String) throws -> (String, Int32) {
        let path = binaryDirectory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let outcome = try CommandRunner.execute(
            URL(fileURLWithPath: "/bin/bash"), ["-c", command], environment: ["PATH": path],
            directory: lessonDirectory, mergingErrors: true)
        return (outcome.output, outcome.status)
    }

    /// What is wrong with a cell before it is run: a program outside the toolkit, or a `convmat` subcommand that does not exist.
    static func refusal(of cell: TextNotebook.Cell, known: Set<String>) -> String? {
        for program in TextNotebook.programs(in: cell.command) where !allowedPrograms.contains(program) {
            return "runs \(program); cells may run only \(allowedPrograms.sorted().joined(separator: ", "))"
        }
        for name in TextNotebook.convmatSubcommands(in: cell.command) where !known.contains(name) {
            return "names `convmat \(name)`, which does not exist (known: \(known.sorted().joined(separator: ", "))); commands that do not exist yet belong in prose, not in a cell"
        }
        return nil
    }

    @Test func everyLessonIsFound() {
        #expect(Self.lessons.count >= 7, "lessons in \(Self.lessonDirectory.path): \(Self.lessons)")
    }

    @Test(arguments: lessons)
    func lessonRunsAsWritten(_ name: String) throws {
        let path = Self.lessonDirectory.appendingPathComponent(name)
        let binary = Self.binaryDirectory.appendingPathComponent("convmat").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build convmat first: \(binary) is missing (make test builds it)")
        let notebook = try TextNotebook(text: String(contentsOf: path, encoding: .utf8))
        #expect(notebook.hasJupytextHeader, "\(name): needs the Jupytext YAML header with a bash kernelspec")
        #expect(!notebook.cells.isEmpty, "\(name): has no ```bash cells")
        let known = try Self.knownSubcommands()
        var outputs = [[String]]()
        var refused = false
        for cell in notebook.cells {
            if let reason = Self.refusal(of: cell, known: known) {
                Issue.record("\(name):\(cell.line): the cell \(reason)")
                refused = true
                outputs.append(cell.expectedLines ?? [])
                continue
            }
            let (printed, status) = try Self.run(cell.command)
            let actual = TextNotebook.outputLines(printed: printed, status: status)
            outputs.append(actual)
            if Self.updating { continue }
            guard let expected = cell.expectedLines else {
                Issue.record("\(name):\(cell.line): the cell has no ```output block; run `make notebooks` to add it")
                continue
            }
            if expected != actual {
                Issue.record("\(name):\(cell.line): `\(cell.command)` printed something else\n\(Self.diff(expected, actual))")
            }
        }
        if Self.updating && !refused {
            try notebook.replacingOutputs(outputs).write(to: path, atomically: true, encoding: .utf8)
        }
    }

    /// A line diff (longest common subsequence): "  " kept, "- " only in the lesson, "+ " only in the actual output.
    static func diff(_ expected: [String], _ actual: [String]) -> String {
        let n = expected.count, m = actual.count
        var common = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                common[i][j] = expected[i] == actual[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        var lines = ["--- lesson", "+++ actual"]
        var i = 0, j = 0
        while i < n || j < m {
            if i < n && j < m && expected[i] == actual[j] {
                lines.append("  " + expected[i]); i += 1; j += 1
            } else if i < n && (j == m || common[i + 1][j] >= common[i][j + 1]) {
                lines.append("- " + expected[i]); i += 1
            } else {
                lines.append("+ " + actual[j]); j += 1
            }
        }
        return lines.joined(separator: "\n")
    }

    // MARK: The runner's own rules, on lessons written here.

    static let header = "---\njupyter:\n  jupytext:\n    text_representation:\n      extension: .md\n      format_name: markdown\n  kernelspec:\n    display_name: Bash\n    language: bash\n    name: bash\n---\n"

    @Test func cellsInsideCommentsAreIgnored() throws {
        let text = Self.header + "Intro.\n\n```bash\nconvmat shape --input 4 --kernel 3\n```\n\n```output\nx\n```\n\n<!-- TODO-after-merge:\n```bash\nconvmat verify --input 4\n```\n-->\n<!-- one line --> after\n\n```bash\necho hi\n```\n"
        let notebook = try TextNotebook(text: text)
        #expect(notebook.hasJupytextHeader)
        #expect(notebook.cells.map(\.command) == ["convmat shape --input 4 --kernel 3", "echo hi"])
        #expect(notebook.cells.map(\.expectedLines) == [["x"], nil])
        #expect(notebook.cells.map(\.line) == [14, 29])
    }

    @Test func aCellNamingAMissingCommandIsRefused() throws {
        let known: Set<String> = ["shape", "matrix", "run", "demo", "help"]
        let notebook = try TextNotebook(text: Self.header + "```bash\nconvmat verify --input 4 --kernel 3\n```\n\n```bash\nconvmat shape --input 4 --kernel 3 | cat\n```\n\n```bash\npython3 -c 1\n```\n")
        let reasons = notebook.cells.map { Self.refusal(of: $0, known: known) }
        #expect(reasons[0]?.contains("`convmat verify`, which does not exist") == true)
        #expect(reasons[1] == nil)
        #expect(reasons[2]?.hasPrefix("runs python3") == true)
    }

    @Test func updatingRewritesAndInsertsOutputBlocks() throws {
        let text = "```bash\necho a\n```\n\n```output\nold\nlines\n```\n\n```bash\necho b\n```\nend\n"
        let notebook = try TextNotebook(text: text)
        let rewritten = notebook.replacingOutputs([["a"], ["b", "[exit status 1]"]])
        #expect(rewritten == "```bash\necho a\n```\n\n```output\na\n```\n\n```bash\necho b\n```\n\n```output\nb\n[exit status 1]\n```\nend\n")
    }

    @Test func anOutputContainingFencesGetsALongerFence() throws {
        let notebook = try TextNotebook(text: "```bash\necho\n```\n\n````output\n```text\nx\n```\n````\n")
        #expect(notebook.cells[0].expectedLines == ["```text", "x", "```"])
        #expect(notebook.replacingOutputs([["```", "y"]]) == "```bash\necho\n```\n\n````output\n```\ny\n````\n")
    }

    @Test func theDiffShowsRemovedLinesBeforeAddedOnes() {
        #expect(Self.diff(["a", "b", "c"], ["a", "B", "c", "d"]) == "--- lesson\n+++ actual\n  a\n- b\n+ B\n  c\n+ d")
    }

    @Test func outputLinesMarkAFailure() {
        #expect(TextNotebook.outputLines(printed: "error: x\n", status: 2) == ["error: x", "[exit status 2]"])
        #expect(TextNotebook.outputLines(printed: "", status: 0) == [])
        #expect(TextNotebook.outputLines(printed: "a\n\nb\n", status: 0) == ["a", "", "b"])
    }

    @Test func anUnclosedFenceIsReported() {
        #expect(throws: NotebookError.unclosedFence(line: 2)) { try TextNotebook(text: "x\n```bash\nconvmat demo\n") }
    }
}
