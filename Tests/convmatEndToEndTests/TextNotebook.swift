/// A lesson in `notebooks-text/`: a Markdown file that Jupytext opens as a
/// notebook with a bash kernel, whose cells are ```` ```bash ```` blocks, each
/// followed by an ```` ```output ```` (or ```` ```text ````) block holding exactly
/// what the commands print. An output that itself contains ```` ``` ```` lines is
/// fenced with more backquotes (```` ````output ````), as CommonMark allows.
///
/// Anything inside an HTML comment `<!-- … -->` is not a cell, so a lesson
/// can carry commands that do not exist yet. The notebook runner (the
/// `NotebookTests` suite) runs each cell and compares; `replacingOutputs`
/// rewrites the output blocks after a deliberate change.
struct TextNotebook: Sendable {
    /// One bash cell and the output block that follows it.
    struct Cell: Hashable, Sendable {
        /// The cell's commands, as bash will run them.
        let command: String
        /// The expected output (lines without their final newline), or nil when no output block follows.
        let expectedLines: [String]?
        /// 1-based line of the opening ```` ```bash ```` fence, for messages.
        let line: Int
        /// 0-based index of the line that closes the bash block.
        let codeEnd: Int
        /// 0-based lines of the output block's content (between its fences).
        let outputContent: Range<Int>?
    }

    /// The file's lines.
    let lines: [String]
    /// The cells outside comments, in order.
    let cells: [Cell]

    /// Reads the lesson text; a fence that is never closed is an error naming its line.
    init(text: String) throws(NotebookError) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        self.lines = lines
        var cells = [Cell]()
        var inComment = false
        var n = 0
        while n < lines.count {
            let line = lines[n]
            if inComment {
                if line.contains("-->") { inComment = false }
                n += 1
                continue
            }
            if let start = line.firstRange(of: "<!--"), !line[start.upperBound...].contains("-->") {
                inComment = true
                n += 1
                continue
            }
            guard line.trimmingTrailingSpaces() == "```bash" else { n += 1; continue }
            let open = n
            let end = try Self.closingFence(after: n, in: lines)
            let command = lines[(n + 1)..<end].joined(separator: "\n")
            var next = end + 1
            while next < lines.count && lines[next].trimmingTrailingSpaces().isEmpty { next += 1 }
            var output: Range<Int>? = nil
            if next < lines.count, let fence = Self.outputFence(lines[next]) {
                let close = try Self.closingFence(after: next, in: lines, fence: fence)
                output = (next + 1)..<close
                n = close + 1
            } else {
                n = end + 1
            }
            cells.append(Cell(command: command, expectedLines: output.map { Array(lines[$0]) },
                              line: open + 1, codeEnd: end, outputContent: output))
        }
        if inComment { throw .unclosedComment }
        self.cells = cells
    }

    /// The backquotes of an output block's opening fence (```` ```output ````, ```` ```text ````, or
    /// longer, as CommonMark allows, when the output itself contains ```` ``` ```` lines).
    private static func outputFence(_ line: String) -> String? {
        let text = line.trimmingTrailingSpaces()
        let fence = String(text.prefix { $0 == "`" })
        guard fence.count >= 3, ["output", "text"].contains(String(text.dropFirst(fence.count))) else { return nil }
        return fence
    }

    private static func closingFence(after open: Int, in lines: [String], fence: String = "```") throws(NotebookError) -> Int {
        var n = open + 1
        while n < lines.count {
            if lines[n].trimmingTrailingSpaces() == fence { return n }
            n += 1
        }
        throw .unclosedFence(line: open + 1)
    }

    /// Whether the file starts with the YAML header Jupytext needs for a bash kernel.
    var hasJupytextHeader: Bool {
        guard lines.first == "---", let end = lines.dropFirst().firstIndex(of: "---") else { return false }
        let header = lines[1..<end]
        return header.contains("jupyter:") && header.contains { $0.contains("jupytext:") }
            && header.contains { $0.contains("kernelspec:") } && header.contains("    name: bash")
    }

    /// The output a cell printed, as the lines an output block holds: the
    /// text without its final newline, and `[exit status N]` appended when
    /// the commands did not succeed.
    static func outputLines(printed: String, status: Int32) -> [String] {
        var text = printed
        if text.hasSuffix("\n") { text.removeLast() }
        var lines = text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if status != 0 { lines.append("[exit status \(status)]") }
        return lines
    }

    /// The lesson text with each cell's output block replaced by `outputs`
    /// (one entry per cell; a missing block is inserted after its cell).
    func replacingOutputs(_ outputs: [[String]]) -> String {
        precondition(outputs.count == cells.count, "one output per cell")
        var result = lines
        for (cell, output) in zip(cells, outputs).reversed() {
            // The fence must be longer than any run of backquotes that starts an output line.
            let longest = output.map { $0.prefix { $0 == "`" }.count }.max() ?? 0
            let fence = String(repeating: "`", count: max(3, longest + 1))
            if let range = cell.outputContent {
                result.replaceSubrange((range.lowerBound - 1)...range.upperBound, with: [fence + "output"] + output + [fence])
            } else {
                result.insert(contentsOf: ["", fence + "output"] + output + [fence], at: cell.codeEnd + 1)
            }
        }
        return result.joined(separator: "\n")
    }

    /// The subcommand named after each `convmat` in a command, e.g. ["shape", "run"];
    /// an option right after `convmat` (`convmat --help`) names none.
    static func convmatSubcommands(in command: String) -> [String] {
        let words = shellWords(command)
        return words.indices.compactMap { n in
            guard words[n] == "convmat" || words[n].hasSuffix("/convmat") else { return nil }
            guard n + 1 < words.count, !words[n + 1].hasPrefix("-") else { return nil }
            return words[n + 1]
        }
    }

    /// The first word of every simple command in `command` (split at newlines, `;`, `|`, `&&`, `||`).
    static func programs(in command: String) -> [String] {
        var programs = [String]()
        var atStart = true
        for word in shellWords(command) {
            if [";", "|", "&&", "||", "\n"].contains(word) { atStart = true; continue }
            if atStart { programs.append(word); atStart = false }
        }
        return programs
    }

    private static func shellWords(_ command: String) -> [String] {
        var words = [String]()
        var current = ""
        // A backslash before a newline continues the command on the next line.
        for character in command.replacing("\\\n", with: " ") {
            if character == " " || character == "\t" || character == "(" || character == ")" || character == "`" {
                if !current.isEmpty { words.append(current); current = "" }
            } else if character == "\n" || character == ";" || character == "|" || character == "&" {
                if !current.isEmpty { words.append(current); current = "" }
                let symbol = String(character)
                if let last = words.last, (symbol == "|" || symbol == "&"), last == symbol {
                    words[words.count - 1] = last + symbol
                } else {
                    words.append(symbol)
                }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}

/// Why a lesson file cannot be read as a notebook.
enum NotebookError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A code or output block opened on `line` has no closing fence.
    case unclosedFence(line: Int)
    /// An HTML comment is never closed.
    case unclosedComment

    /// One line naming the place and the problem.
    var description: String {
        switch self {
        case .unclosedFence(let line): return "the code block opened on line \(line) is never closed with ```"
        case .unclosedComment: return "an HTML comment <!-- is never closed with -->"
        }
    }
}

extension String {
    /// The string without trailing spaces, tabs and carriage returns.
    func trimmingTrailingSpaces() -> String {
        var text = self
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
        return text
    }
}
