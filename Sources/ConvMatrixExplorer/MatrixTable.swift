import ConvMatrix

/// The printed matrix as an HTML table the page can link: `MatrixPrinter`'s
/// Markdown (with labels) cut into cells, so the entries, labels, flip and
/// order are the CLI's, plus each row's nonzero columns.
///
/// Rows are `<tr data-row="r">`, cells `<td data-row="r" data-col="c">`,
/// headers `<th data-col="c">` and `<th data-row="r">`; cells that start a
/// channel block carry the classes `block-top` / `block-left`, structural
/// zeros `zero`. Every cell is focusable (`tabindex="-1"`, the first one `0`)
/// so the page can move through them with the arrow keys.
struct MatrixTable {
    /// The `<table>` element.
    let html: String
    /// For each printed row, the printed columns of its nonzeros.
    let pattern: [[Int]]

    /// Cuts `markdown` (`MatrixPrinter` with `format: .markdown, labels: true`)
    /// into a table; `rowsPerBlock` and `columnsPerBlock` are the sizes of a channel block.
    init(markdown: String, rowsPerBlock: Int, columnsPerBlock: Int) {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        // Entries and labels never hold "|": cut at each one, drop the outer two, trim the spaces
        // and the bold (Markdown's row labels are bold; the table's headers are bold already).
        func cells(_ line: String) -> [String] {
            let bytes = Array(line.utf8)
            let bar = UInt8(ascii: "|"), space = UInt8(ascii: " "), star = UInt8(ascii: "*")
            var result = [String](), start = 0
            for (index, byte) in bytes.enumerated() where byte == bar {
                if index > 0 {
                    var (low, high) = (start, index)
                    while low < high && bytes[low] == space { low += 1 }
                    while high > low && bytes[high - 1] == space { high -= 1 }
                    if high - low > 4 && bytes[low] == star && bytes[low + 1] == star && bytes[high - 1] == star && bytes[high - 2] == star {
                        (low, high) = (low + 2, high - 2)
                    }
                    result.append(String(decoding: bytes[low..<high], as: UTF8.self))
                }
                start = index + 1
            }
            return result
        }
        var html = "<table class=\"matrix\"><thead><tr><th class=\"corner\"></th>"
        let header = lines.first.map(cells) ?? []
        for (c, label) in header.dropFirst().enumerated() {
            let block = c > 0 && columnsPerBlock > 0 && c % columnsPerBlock == 0 ? " class=\"block-left\"" : ""
            html += "<th scope=\"col\" data-col=\"\(c)\"\(block) tabindex=\"-1\">\(Self.escaped(label))</th>"
        }
        html += "</tr></thead><tbody>"
        var pattern = [[Int]]()
        for (r, line) in lines.dropFirst(2).enumerated() {
            let row = cells(line)
            let top = r > 0 && rowsPerBlock > 0 && r % rowsPerBlock == 0
            html += "<tr data-row=\"\(r)\"\(top ? " class=\"block-top\"" : "")><th scope=\"row\" data-row=\"\(r)\" tabindex=\"-1\">\(Self.escaped(row.first ?? ""))</th>"
            var nonzeros = [Int]()
            for (c, entry) in row.dropFirst().enumerated() {
                var classes = [String]()
                if entry == "·" { classes.append("zero") } else { nonzeros.append(c) }
                if c > 0 && columnsPerBlock > 0 && c % columnsPerBlock == 0 { classes.append("block-left") }
                let classAttribute = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
                let focus = r == 0 && c == 0 ? "0" : "-1"
                html += "<td data-row=\"\(r)\" data-col=\"\(c)\"\(classAttribute) tabindex=\"\(focus)\">\(Self.escaped(entry))</td>"
            }
            pattern.append(nonzeros)
            html += "</tr>"
        }
        html += "</tbody></table>"
        self.html = html
        self.pattern = pattern
    }

    /// `text` with `&`, `<`, `>` and `"` escaped for HTML.
    static func escaped(_ text: String) -> String {
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") }) {
            return text
        }
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
