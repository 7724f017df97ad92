import Testing
import ConvMatrix
@testable import ConvMatrixCore
@testable import ConvMatrixInterchange
@testable import ConvMatrixRendering
@testable import ConvMatrixTeaching
import ConvMatrixTestSupport
@testable import ConvMatrixPooling
@testable import ConvMatrixSpectrum
@testable import ConvMatrixVerification

/// Grading: verdicts that say what is wrong, against a key written here by hand.
@Suite struct GradeReportTests {
    static let key = AnswerKey(
        seed: 0, difficulty: .easy,
        questions: [
            .init(
                number: 1, kind: .outputSize,
                parts: [
                    AnswerPart(
                        name: "output size", expected: .numbers([3]),
                        working: "o = ⌊(5 + 2·1 − 3)/2⌋ + 1 = 3", hint: "o = ⌊(i + 2p − k)/s⌋ + 1",
                        mistakes: [Mistake(answer: .numbers([2]), note: "padding p is added on both sides: use 2p")])
                ]),
            .init(
                number: 2, kind: .transposedByHand,
                parts: [
                    AnswerPart(
                        name: "output z", expected: .numbers([0, 0, 1, 0, 4, 6, 4, 12, 9]),
                        working: "d2l", hint: "scatter and add",
                        positions: ["z[0,0]", "z[0,1]", "z[0,2]", "z[1,0]", "z[1,1]", "z[1,2]", "z[2,0]", "z[2,1]", "z[2,2]"])
                ]),
            .init(
                number: 3, kind: .samePadding,
                parts: [
                    AnswerPart(label: "a", name: "output length", expected: .numbers([4]), working: "⌈4/1⌉ = 4", hint: "⌈i/s⌉"),
                    AnswerPart(
                        label: "b", name: "zeros before and after", expected: .numbers([0, 1]), working: "P = 1", hint: "odd zero at the end",
                        mistakes: [Mistake(answer: .numbers([1, 0]), note: "TensorFlow puts the odd extra zero after the data")]),
                ]),
            .init(
                number: 4, kind: .spotTransposed,
                parts: [
                    AnswerPart(
                        name: "the matrix M", expected: .choice("B"), working: "B is Cᵀ", hint: "columns of Cᵀ are w")
                ]),
        ])

    func grade(_ text: String) throws -> GradeReport {
        GradeReport(answers: try AnswerFile(text: text, source: "answers.txt"), key: Self.key)
    }

    @Test func allRightIsAFullScore() throws {
        let report = try grade("1: 3\n2: [[0, 0, 1], [0, 4, 6], [4, 12, 9]]\n3a: 4  # stride 1\n3b: 0 1\n4: b\n")
        #expect(report.allCorrect)
        #expect(report.text.hasSuffix("score: 5/5\n"))
        #expect(report.lines[0] == "question 1: correct (output size: 3)")
    }

    /// The same answers with Windows (CRLF) or old Mac (CR) line ends grade the same: 5/5.
    @Test func lineEndsFromOtherSystemsGradeTheSame() throws {
        let answers = ["1: 3", "2: 0 0 1 0 4 6 4 12 9", "3a: 4", "3b: 0 1", "4: B"]
        for separator in ["\n", "\r\n", "\r"] {
            let report = try grade(answers.joined(separator: separator) + separator)
            #expect(report.correct == 5, "line ends \(separator.debugDescription)")
        }
    }

