import ConvMatrixCore

/// The lines of a text file (or of standard input, for the path `-`), read a chunk
/// at a time as they are asked for, so that a reader that stops early — at a wrong
/// Matrix Market size line, say — never reads the rest of a large file.
///
/// Lines end at `\n`, `\r\n` or a lone `\r` (files from any system read the
/// same), and the part after the last separator is a line too (empty when the file
/// ends with one). A line is checked to be UTF-8 when it is handed out. A read error,
/// a line that is not UTF-8 or one longer than `lineLimit` bytes ends the lines:
/// `next()` returns nil and `failure` says why, so a caller must look at `failure`
/// before it believes the file ended there.
package final class FileLines: IteratorProtocol {
    /// The path given, named in every failure.
    package let path: String
    /// The longest line accepted, in bytes.
    package let lineLimit: Int
    /// Why the lines ended early, or nil while reading goes well and after a clean end.
    package private(set) var failure: FileError?

    private let input: FileInput
    private var chunk: [UInt8]
    private var filled = 0
    private var position = 0
    /// Lines handed out so far.
    private var lineCount = 0
    private var finished = false
    /// The last line ended with `\r`; a `\n` right after it belongs to that separator.
    private var afterCarriageReturn = false

    /// Opens `path` (`-`: standard input) for reading `chunkSize` bytes at a time.
    ///
    /// - Throws: `FileError.unreadable` when the file cannot be opened.
    /// - Parameters:
    ///   - path: a file path, or `-` for standard input.
    ///   - chunkSize: bytes per read; only the memory held changes with it, not the lines.
    ///   - lineLimit: the longest line accepted, in bytes; a longer one ends the lines with a `failure`.
    package init(path: String, chunkSize: Int = 1 << 16, lineLimit: Int = 1 << 20) throws(FileError) {
        input = try FileInput(path: path)
        self.path = path
        self.lineLimit = lineLimit
        chunk = [UInt8](repeating: 0, count: max(1, chunkSize))
    }

    /// The next line without its separator, or nil at the end of the file or after a failure.
    ///
    /// - Returns: the line as UTF-8 text, or nil; after nil, `failure` tells an early end from a clean one.
    package func next() -> Substring? {
        guard !finished else { return nil }
        var line = [UInt8]()
        while true {
            if position == filled && !refill() {
                finished = true
                // The text after the last separator is the last line, as in String.split.
                return failure == nil ? hand(line) : nil
            }
            if afterCarriageReturn {
                afterCarriageReturn = false
                if chunk[position] == 10 { position += 1; continue }
            }
            let end = chunk[position..<filled].firstIndex { $0 == 10 || $0 == 13 } ?? filled
            line.append(contentsOf: chunk[position..<end])
            if line.count > lineLimit {
                return stop(.lineTooLong(path: path, line: lineCount + 1, limit: lineLimit))
            }
            position = end
            if end < filled {
                afterCarriageReturn = chunk[end] == 13
                position += 1
                return hand(line)
            }
        }
    }

    /// Counts and checks one line, or stops when it is not UTF-8.
    private func hand(_ bytes: [UInt8]) -> Substring? {
        lineCount += 1
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return stop(.notUTF8(path: path, line: lineCount))
        }
        return Substring(text)
    }

    private func stop(_ reason: FileError) -> Substring? {
        failure = reason
        finished = true
        return nil
    }

    /// Reads the next chunk; false at the end of the file or after a read error (kept in `failure`).
    private func refill() -> Bool {
        do {
            let count = try input.read(into: &chunk)
            guard count > 0 else { return false }
            filled = count
            position = 0
            return true
        } catch {
            failure = error
            return false
        }
    }
}
