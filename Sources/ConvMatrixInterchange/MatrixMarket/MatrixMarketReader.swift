import ConvMatrixCore

/// Reads a Matrix Market coordinate file line by line, in two steps: `init(lines:)`
/// reads the banner, comments and the size line and nothing further, so a caller
/// can compare `header` with the matrix it expects and stop there; `readEntries()`
/// reads the rest.
///
/// A file whose size line is wrong, or whose first line is not a Matrix Market
/// banner, is therefore answered after one or a few lines however long the file
/// is. The rules are those of `MatrixMarketFile`; every refusal names the line.
package struct MatrixMarketReader<Lines: IteratorProtocol> where Lines.Element == Substring {
    /// The banner's field and the size line.
    package let header: MatrixMarketHeader
    private var lines: Lines
    /// Lines taken from `lines` so far.
    private var lineCount: Int
    /// The last line that was not blank, for refusals at the end of the file.
    private var lastLine: Int

    /// Reads lines up to and including the size line; refuses a file whose banner or size line is wrong.
    ///
    /// - Parameter lines: the file's lines, the banner first; `%` comment lines before the size line are skipped.
    /// - Throws: `MatrixMarketError` when the banner is not a real or pattern coordinate matrix,
    ///   the size line is malformed, or the lines end before it.
    package init(lines: Lines) throws(MatrixMarketError) {
        var lines = lines
        let field = try MatrixMarketHeader.field(ofBanner: lines.next())
        var number = 1, lastLine = 1
        while let raw = lines.next() {
            number += 1
            let words = Self.words(raw)
            if words.isEmpty { continue }
            lastLine = number
            if words[0].hasPrefix("%") { continue }
            header = try MatrixMarketHeader(field: field, sizeLine: words, raw: raw, number: number)
            self.lines = lines
            self.lineCount = number
            self.lastLine = lastLine
            return
        }
        throw .init(line: lastLine, reason: "ends before the size line 'rows columns entries'")
    }

    /// Reads the entries after the size line to the end of the lines: exactly as many
    /// as declared, inside the declared size, each position once. Call it once.
    ///
    /// - Returns: the header's size with every entry and the line it came from.
    /// - Throws: `MatrixMarketError` naming the first entry that is malformed, outside the size
    ///   or repeated, or the end of the file when entries are missing or left over.
    /// - Complexity: O(entries) time and memory.
    package mutating func readEntries() throws(MatrixMarketError) -> MatrixMarketFile {
        let declared = header
        var entries = [MatrixMarketFile.Entry]()
        entries.reserveCapacity(min(declared.entryCount, 1 << 20))
        // Position → line number, to catch duplicates. Not flattened to one Int:
        // rows × columns of a declared size can exceed 64 bits.
        var seen = [SIMD2<Int>: Int]()
        while let raw = lines.next() {
            lineCount += 1
            let number = lineCount
            let words = Self.words(raw)
            if words.isEmpty { continue }
            lastLine = number
            if words[0].hasPrefix("%") { continue }
            if entries.count == declared.entryCount {
                throw .init(line: number, reason: "is an entry beyond the \(declared.entryCount) declared on the size line")
            }
            let field = declared.field
            let expectedWords = field == .pattern ? 2 : 3
            guard words.count == expectedWords else {
                throw .init(
                    line: number,
                    reason:
                        "should hold \(field == .pattern ? "'row column'" : "'row column value'") for a \(field.rawValue) file, found \(MatrixMarketError.quoted(raw))"
                )
            }
            guard let r = Int(words[0]), let c = Int(words[1]), (1...declared.rowCount).contains(r), (1...declared.columnCount).contains(c) else {
                throw .init(
                    line: number,
                    reason:
                        "has position (\(words[0].prefix(MatrixMarketError.quotedLength)), \(words[1].prefix(MatrixMarketError.quotedLength))) outside the declared \(declared.rowCount)×\(declared.columnCount) matrix (indices are 1-based)"
                )
            }
            var value: Double?
            if field != .pattern {
                let parsed = field == .integer ? Int(words[2]).map(Double.init) : Double(words[2])
                guard let parsed, parsed.isFinite else {
                    throw .init(
                        line: number, reason: "has value \(MatrixMarketError.quoted(words[2])), not a finite \(field == .integer ? "whole number" : "number")")
                }
                value = parsed
            }
            let key = SIMD2(r, c)
            if let earlier = seen[key] {
                throw .init(line: number, reason: "repeats position (\(r), \(c)) already given on line \(earlier)")
            }
            seen[key] = number
            entries.append(MatrixMarketFile.Entry(row: r - 1, column: c - 1, value: value, line: number))
        }
        guard entries.count == declared.entryCount else {
            throw .init(
                line: lastLine, reason: "is the last line, but the size line declared \(declared.entryCount) entries but the file has only \(entries.count)")
        }
        return MatrixMarketFile(header: declared, entries: entries)
    }

    /// The words of a line, split at spaces, tabs and a CRLF file's carriage return.
    private static func words(_ raw: Substring) -> [Substring] {
        raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
    }
}
