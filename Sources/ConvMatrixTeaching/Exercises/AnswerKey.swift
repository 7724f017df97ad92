import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// The machine-readable answer key (`key.json`) that `convmat exercise check`
/// grades against: every part's answer, worked solution, rule and known
/// mistakes, so that grading needs neither the seed nor the generator.
///
///     {"seed": 7, "difficulty": "medium", "questions": [
///       {"number": 1, "kind": "output-size", "parts": [
///         {"label": "", "name": "output size", "answer": [4], "working": "…",
///          "hint": "…", "positions": [], "mistakes": [{"answer": [3], "note": "…"}]}]}]}
///
/// A choice is written as a string: `"answer": "B"`.
public struct AnswerKey: Hashable, Sendable {
    /// One question of the key.
    package struct Question: Hashable, Sendable {
        /// The question's number on the sheet.
        package let number: Int
        /// Its kind.
        package let kind: ExerciseKind
        /// Its answers, one per answer line.
        package let parts: [AnswerPart]

        /// A question with its parts.
        ///
        /// - Parameters:
        ///   - number: the question's number on the sheet, from 1.
        ///   - kind: the kind of exercise it is.
        ///   - parts: its parts, each with an expected answer.
        package init(number: Int, kind: ExerciseKind, parts: [AnswerPart]) {
            self.number = number
            self.kind = kind
            self.parts = parts
        }
    }

    /// The seed of the sheet the key belongs to.
    package let seed: UInt64
    /// The sheet's difficulty.
    package let difficulty: Difficulty
    /// The questions, in sheet order.
    package let questions: [Question]

    /// A key with the given questions.
    ///
    /// - Parameters:
    ///   - seed: the seed the sheet was made from, so the key names its sheet.
    ///   - difficulty: the sheet's difficulty.
    ///   - questions: the questions in order.
    package init(seed: UInt64, difficulty: Difficulty, questions: [Question]) {
        self.seed = seed
        self.difficulty = difficulty
        self.questions = questions
    }

    /// The key as JSON, one question per line.
    public var json: String {
        let body = questions.map { question in
            let parts = question.parts.map { part in
                let mistakes = part.mistakes.map { "{\"answer\": \(Self.json(part: $0.answer)), \"note\": \(Self.json($0.note))}" }
                return "{\"label\": \(Self.json(part.label)), \"name\": \(Self.json(part.name)), \"answer\": \(Self.json(part: part.expected)), "
                    + "\"working\": \(Self.json(part.working)), \"hint\": \(Self.json(part.hint)), "
                    + "\"positions\": [\(part.positions.map(Self.json).joined(separator: ", "))], "
                    + "\"mistakes\": [\(mistakes.joined(separator: ", "))]}"
            }
            return "  {\"number\": \(question.number), \"kind\": \(Self.json(question.kind.rawValue)), \"parts\": [\(parts.joined(separator: ", "))]}"
        }
        return "{\"seed\": \(seed), \"difficulty\": \(Self.json(difficulty.rawValue)), \"questions\": [\n"
            + body.joined(separator: ",\n") + "\n]}\n"
    }

    private static func json(part value: AnswerValue) -> String {
        switch value {
        case .numbers(let numbers): return "[" + numbers.map(formatNumber).joined(separator: ", ") + "]"
        case .choice(let letter): return json(letter)
        }
    }

    private static func json(_ text: String) -> String { JSONWriting.string(text) }