    @Test func aKnownMistakeIsExplained() throws {
        let report = try grade("1: 2\n2: 0 0 1 0 4 6 4 12 9\n3a: 4\n3b: 1 0\n4: A\n")
        #expect(report.correct == 2)
        #expect(
            report.lines == [
                "question 1: you wrote output size 2; it is 3 — padding p is added on both sides: use 2p",
                "  working: o = ⌊(5 + 2·1 − 3)/2⌋ + 1 = 3",
                "  check: o = ⌊(i + 2p − k)/s⌋ + 1",
                "question 2: correct (output z: 0 0 1 0 4 6 4 12 9)",
                "question 3a: correct (output length: 4)",
                "question 3b (zeros before and after): 2 of 2 entries are wrong; first: you wrote 1 for entry 1, it is 0, and 1 more entry differs",
                "  TensorFlow puts the odd extra zero after the data",
                "  working: P = 1",
                "  check: odd zero at the end",
                "question 4: you chose A; it is B",
                "  working: B is Cᵀ",
                "  check: columns of Cᵀ are w",
            ])
    }

    @Test func aWrongEntryIsNamedByItsPosition() throws {
        let report = try grade("2: 0 0 1 0 4 6 4 13 9\n")
        #expect(report.lines.contains("question 2 (output z): 1 of 9 entries are wrong; first: you wrote 13 for z[2,1], it is 12"))
        #expect(report.lines.contains("question 1: not answered (write the output size on a line `1: …`)"))
    }

    @Test func wrongLengthsUnreadableNumbersAndStrayLinesAreReported() throws {
        let report = try grade("1: three\n2: 0 0 1\n3: 4 0 1\n4: AB\n9: 1\n")
        #expect(report.lines.contains("question 1: \"three\" is not a number; write the output size as numbers separated by spaces"))
        #expect(report.lines.contains("question 2: you wrote 3 numbers; the answer to \"output z\" has 9"))
        #expect(report.lines.contains("question 4: write just the letter of your choice, not \"AB\""))
        #expect(report.lines.contains("answer 3: question 3 has parts a and b; write one line per part"))
        #expect(report.lines.contains("answer 9: there is no such question on this sheet"))
        #expect(report.correct == 0 && report.total == 5)
    }

    @Test func malformedAnswerFilesAreRefusedWithTheLine() {
        #expect(throws: ExerciseError.invalid(field: "answers.txt line 2", reason: "= \"five\" needs the form `N: answer`, e.g. `3: 5` or `5b: 0 1`")) {
            try AnswerFile(text: "1: 3\nfive\n", source: "answers.txt")
        }
        #expect(throws: ExerciseError.invalid(field: "answers.txt line 3", reason: "answers 1 again (first answered on line 1); keep one line per answer")) {
            try AnswerFile(text: "1: 3\n\n01: 4\n", source: "answers.txt")
        }
        #expect(throws: ExerciseError.invalid(field: "answers.txt line 1", reason: "= \"q1\" is not a question number like 3 or 5b")) {
            try AnswerFile(text: "q1: 3\n", source: "answers.txt")
        }
    }

    @Test func sizesLikeSixBySixAndUnicodeMinusAreNumbers() throws {
        let file = try AnswerFile(text: "1: 6x6\n2: −1, 2\n", source: "a")
        #expect(file.answers == ["1": "6x6", "2": "−1, 2"])
        #expect(try AnswerFile.numbers(in: "6x6").get() == [6, 6])
        #expect(try AnswerFile.numbers(in: "−1, 2").get() == [-1, 2])
    }

    /// The JSON key reads back as the same key, for every kind.
    @Test(arguments: Difficulty.allCases)
    func theJSONKeyRoundTrips(_ difficulty: Difficulty) throws {
        let key = try ExerciseSheet(seed: 99, count: 14, difficulty: difficulty).key
        #expect(try AnswerKey(json: key.json, source: "key.json") == key)
        #expect(try AnswerKey(json: Self.key.json, source: "key.json") == Self.key)
    }

    @Test func aDamagedKeyIsRefusedWithTheField() {
        #expect(throws: ExerciseError.invalid(field: "key.json: difficulty", reason: "must be easy, medium or hard")) {
            try AnswerKey(json: "{\"seed\": 1, \"difficulty\": \"extreme\", \"questions\": []}", source: "key.json")
        }
        #expect(
            throws: ExerciseError.invalid(
                field: "key.json: questions[0].kind",
                reason: "must be one of output-size, matrix-line, transposed-by-hand, restore-size, same-padding, spot-transposed, dilated-vs-transposed")
        ) {
            try AnswerKey(
                json: "{\"seed\": 1, \"difficulty\": \"easy\", \"questions\": [{\"number\": 1, \"kind\": \"guess\", \"parts\": []}]}", source: "key.json")
        }
    }

    /// Every generated sheet, answered from its own key, grades as all correct; one wrong answer does not.
    @Test(arguments: ExerciseKind.allCases)
    func generatedKeysGradeTheirOwnAnswers(_ kind: ExerciseKind) throws {
        for difficulty in Difficulty.allCases {
            let key = try ExerciseSheet(seed: 7, count: 3, difficulty: difficulty, kinds: [kind]).key
            let lines = key.questions.flatMap { q in q.parts.map { "\(q.number)\($0.label): \($0.expected.text)" } }
            let right = GradeReport(answers: try AnswerFile(text: lines.joined(separator: "\n"), source: "a"), key: key)
            #expect(right.allCorrect, "\(kind) \(difficulty): \(right.text)")
            var wrong = lines
            wrong[0] = wrong[0].hasSuffix(": A") ? "1: B" : (wrong[0].hasSuffix(": B") ? "1: A" : wrong[0] + " 1")
            let graded = GradeReport(answers: try AnswerFile(text: wrong.joined(separator: "\n"), source: "a"), key: key)
            #expect(graded.correct == graded.total - 1)
            #expect(graded.lines.contains { $0.hasPrefix("  check: ") })
        }
    }
}
