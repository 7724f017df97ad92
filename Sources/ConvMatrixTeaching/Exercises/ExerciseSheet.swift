import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// A numbered set of generated exercises, the same for the same seed,
/// count, difficulty and kinds on every machine.
///
/// Question n draws its numbers from `SplitMix64(seed: seed + n·γ)` (γ the
/// generator's own constant, wrapping), so a longer sheet begins with the
/// questions of a shorter one; kinds are dealt in turn from `kinds`.
public struct ExerciseSheet: Hashable, Sendable {
    /// The seed the sheet was made from.
    package let seed: UInt64
    /// The difficulty of every question.
    package let difficulty: Difficulty
    /// The questions, numbered from 1.
    package let exercises: [Exercise]

    /// Makes `count` questions (1…500) cycling through `kinds` (all kinds when empty).
    ///
    /// - Parameters:
    ///   - seed: the seed; the same seed gives the same sheet on every machine.
    ///   - count: the number of questions, 1…500.
    ///   - difficulty: how large the drawn sizes are.
    ///   - kinds: the kinds dealt in turn; empty for all.
    /// - Throws: `ExerciseError` naming `count` when it is outside 1…500, or when a question cannot be made.
    public init(seed: UInt64, count: Int, difficulty: Difficulty, kinds: [ExerciseKind] = []) throws(ExerciseError) {
        guard (1...500).contains(count) else {
            throw .invalid(field: "count", reason: "= \(count) must be between 1 and 500")
        }
        let cycle = kinds.isEmpty ? ExerciseKind.allCases : kinds
        var made = [Exercise]()
        for number in 1...count {
            var random = SplitMix64(seed: seed &+ UInt64(number) &* 0x9E37_79B9_7F4A_7C15)
            made.append(
                try Exercise.generate(
                    number: number, kind: cycle[(number - 1) % cycle.count], difficulty: difficulty, random: &random))
        }
        self.seed = seed
        self.difficulty = difficulty
        self.exercises = made
    }

    /// The answer key: every part's answer with its explanation, for grading.
    public var key: AnswerKey {
        AnswerKey(
            seed: seed, difficulty: difficulty,
            questions: exercises.map {
                AnswerKey.Question(number: $0.number, kind: $0.kind, parts: $0.parts)
            })
    }
}

/// The two documents a sheet is printed as, and their formats.
public enum SheetFormat: String, CaseIterable, Sendable {
    /// GitHub Markdown; grids as fenced text blocks.
    case markdown
    /// A complete LaTeX article; grids as `bmatrix`.
    case latex

    /// The file extension of the format.
    public var fileExtension: String { self == .markdown ? "md" : "tex" }
}

extension ExerciseSheet {
    /// The problems for students, without answers.
    ///
    /// - Parameter format: Markdown or LaTeX.
    /// - Returns: the sheet's text; a LaTeX sheet is a whole document.
    public func problems(format: SheetFormat) -> String {
        var out = SheetWriter(format: format)
        out.heading("Transposed convolution exercises", level: 1)
        out.nameField()
        out.paragraph(
            "Seed \(seed), difficulty \(difficulty.rawValue), \(exercises.count) question\(exercises.count == 1 ? "" : "s"). Write your answers in a text file, one line per answer: the question number (with the part letter, if any), a colon, then the numbers separated by spaces, or the letter of a choice. Grade it with `convmat exercise check --key key.json --answers FILE`."
        )
        for exercise in exercises {
            out.heading("\(exercise.number). \(exercise.kind.title)", level: 2)
            for block in exercise.prompt { out.block(block) }
            let lines = exercise.parts.map { "`\(exercise.number)\($0.label): …`" }
            out.paragraph("Answer line\(lines.count == 1 ? "" : "s"): " + lines.joined(separator: " and "))
            for part in exercise.parts { out.answerSpace("\(exercise.number)\(part.label)", lines: part.expected.writingLines) }
        }
        return out.finished()
    }

    /// The answer key for the lecturer: answers, worked solutions and rules.
    ///
    /// - Parameter format: Markdown or LaTeX.
    /// - Returns: the key's text; a LaTeX key is a whole document.
    public func answers(format: SheetFormat) -> String {
        var out = SheetWriter(format: format)
        out.heading("Answer key", level: 1)
        out.paragraph("Seed \(seed), difficulty \(difficulty.rawValue). Every answer was computed by the ConvMatrix library.")
        for exercise in exercises {
            out.heading("\(exercise.number). \(exercise.kind.title)", level: 2)
            for part in exercise.parts {
                out.paragraph("`\(exercise.number)\(part.label): \(part.expected.text)` — \(part.working).")
            }
        }
        return out.finished()
    }
}

/// Builds a Markdown or LaTeX document block by block.
struct SheetWriter {
    let format: SheetFormat
    private var lines = [String]()

    init(format: SheetFormat) {
        self.format = format
        if format == .latex {
            // Ragged right: code spans (`nn.ConvTranspose2d(…)`) cannot stretch, and justified lines would overflow the margin.
            lines = [
                "% Compile with pdflatex (lualatex and xelatex work too).", "\\documentclass{article}", "\\usepackage{amsmath}",
                "\\begin{document}", "\\raggedright",
            ]
        }
    }

    mutating func heading(_ text: String, level: Int) {
        switch format {
        case .markdown: lines += [String(repeating: "#", count: level) + " " + text, ""]
        case .latex: lines += ["\\\(level == 1 ? "section" : "subsection")*{\(LaTeXText.escape(text))}", ""]
        }
    }

    mutating func paragraph(_ text: String) {
        lines += [format == .markdown ? text : LaTeXText.escape(text), ""]
    }

    mutating func block(_ block: PromptBlock) {
        switch block {
        case .text(let text):
            paragraph(text)
        case .grid(let caption, let rows):
            let width = rows.joined().map(\.count).max() ?? 1
            switch format {
            case .markdown:
                lines.append("```text")
                lines.append("\(caption) =")
                for row in rows {
                    lines.append("  " + row.map { String(repeating: " ", count: width - $0.count) + $0 }.joined(separator: " "))
                }
                lines += ["```", ""]
            case .latex:
                let body = rows.map { $0.joined(separator: " & ") }.joined(separator: " \\\\ ")
                lines += ["\\[ \(caption) = \\begin{bmatrix} \(body) \\end{bmatrix} \\]", ""]
            }
        }
    }

    /// A line for the student's name and the date, at the top of a printed sheet.
    mutating func nameField() {
        switch format {
        case .markdown: lines += ["Name: ______________________________    Date: ______________", ""]
        case .latex: lines += ["\\noindent Name: \\rule{7cm}{0.4pt}\\qquad Date: \\rule{3cm}{0.4pt}", ""]
        }
    }

    /// Room to write answer `label` on paper: `lines` ruled lines (a grid of numbers gets one per row).
    mutating func answerSpace(_ label: String, lines count: Int) {
        switch format {
        case .markdown:
            lines += ["\(label): " + String(repeating: "_", count: 40)] + Array(repeating: "    " + String(repeating: "_", count: 40), count: count - 1) + [""]
        case .latex:
            let rules = Array(repeating: "\\vspace{6mm}\\hrulefill\\par", count: count - 1).joined()
            lines += ["\\noindent\\textbf{\(LaTeXText.escape(label)):}\\vspace{6mm}\\hrulefill\\par\(rules)\\medskip", ""]
        }
    }

    func finished() -> String {
        (format == .latex ? lines + ["\\end{document}"] : lines).joined(separator: "\n") + (format == .latex ? "\n" : "")
    }
}
