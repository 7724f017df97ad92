import ConvMatrixCore

/// A sparse matrix read from a Matrix Market file in coordinate format
/// (`%%MatrixMarket matrix coordinate real|integer|pattern general`), the
/// format `convmat matrix --format mtx` writes and most tools export.
///
/// The reader is strict where a silent guess would give a wrong answer:
/// it refuses other layouts (array, complex, symmetric), indices outside the
/// declared size, a count of entries that disagrees with the size line, and
/// the same position given twice. Every refusal names the line. Comment
/// lines (`%`), blank lines, tabs and CRLF line ends are accepted.
/// `MatrixMarketReader` reads the same files a line at a time and can stop
/// after the size line.
package struct MatrixMarketFile: Sendable {
    /// What each entry line carries after its two indices.
    package enum Field: String, Sendable { case real, integer, pattern }

    /// Rows declared on the size line.
    package let rowCount: Int
    /// Columns declared on the size line.
    package let columnCount: Int
    /// The header's field.
    package let field: Field
    /// The entries, 0-based, in file order; `value` is nil for a pattern file.
    package let entries: [Entry]

    /// One stored entry: 0-based position, value (nil in a pattern file) and the line it came from.
    package struct Entry: Sendable, Equatable {
        /// Row, 0-based (the file's index minus one).
        package let row: Int
        /// Column, 0-based.
        package let column: Int
        /// The stored value; nil in a pattern file.
        package let value: Double?
        /// The 1-based line of the file it was read from.
        package let line: Int
    }

    /// Parses the text of a Matrix Market file.
    ///
    /// - Parameter text: the whole file: banner, `%` comment lines, size line and entries.
    /// - Throws: `MatrixMarketError` naming the first line that is not a valid banner, size line or entry.
    /// - Complexity: O(lines + entries) time and memory.
    package init(parsing text: String) throws(MatrixMarketError) {
        var reader = try MatrixMarketReader(lines: text.textLines.makeIterator())
        self = try reader.readEntries()
    }

    /// The file made of a header and the entries read after it.
    init(header: MatrixMarketHeader, entries: [Entry]) {
        rowCount = header.rowCount
        columnCount = header.columnCount
        field = header.field
        self.entries = entries
    }
}
