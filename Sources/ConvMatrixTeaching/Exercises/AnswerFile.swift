import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// A student's answers: one line per answer, `N: value…` or `Nx: value…`
/// (N the question number, x the part letter), where the value is numbers
/// separated by spaces, commas, semicolons, slashes or brackets (`5`,
/// `0 1 2`, `[[0, 1], [2, 3]]`, `6x6`), or the letter of a choice (`B`).
/// Blank lines and everything after `#` are ignored.
public struct AnswerFile: Hashable, Sendable {
    /// The raw value text of each answer line, by `"N"` or `"Nx"`.
    package let answers: [String: String]

    /// Reads an answer file; `source` names it in messages. A line that is
    /// not `N…: value`, or a second answer for the same part, is refused.
    ///
    /// - Parameters:
    ///   - text: the file's content, one `N…: value` line per answered part.
    ///   - source: the file named in a refusal.
    /// - Throws: `ExerciseError` naming `source` and the line that is malformed or answers a part twice.
    public init(text: String, source: String) throws(ExerciseError) {
        var answers = [String: String]()
        var lineOf = [String: Int]()
        for (n, rawLine) in text.textLines.enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let content = trimmed(line, of: " \t\r")
            if content.isEmpty { continue }
            guard let colon = content.firstIndex(of: ":") else {
                throw .invalid(field: "\(source) line \(n + 1)", reason: "= \(quoted: String(content)) needs the form `N: answer`, e.g. `3: 5` or `5b: 0 1`")
            }
            let label = trimmed(content[..<colon], of: " \t").lowercased()
            let digits = label.prefix { $0.isASCII && $0.isNumber }
            let letter = label.dropFirst(digits.count)
            guard !digits.isEmpty, letter.count <= 1, letter.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw .invalid(field: "\(source) line \(n + 1)", reason: "= \(quoted: String(label)) is not a question number like 3 or 5b")
            }
            let key = String(Int(digits).map(String.init) ?? String(digits)) + letter
            if let first = lineOf[key] {
                throw .invalid(field: "\(source) line \(n + 1)", reason: "answers \(key) again (first answered on line \(first)); keep one line per answer")
            }
            lineOf[key] = n + 1
            answers[key] = trimmed(content[content.index(after: colon)...], of: " \t")
        }
        self.answers = answers
    }

    /// The numbers in an answer's text, or the first piece that is not a number.
    static func numbers(in text: String) -> Result<[Double], NotANumber> {
        var values = [Double]()
        let separators: Set<Character> = [" ", "\t", ",", ";", "/", "|", "[", "]", "(", ")", "{", "}", "×"]
        for token in text.split(whereSeparator: { separators.contains($0) }) {
            // "6x6" is a size: two numbers.
            let pieces =
                token.contains("x") && token.first != "x" && token.last != "x"
                ? token.split(separator: "x").map(String.init) : [String(token)]
            for piece in pieces {
                let normal = String(piece.map { $0 == "−" ? "-" : $0 })
                guard let value = Double(normal), value.isFinite else { return .failure(NotANumber(text: String(token))) }
                values.append(value)
            }
        }
        return .success(values)
    }

    /// A piece of an answer that could not be read as a number.
    struct NotANumber: Error { let text: String }
}

/// `text` without leading and trailing characters from `set`.
func trimmed<S: StringProtocol>(_ text: S, of set: String) -> String {
    let characters = Set(set)
    guard let first = text.firstIndex(where: { !characters.contains($0) }),
        let last = text.lastIndex(where: { !characters.contains($0) })
    else { return "" }
    return String(text[first...last])
}
