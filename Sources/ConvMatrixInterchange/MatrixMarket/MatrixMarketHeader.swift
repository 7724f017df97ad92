import ConvMatrixCore

/// What the first lines of a Matrix Market coordinate file declare: the banner's
/// field (`%%MatrixMarket matrix coordinate real|integer|pattern general`) and the
/// size line `rows columns entries`, the first line after the banner that is
/// neither blank nor a `%` comment.
///
/// A reader can compare these with the matrix it expects before reading any
/// entry, so a file of the wrong size is answered without reading the rest.
package struct MatrixMarketHeader: Sendable, Equatable {
    /// What each entry line carries after its two indices.
    package let field: MatrixMarketFile.Field
    /// Rows declared on the size line.
    package let rowCount: Int
    /// Columns declared on the size line.
    package let columnCount: Int
    /// Entries declared on the size line.
    package let entryCount: Int
    /// The 1-based line of the file that holds the size line.
    package let sizeLine: Int

    /// The field named by the banner, line 1; refuses any other layout.
    static func field(ofBanner line: Substring?) throws(MatrixMarketError) -> MatrixMarketFile.Field {
        guard let line, line.hasPrefix("%%MatrixMarket") || line.hasPrefix("%%matrixmarket") else {
            throw .init(line: 1, reason: "does not start with the header %%MatrixMarket matrix coordinate real general")
        }
        let header = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map { $0.lowercased() }
        guard header.count == 5, header[1] == "matrix", header[2] == "coordinate" else {
            throw .init(line: 1, reason: "= \(MatrixMarketError.quoted(line)): only 'matrix coordinate' files can be read (not dense 'array' files)")
        }
        guard let field = MatrixMarketFile.Field(rawValue: header[3]) else {
            throw .init(line: 1, reason: "has field '\(header[3].prefix(MatrixMarketError.quotedLength))'; only real, integer and pattern are supported")
        }
        guard header[4] == "general" else {
            throw .init(
                line: 1,
                reason: "has symmetry '\(header[4].prefix(MatrixMarketError.quotedLength))'; only 'general' is supported (C is not symmetric in general)")
        }
        return field
    }

    /// Reads the size line `rows columns entries` (its words already split) found on line `number`.
    init(field: MatrixMarketFile.Field, sizeLine words: [Substring], raw: Substring, number: Int) throws(MatrixMarketError) {
        guard words.count == 3, let r = Int(words[0]), let c = Int(words[1]), let n = Int(words[2]), r >= 1, c >= 1, n >= 0 else {
            throw .init(
                line: number, reason: "should be the size line 'rows columns entries' with positive whole numbers, found \(MatrixMarketError.quoted(raw))")
        }
        let (cells, overflow) = r.multipliedReportingOverflow(by: c)
        // A product too large for 64 bits has room for any count of entries.
        if !overflow && n > cells { throw .init(line: number, reason: "declares \(n) entries, more than the \(r)×\(c) matrix has positions") }
        self.field = field
        rowCount = r
        columnCount = c
        entryCount = n
        sizeLine = number
    }
}
