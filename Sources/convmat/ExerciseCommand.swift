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
        discussion: reflowed(
            """
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
            """),
        subcommands: [ExerciseGenerateCommand.self, ExerciseCheckCommand.self],
        defaultSubcommand: ExerciseGenerateCommand.self
    )
}

/// `convmat exercise generate` (the default): print or write a sheet and its key.
struct ExerciseGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Print an exercise sheet (or, with --key, its answer key), or write both with --output.",
        discussion: reflowed(
            """
            Kinds: \(ExerciseKind.allCases.map(\.rawValue).joined(separator: ", ")).

            Examples:
              convmat exercise generate --seed 1 --count 7
              convmat exercise --seed 1 --count 7 --key --format json
              convmat exercise --seed 1 --kind output-size --difficulty easy --count 3
            """)
    )

    @Option(help: "Seed of the pseudo-random numbers (0 … 2^64 − 1); the same seed gives the same sheet.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Number of questions (1 … 500).")
    var count: Int = 7

    @Option(help: "easy, medium or hard.")
    var difficulty: Difficulty = .medium

    @Option(help: ArgumentHelp("Comma-separated kinds, dealt in turn; all kinds when omitted.", valueName: "kinds"))
    var kind: String?

    @Option(help: "markdown or latex (and json for --key).")
    var format: Format = .markdown

    /// The formats a sheet or key is printed in.
    enum Format: String, CaseIterable, ExpressibleByArgument {
        case markdown, latex, json
    }

    @Flag(help: "Print the answer key instead of the problems.")
    var key = false

    @Option(
        help: ArgumentHelp(
            "Write sheet.md (or .tex), key.md (or .tex) and key.json into this folder instead of printing. The folder must be new or hold only an earlier set, which is replaced whole.",
            valueName: "directory"))
    var output: String?

    func run() throws {
        let kinds = try kind.map { text throws(ExerciseError) in try ExerciseKind.list(text) } ?? []
        let wantsJSON = format == .json
        let sheetFormat: SheetFormat = format == .latex ? .latex : .markdown
        if wantsJSON && (!key || output != nil) {
            throw InputError("--format = json applies only to --key without --output (--output always writes key.json)")
        }
        let sheet = try ExerciseSheet(seed: seed, count: count, difficulty: difficulty, kinds: kinds)
        if let output {
            if key { throw InputError("--key and --output cannot be combined: --output writes the key too") }
            try writeFiles(sheet, format: sheetFormat, directory: output)
            return
        }
        if wantsJSON {
            emit(sheet.key.json, terminator: "")
        } else {
            emit(key ? sheet.answers(format: sheetFormat) : sheet.problems(format: sheetFormat), terminator: "")
        }
    }

    /// The files an exercise set may hold; a folder with anything else is refused rather than mixed into.
    static let setNames: Set<String> = ["sheet.md", "sheet.tex", "key.md", "key.tex", "key.json"]

    private func writeFiles(_ sheet: ExerciseSheet, format: SheetFormat, directory: String) throws {
        let set = try FileSet(directory: directory, names: Self.setNames)
        try set.write("sheet.\(format.fileExtension)", text: sheet.problems(format: format))
        try set.write("key.\(format.fileExtension)", text: sheet.answers(format: format))
        try set.write("key.json", text: sheet.key.json)
        try set.commit()
        for path in set.paths { emit("wrote \(path)") }
    }
}

/// `convmat exercise check`: grade an answer file against a key.
struct ExerciseCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Grade a student's answer file against key.json and say what is wrong.",
        discussion: reflowed(
            """
            The answer file has one line per answer, `N: value` or `Nx: value` for part x, e.g.
              1: 4
              2: 0 1 2 0 3 4 5 0 6 7 8 0 0 0 0 0
              5a: 3
              5b: 0 1
              6: B
            Exit status 0 when every answer is right, 1 otherwise, 2 for unreadable files.

            Example:
              convmat exercise check --key week3/key.json --answers alice.txt
            """)
    )

    @Option(help: ArgumentHelp("The key.json written by `convmat exercise --output` or `--key --format json`.", valueName: "file"))
    var key: String

    @Option(help: ArgumentHelp("The student's answer file, or - for standard input.", valueName: "file"))
    var answers: String

    func run() throws {
        let answerKey = try AnswerKey(json: try FileInput.text(atPath: key), source: key)
        let answerFile = try AnswerFile(text: try FileInput.text(atPath: answers), source: answers)
        let report = GradeReport(answers: answerFile, key: answerKey)
        emit(report.text, terminator: "")
        if !report.allCorrect { throw ExitCode(1) }
    }
}
