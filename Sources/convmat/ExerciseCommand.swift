import ArgumentParser
import ConvMatrix

#if canImport(Glibc)
import Glibc
#endif

/// `convmat exercise`: exercise sheets with answer keys, and grading.
struct ExerciseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exercise",
        abstract: "Generate exercise sheets with separate answer keys, and grade answer files.",
        discussion: """
        The same seed, count, difficulty and kinds give the same sheet on every machine.
        Every answer is computed by the ConvMatrix library. See docs/exercises.md.

        generate is the default subcommand: `convmat exercise --seed 7` is
        `convmat exercise generate --seed 7`. Its options (--seed, --count,
        --difficulty, --kind, --format, --key, --output) are listed by
        `convmat exercise generate --help`; `convmat exercise check --help`
        describes the answer file that check grades.

        Examples:
          convmat exercise --seed 7 --count 5
          convmat exercise --seed 7 --count 5 --key
          convmat exercise --seed 7 --kind same-padding,restore-size \\
              --difficulty hard --format latex
          convmat exercise --seed 7 --count 10 --output week3
          convmat exercise check --key week3/key.json --answers alice.txt
        """,
        subcommands: [ExerciseGenerateCommand.self, ExerciseCheckCommand.self],
        defaultSubcommand: ExerciseGenerateCommand.self
    )
}

/// `convmat exercise generate` (the default): print or write a sheet and its key.
struct ExerciseGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Print an exercise sheet (or, with --key, its answer key), or write both with --output.",
        discussion: """
        Kinds: \(ExerciseKind.allCases.map(\.rawValue).joined(separator: ", ")).

        Examples:
          convmat exercise generate --seed 1 --count 7
          convmat exercise --seed 1 --count 7 --key --format json
          convmat exercise --seed 1 --kind output-size --difficulty easy --count 3
        """
    )

    @Option(help: "Seed of the pseudo-random numbers (0 … 2^64 − 1); the same seed gives the same sheet.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Number of questions (1 … 500).")
    var count: Int = 7

    @Option(help: "easy, medium or hard.")
    var difficulty: String = "medium"

    @Option(help: ArgumentHelp("Comma-separated kinds, dealt in turn; all kinds when omitted.", valueName: "kinds"))
    var kind: String?

    @Option(help: "markdown or latex (and json for --key).")
    var format: String = "markdown"

    @Flag(help: "Print the answer key instead of the problems.")
    var key = false

    @Option(help: ArgumentHelp("Write sheet.md (or .tex), key.md (or .tex) and key.json into this directory instead of printing.", valueName: "directory"))
    var output: String?

    func run() throws {
        guard let level = Difficulty(rawValue: difficulty) else {
            throw InputError("--difficulty = \"\(difficulty)\" must be easy, medium or hard")
        }
        var kinds = [ExerciseKind]()
        if let kind {
            do { kinds = try ExerciseKind.list(kind) } catch { throw InputError(error.description) }
        }
        let wantsJSON = format == "json"
        guard let sheetFormat = SheetFormat(rawValue: wantsJSON ? "markdown" : format) else {
            throw InputError("--format = \"\(format)\" must be markdown or latex (or json with --key)")
        }
        if wantsJSON && (!key || output != nil) {
            throw InputError("--format = json applies only to --key without --output (--output always writes key.json)")
        }
        let sheet: ExerciseSheet
        do { sheet = try ExerciseSheet(seed: seed, count: count, difficulty: level, kinds: kinds) } catch { throw InputError(error.description) }
        if let output {
            if key { throw InputError("--key and --output cannot be combined: --output writes the key too") }
            try writeFiles(sheet, format: sheetFormat, directory: output)
            return
        }
        if wantsJSON {
            print(sheet.key.json, terminator: "")
        } else {
            print(key ? sheet.answers(format: sheetFormat) : sheet.problems(format: sheetFormat), terminator: "")
        }
    }

    private func writeFiles(_ sheet: ExerciseSheet, format: SheetFormat, directory: String) throws {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw InputError("--output = \(directory): cannot create the directory (\(String(cString: strerror(errno))))")
        }
        let files = [
            ("sheet.\(format.fileExtension)", sheet.problems(format: format)),
            ("key.\(format.fileExtension)", sheet.answers(format: format)),
            ("key.json", sheet.key.json),
        ]
        for (name, text) in files {
            try writeText(text, to: directory + "/" + name)
            print("wrote \(directory)/\(name)")
        }
    }
}

/// `convmat exercise check`: grade an answer file against a key.
struct ExerciseCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Grade a student's answer file against key.json and say what is wrong.",
        discussion: """
        The answer file has one line per answer, `N: value` or `Nx: value` for part x, e.g.
          1: 4
          2: 0 1 2 0 3 4 5 0 6 7 8 0 0 0 0 0
          5a: 3
          5b: 0 1
          6: B
        Exit status 0 when every answer is right, 1 otherwise, 2 for unreadable files.

        Example:
          convmat exercise check --key week3/key.json --answers alice.txt
        """
    )

    @Option(help: ArgumentHelp("The key.json written by `convmat exercise --output` or `--key --format json`.", valueName: "file"))
    var key: String

    @Option(help: ArgumentHelp("The student's answer file, or - for standard input.", valueName: "file"))
    var answers: String

    func run() throws {
        let report: GradeReport
        do {
            let answerKey = try AnswerKey(json: try readText(key), source: key)
            let answerFile = try AnswerFile(text: try readText(answers), source: answers)
            report = GradeReport(answers: answerFile, key: answerKey)
        } catch let error as ExerciseError {
            throw InputError(error.description)
        }
        print(report.text, terminator: "")
        if !report.allCorrect { throw ExitCode(1) }
    }
}

/// Writes `text` to the file at `path`, replacing it.
func writeText(_ text: String, to path: String) throws(InputError) {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else { throw InputError("\(path): cannot be written (\(String(cString: strerror(errno))))") }
    defer { close(descriptor) }
    var bytes = Array(text.utf8)
    let written = bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress, $0.count) }
    if written != bytes.count { throw InputError("\(path): cannot be written (\(String(cString: strerror(errno))))") }
}