    /// Reads a key written by `json`; `source` names the file in messages.
    ///
    /// - Parameters:
    ///   - text: the key as JSON.
    ///   - source: the file named in a refusal.
    /// - Throws: `ExerciseError` naming `source` when the text is not JSON or not a key.
    public init(json text: String, source: String) throws(ExerciseError) {
        let root: JSONValue
        do { root = try JSONValue(parsing: text) } catch {
            throw .invalid(field: source, reason: "is not a valid key: it is not JSON (\(error))")
        }
        let reader = KeyReader(source: source)
        let object = try reader.object(root, "the document")
        guard let seed = UInt64(try reader.numberText(object["seed"], "seed")) else {
            throw .invalid(field: "\(source): seed", reason: "must be a whole number from 0 to 2^64 − 1")
        }
        guard let difficulty = Difficulty(rawValue: try reader.string(object["difficulty"], "difficulty")) else {
            throw .invalid(field: "\(source): difficulty", reason: "must be easy, medium or hard")
        }
        var questions = [Question]()
        for (n, item) in try reader.array(object["questions"], "questions").enumerated() {
            let field = "questions[\(n)]"
            let question = try reader.object(item, field)
            guard let kind = ExerciseKind(rawValue: try reader.string(question["kind"], "\(field).kind")) else {
                throw .invalid(field: "\(source): \(field).kind", reason: "must be one of \(ExerciseKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var parts = [AnswerPart]()
            for (m, partItem) in try reader.array(question["parts"], "\(field).parts").enumerated() {
                let partField = "\(field).parts[\(m)]"
                let part = try reader.object(partItem, partField)
                var mistakes = [Mistake]()
                for (j, mistake) in try reader.array(part["mistakes"], "\(partField).mistakes").enumerated() {
                    let entry = try reader.object(mistake, "\(partField).mistakes[\(j)]")
                    mistakes.append(
                        Mistake(
                            answer: try reader.answer(entry["answer"], "\(partField).mistakes[\(j)].answer"),
                            note: try reader.string(entry["note"], "\(partField).mistakes[\(j)].note")))
                }
                parts.append(
                    AnswerPart(
                        label: try reader.string(part["label"], "\(partField).label"),
                        name: try reader.string(part["name"], "\(partField).name"),
                        expected: try reader.answer(part["answer"], "\(partField).answer"),
                        working: try reader.string(part["working"], "\(partField).working"),
                        hint: try reader.string(part["hint"], "\(partField).hint"),
                        positions: try reader.array(part["positions"], "\(partField).positions").map { value throws(ExerciseError) in
                            try reader.string(value, "\(partField).positions")
                        },
                        mistakes: mistakes))
            }
            questions.append(Question(number: try reader.integer(question["number"], "\(field).number"), kind: kind, parts: parts))
        }
        if questions.isEmpty {
            throw .invalid(field: "\(source): questions", reason: "is empty; a key needs at least one question to grade against")
        }
        self.init(seed: seed, difficulty: difficulty, questions: questions)
    }
}

/// Typed access to the parsed key, with messages that name the key's field.
private struct KeyReader {
    let source: String

    func fail(_ field: String, _ reason: FieldMessage) -> ExerciseError { .invalid(field: "\(source): \(field)", reason: reason) }

    func object(_ value: JSONValue?, _ field: String) throws(ExerciseError) -> [String: JSONValue] {
        guard case .object(let members)? = value else { throw fail(field, "must be a JSON object") }
        return members
    }

    func array(_ value: JSONValue?, _ field: String) throws(ExerciseError) -> [JSONValue] {
        guard case .array(let items)? = value else { throw fail(field, "must be a JSON array") }
        return items
    }

    func string(_ value: JSONValue?, _ field: String) throws(ExerciseError) -> String {
        guard case .string(let text)? = value else { throw fail(field, "must be a string") }
        return text
    }

    func numberText(_ value: JSONValue?, _ field: String) throws(ExerciseError) -> String {
        guard case .number(let text)? = value else { throw fail(field, "must be a number") }
        return text
    }

    func integer(_ value: JSONValue?, _ field: String) throws(ExerciseError) -> Int {
        guard let number = Int(try numberText(value, field)) else { throw fail(field, "must be a whole number") }
        return number
    }

    func answer(_ value: JSONValue?, _ field: String) throws(ExerciseError) -> AnswerValue {
        if case .string(let letter)? = value { return .choice(letter) }
        var numbers = [Double]()
        for item in try array(value, field) {
            guard let number = Double(try numberText(item, field)), number.isFinite else { throw fail(field, "must hold finite numbers") }
            numbers.append(number)
        }
        return .numbers(numbers)
    }
}
