/// A sparse matrix read from a Matrix Market file in coordinate format
/// (`%%MatrixMarket matrix coordinate real|integer|pattern general`), the
/// format `convmat matrix --format mtx` writes and most tools export.
///
/// The reader is strict where a silent guess would give a wrong answer:
/// it refuses other layouts (array, complex, symmetric), indices outside the
/// declared size, a count of entries that disagrees with the size line, and
/// the same position given twice. Every refusal names the line. Comment
/// lines (`%`), blank lines, tabs and CRLF line ends are accepted.
public struct MatrixMarketFile: Sendable {
    /// What each entry line carries after its two indices.
    public enum Field: String, Sendable { case real, integer, pattern }

    /// Rows declared on the size line.
    public let rowCount: Int
    /// Columns declared on the size line.
    public let columnCount: Int
    /// The header's field.
    public let field: Field
    /// The entries, 0-based, in file order; `value` is nil for a pattern file.
    public let entries: [Entry]

    /// One stored entry: 0-based position, value (nil in a pattern file) and the line it came from.
    public struct Entry: Sendable, Equatable {
        /// Row, 0-based (the file's index minus one).
        public let row: Int
        /// Column, 0-based.
        public let column: Int
        /// The stored value; nil in a pattern file.
        public let value: Double?
        /// The 1-based line of the file it was read from.
        public let line: Int
    }

    /// Parses the text of a Matrix Market file.
    public init(parsing text: String) throws(MatrixMarketError) {
        // "\r\n" is one Character in Swift, so CRLF files need it named as a separator.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .enumerated().makeIterator()
        guard let (_, first) = lines.next(), first.hasPrefix("%%MatrixMarket") || first.hasPrefix("%%matrixmarket") else {
            throw .init(line: 1, reason: "does not start with the header %%MatrixMarket matrix coordinate real general")
        }
        let header = first.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map { $0.lowercased() }
        guard header.count == 5, header[1] == "matrix", header[2] == "coordinate" else {
            throw .init(line: 1, reason: "= \"\(first.trimmingTrailingReturn)\": only 'matrix coordinate' files can be read (not dense 'array' files)")
        }
        guard let field = Field(rawValue: header[3]) else {
            throw .init(line: 1, reason: "has field '\(header[3])'; only real, integer and pattern are supported")
        }
        guard header[4] == "general" else {
            throw .init(line: 1, reason: "has symmetry '\(header[4])'; only 'general' is supported (C is not symmetric in general)")
        }

        var size: (rows: Int, columns: Int, count: Int)?
        var entries = [Entry]()
        var seen = [Int: Int]()   // flat position → line number, to catch duplicates
        var lastLine = 1
        while let (offset, raw) = lines.next() {
            let number = offset + 1
            let words = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if !words.isEmpty { lastLine = number }
            if words.isEmpty || words[0].hasPrefix("%") { continue }
            guard let declared = size else {
                guard words.count == 3, let r = Int(words[0]), let c = Int(words[1]), let n = Int(words[2]), r >= 1, c >= 1, n >= 0 else {
                    throw .init(line: number, reason: "should be the size line 'rows columns entries' with positive whole numbers, found \"\(raw.trimmingTrailingReturn)\"")
                }
                let (cells, overflow) = r.multipliedReportingOverflow(by: c)
                // A product too large for 64 bits has room for any count of entries.
                if !overflow && n > cells { throw .init(line: number, reason: "declares \(n) entries, more than the \(r)×\(c) matrix has positions") }
                size = (r, c, n)
                entries.reserveCapacity(min(n, 1 << 20))
                continue
            }
            if entries.count == declared.count {
                throw .init(line: number, reason: "is an entry beyond the \(declared.count) declared on the size line")
            }
            let expectedWords = field == .pattern ? 2 : 3
            guard words.count == expectedWords else {
                throw .init(line: number, reason: "should hold \(field == .pattern ? "'row column'" : "'row column value'") for a \(field.rawValue) file, found \"\(raw.trimmingTrailingReturn)\"")
            }
            guard let r = Int(words[0]), let c = Int(words[1]), (1...declared.rows).contains(r), (1...declared.columns).contains(c) else {
                throw .init(line: number, reason: "has position (\(words[0]), \(words[1])) outside the declared \(declared.rows)×\(declared.columns) matrix (indices are 1-based)")
            }
            var value: Double?
            if field != .pattern {
                let parsed = field == .integer ? Int(words[2]).map(Double.init) : Double(words[2])
                guard let parsed, parsed.isFinite else {
                    throw .init(line: number, reason: "has value \"\(words[2])\", not a finite \(field == .integer ? "whole number" : "number")")
                }
                value = parsed
            }
            let key = (r - 1) * declared.columns + (c - 1)
            if let earlier = seen[key] {
                throw .init(line: number, reason: "repeats position (\(r), \(c)) already given on line \(earlier)")
            }
            seen[key] = number
            entries.append(Entry(row: r - 1, column: c - 1, value: value, line: number))
        }
        guard let declared = size else { throw .init(line: lastLine, reason: "ends before the size line 'rows columns entries'") }
        guard entries.count == declared.count else {
            throw .init(line: lastLine, reason: "is the last line, but the size line declared \(declared.count) entries but the file has only \(entries.count)")
        }
        rowCount = declared.rows
        columnCount = declared.columns
        self.field = field
        self.entries = entries
    }
}

extension Substring {
    /// The line without the carriage return of a CRLF file.
    fileprivate var trimmingTrailingReturn: Substring { hasSuffix("\r") ? dropLast() : self }
}
