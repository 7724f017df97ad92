import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// The result of grading an answer file against a key: one verdict per part
/// that says what is wrong and which rule to check, and the score.
public struct GradeReport: Hashable, Sendable {
    /// The report, one verdict per line (explanations indented below wrong ones).
    package let lines: [String]
    /// Parts answered correctly.
    public let correct: Int
    /// Parts on the sheet.
    public let total: Int

    /// Whether every part was answered correctly.
    public var allCorrect: Bool { correct == total }

    /// The report as printed by `convmat exercise check`.
    public var text: String { (lines + ["score: \(correct)/\(total)"]).joined(separator: "\n") + "\n" }

    /// Grades `answers` against `key`. Numbers count as equal within 10⁻⁹
    /// relative; a choice ignores case.
    ///
    /// - Parameters:
    ///   - answers: the student's answers.
    ///   - key: the key of the same sheet.
    public init(answers: AnswerFile, key: AnswerKey) {
        var lines = [String]()
        var correct = 0, total = 0
        var known = Set<String>()
        for question in key.questions {
            for part in question.parts {
                total += 1
                let id = "\(question.number)\(part.label)"
                known.insert(id)
                let verdict = Self.verdict(for: answers.answers[id], part: part, id: id)
                if verdict.isEmpty {
                    correct += 1
                    lines.append("question \(id): correct (\(part.name): \(part.expected.text))")
                } else {
                    lines += verdict
                }
            }
        }
        for extra in answers.answers.keys.sorted() where !known.contains(extra) {
            let parts = key.questions.first { "\($0.number)" == extra.filter(\.isNumber) }?.parts.map(\.label) ?? []
            if parts.count > 1 || parts.first.map({ !$0.isEmpty }) == true {
                lines.append("answer \(extra): question \(extra.filter(\.isNumber)) has parts \(parts.joined(separator: " and ")); write one line per part")
            } else {
                lines.append("answer \(extra): there is no such question on this sheet")
            }
        }
        self.lines = lines
        self.correct = correct
        self.total = total
    }

    /// Nothing when `written` is right; otherwise the lines explaining what is wrong.
    private static func verdict(for written: String?, part: AnswerPart, id: String) -> [String] {
        let check = "  check: \(part.hint)"
        guard let written, !written.isEmpty else {
            return ["question \(id): not answered (write the \(part.name) on a line `\(id): …`)"]
        }
        let given: AnswerValue
        switch part.expected {
        case .choice(let letter):
            let choice = written.uppercased()
            guard choice.count == 1, choice.first?.isLetter == true else {
                return ["question \(id): write just the letter of your choice, not \"\(written)\""]
            }
            given = .choice(choice)
            if choice == letter.uppercased() { return [] }
        case .numbers(let expected):
            switch AnswerFile.numbers(in: written) {
            case .failure(let bad):
                return ["question \(id): \"\(bad.text)\" is not a number; write the \(part.name) as numbers separated by spaces"]
            case .success(let values):
                given = .numbers(values)
                if values.count == expected.count && zip(values, expected).allSatisfy(close) { return [] }
            }
        }
        let known = part.mistakes.first { mistake in
            if case .numbers(let a) = mistake.answer, case .numbers(let b) = given {
                return a.count == b.count && zip(a, b).allSatisfy(close)
            }
            return mistake.answer == given
        }
        var lines = [String]()
        switch (part.expected, given) {
        case (.numbers(let expected), .numbers(let values)) where expected.count == 1 && values.count == 1:
            lines.append(
                "question \(id): you wrote \(part.name) \(formatNumber(values[0])); it is \(formatNumber(expected[0]))\(known.map { " — \($0.note)" } ?? "")")
        case (.numbers(let expected), .numbers(let values)) where expected.count != values.count:
            lines.append(
                "question \(id): you wrote \(values.count) number\(values.count == 1 ? "" : "s"); the answer to \"\(part.name)\" has \(expected.count)\(known.map { " — \($0.note)" } ?? "")"
            )
        case (.numbers(let expected), .numbers(let values)):
            let wrong = expected.indices.filter { !close(values[$0], expected[$0]) }
            let first = wrong[0]
            let place = first < part.positions.count ? part.positions[first] : "entry \(first + 1)"
            let more = wrong.count > 1 ? ", and \(wrong.count - 1) more entr\(wrong.count == 2 ? "y differs" : "ies differ")" : ""
            lines.append(
                "question \(id) (\(part.name)): \(wrong.count) of \(expected.count) entries are wrong; first: you wrote \(formatNumber(values[first])) for \(place), it is \(formatNumber(expected[first]))\(more)"
            )
            if let known { lines.append("  \(known.note)") }
        default:
            lines.append("question \(id): you chose \(given.text); it is \(part.expected.text)\(known.map { " — \($0.note)" } ?? "")")
        }
        lines.append("  working: \(part.working)")
        lines.append(check)
        return lines
    }

    private static func close(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
    }
}
