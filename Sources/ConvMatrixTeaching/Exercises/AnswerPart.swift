import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// What a student writes for one part of a question: numbers (a size, a
/// row of C, an output grid) or the letter of a choice.
package enum AnswerValue: Hashable, Sendable {
    /// Numbers in reading order (a size, a row of C, an output grid row by row).
    case numbers([Double])
    /// The letter of a choice, such as "A".
    case choice(String)

    /// The value as a student would write it on an answer line.
    package var text: String {
        switch self {
        case .numbers(let values): return values.map(formatNumber).joined(separator: " ")
        case .choice(let letter): return letter
        }
    }

    /// Ruled lines a printed sheet leaves for the answer: one for a choice or a few
    /// numbers, one more per 8 numbers (an output grid or a row of C).
    package var writingLines: Int {
        switch self {
        case .numbers(let values): return min(4, 1 + (values.count - 1) / 8)
        case .choice: return 1
        }
    }
}

/// A known wrong answer and what it reveals, so that grading can say why.
package struct Mistake: Hashable, Sendable {
    /// The wrong answer.
    package let answer: AnswerValue
    /// The misunderstanding it comes from, in a student's words.
    package let note: String

    /// Records that `answer` comes from the misunderstanding `note`.
    ///
    /// - Parameters:
    ///   - answer: the wrong answer a student may give.
    ///   - note: the misunderstanding that leads to it, shown to the student when graded.
    package init(answer: AnswerValue, note: String) {
        self.answer = answer
        self.note = note
    }
}

/// One gradable answer of a question, with everything the key and the
/// grader need to explain it.
package struct AnswerPart: Hashable, Sendable {
    /// "" for a one-part question, otherwise "a", "b", …; the answer line is `N<label>:`.
    package let label: String
    /// What is asked for, e.g. "output size" or "row 2 of C".
    package let name: String
    /// The correct answer, computed by the library.
    package let expected: AnswerValue
    /// The worked solution with the numbers filled in.
    package let working: String
    /// The rule to check, e.g. "o = ⌊(i + 2p − k)/s⌋ + 1".
    package let hint: String
    /// Names of the entries of a list answer (e.g. "z[0,1]"), for pointing at a wrong entry.
    package let positions: [String]
    /// Wrong answers whose cause is known.
    package let mistakes: [Mistake]

    /// A part; `mistakes` equal to the expected answer are dropped, and only the first note per wrong answer is kept.
    ///
    /// - Parameters:
    ///   - label: the part's letter (`a`, `b`), empty for a question with one part.
    ///   - name: what the part asks for, in a few words.
    ///   - expected: the right answer.
    ///   - working: the worked solution, for the answer key.
    ///   - hint: what to look at again, shown with a wrong answer.
    ///   - positions: the names of a vector's elements, when the answer is one.
    ///   - mistakes: wrong answers with the misunderstanding behind each.
    package init(
        label: String = "", name: String, expected: AnswerValue, working: String, hint: String,
        positions: [String] = [], mistakes: [Mistake] = []
    ) {
        self.label = label
        self.name = name
        self.expected = expected
        self.working = working
        self.hint = hint
        self.positions = positions
        var kept = [Mistake]()
        for mistake in mistakes where mistake.answer != expected && !kept.contains(where: { $0.answer == mistake.answer }) {
            kept.append(mistake)
        }
        self.mistakes = kept
    }
}
