/// A help discussion as paragraphs, so that ArgumentParser wraps it at the terminal's width.
///
/// The discussions are written hard-wrapped at the source's line length; printed as they are, a
/// terminal of 80 columns breaks each long line again and leaves a short one after it, mid-sentence.
/// This joins every line of running text to the one before it. A line stays on its own when it is
/// blank, indented (examples, tables), a list item (`- `), or follows an indented line, a blank
/// line or a line ending in a colon.
func reflowed(_ discussion: String) -> String {
    var lines: [String] = []
    for line in discussion.split(separator: "\n", omittingEmptySubsequences: false) {
        let startsOwnLine = line.isEmpty || line.first == " " || line.hasPrefix("- ")
        if !startsOwnLine, let previous = lines.last, !previous.isEmpty, previous.first != " ",
            !previous.hasSuffix(":")
        {
            lines[lines.count - 1] = previous + " " + line
        } else {
            lines.append(String(line))
        }
    }
    return lines.joined(separator: "\n")
}
