#if canImport(Glibc)
import Glibc
#endif

/// The lines of a text file (or of standard input, for the path `-`), read a chunk
/// at a time as they are asked for, so that a reader that stops early — at a wrong
/// Matrix Market size line, say — never reads the rest of a large file.
///
/// Lines end at `\n`, `\r\n` or a lone `\r`, as `MatrixMarketFile(parsing:)` splits
/// text, and the part after the last separator is a line too (empty when the file
/// ends with one). A line is checked to be UTF-8 when it is handed out. A read error,
/// a line that is not UTF-8 or one longer than `lineLimit` bytes ends the lines:
/// `next()` returns nil and `failure` says why, so a caller must look at `failure`
/// before it believes the file ended there. A class, because it owns the file
/// descriptor and closes it in `deinit`.
public final class FileLines: IteratorProtocol {
    /// The path given, named in every failure.
    public let path: String
    /// The longest line accepted, in bytes.
    public let lineLimit: Int
    /// Why the lines ended early, or nil while reading goes well and after a clean end.
    public private(set) var failure: FileLinesError?

    private let descriptor: Int32
    private var chunk: [UInt8]
    private var filled = 0
    private var position = 0
    /// Lines handed out so far.
    private var lineCount = 0
    private var finished = false
    /// The last line ended with `\r`; a `\n` right after it belongs to that separator.
    private var afterCarriageReturn = false

    /// Opens `path` (`-`: standard input) for reading `chunkSize` bytes at a time.
    public init(path: String, chunkSize: Int = 1 << 16, lineLimit: Int = 1 << 20) throws(FileLinesError) {
        let descriptor = path == "-" ? 0 : open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        self.path = path
        self.descriptor = descriptor
        self.lineLimit = lineLimit
        chunk = [UInt8](repeating: 0, count: max(1, chunkSize))
    }

    deinit { if descriptor != 0 { close(descriptor) } }

    /// The next line without its separator, or nil at the end of the file or after a failure.
    public func next() -> Substring? {
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

    private func stop(_ reason: FileLinesError) -> Substring? {
        failure = reason
        finished = true
        return nil
    }

    /// Reads the next chunk; false at the end of the file or after a read error (kept in `failure`).
    private func refill() -> Bool {
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                filled = count
                position = 0
                return true
            }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { failure = .unreadable(path: path, reason: String(cString: strerror(errno))) }
            return false
        }
    }
}

/// Why `FileLines` could not hand out (all) the lines of a file.
public enum FileLinesError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read; `reason` is the system's.
    case unreadable(path: String, reason: String)
    /// A line is not UTF-8 text.
    case notUTF8(path: String, line: Int)
    /// A line is longer than the reader accepts.
    case lineTooLong(path: String, line: Int, limit: Int)

    /// One line naming the file and, where there is one, the line.
    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "\(path): cannot be read (\(reason))"
        case let .notUTF8(path, line): return "\(path): line \(line) is not UTF-8 text"
        case let .lineTooLong(path, line, limit): return "\(path): line \(line) is longer than \(limit) bytes"
        }
    }
}
