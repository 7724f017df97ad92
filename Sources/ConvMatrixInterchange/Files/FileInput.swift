import ConvMatrixCore

#if canImport(Glibc)
    import Glibc
#endif

/// An open file (or standard input, for the path `-`) read a chunk at a
/// time: the one place where ConvMatrix reads files. `FileLines` hands out
/// its lines; `FileInput.bytes(atPath:limit:)` and `text(atPath:limit:)`
/// read a whole file. A class, because it owns the file descriptor and
/// closes it in `deinit`.
package final class FileInput {
    /// The path given, named in every failure.
    package let path: String
    private let descriptor: Int32

    /// Opens `path` for reading; `-` is standard input.
    ///
    /// - Throws: `FileError.unreadable` with the system's reason.
    /// - Parameter path: a file path, or `-` for standard input.
    package init(path: String) throws(FileError) {
        let descriptor = path == "-" ? 0 : open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        self.path = path
        self.descriptor = descriptor
    }

    deinit { if descriptor != 0 { close(descriptor) } }

    /// Reads up to `chunk.count` bytes into the start of `chunk`, retrying
    /// when a signal interrupts the read.
    ///
    /// - Returns: the number of bytes read; 0 at the end of the file.
    /// - Throws: `FileError.unreadable` when the system reports a read error.
    /// - Parameter chunk: the buffer; its length is the most bytes one call reads.
    package func read(into chunk: inout [UInt8]) throws(FileError) -> Int {
        let descriptor = self.descriptor
        let outcome: Int = chunk.withUnsafeMutableBytes { buffer in
            while true {
                let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
                if count >= 0 || errno != EINTR { return count }
            }
        }
        if outcome < 0 { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        return outcome
    }

    /// The whole content of `path` (`-`: standard input), refused as soon as
    /// it grows past `limit` bytes, so that memory stays bounded whatever the file holds.
    ///
    /// - Parameters:
    ///   - path: the file to read.
    ///   - limit: the most bytes accepted.
    /// - Returns: the bytes.
    /// - Throws: `FileError.unreadable` or `FileError.tooLarge`.
    package static func bytes(atPath path: String, limit: Int = defaultLimit) throws(FileError) -> [UInt8] {
        let input = try FileInput(path: path)
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try input.read(into: &chunk)
            if count == 0 { return bytes }
            if bytes.count + count > limit { throw .tooLarge(path: path, limit: limit) }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// The whole content of `path` as UTF-8 text (see `bytes(atPath:limit:)`).
    ///
    /// - Returns: the text.
    /// - Throws: `FileError.unreadable`, `.tooLarge` or `.notUTF8`.
    /// - Parameters:
    ///   - path: a file path, or `-` for standard input.
    ///   - limit: the most bytes accepted; a longer file is refused rather than read.
    package static func text(atPath path: String, limit: Int = defaultLimit) throws(FileError) -> String {
        let bytes = try bytes(atPath: path, limit: limit)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .notUTF8(path: path, line: nil) }
        return text
    }

    /// The size in bytes of the regular file at `path`, or nil for standard
    /// input, a pipe or a path that cannot be examined (its reading will say why).
    ///
    /// - Parameter path: a file path, or `-`.
    /// - Returns: the size, for a memory estimate before reading; nil where it is not known in advance.
    package static func size(atPath path: String) -> Int? {
        guard path != "-" else { return nil }
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    /// The largest whole file read by default: 1 GiB.
    package static let defaultLimit = 1 << 30
}

/// Why a file could not be read (whole, or all its lines) or written.
package enum FileError: UserFacingError, Equatable, Sendable {
    /// The file could not be opened or read; `reason` is the system's.
    case unreadable(path: String, reason: String)
    /// The file (or line `line`) is not UTF-8 text.
    case notUTF8(path: String, line: Int?)
    /// A line is longer than the reader accepts.
    case lineTooLong(path: String, line: Int, limit: Int)
    /// The file is longer than the reader accepts.
    case tooLarge(path: String, limit: Int)
    /// The file or folder cannot be used as a target, found before anything is
    /// written (a folder where a file is wanted, a folder holding other files,
    /// a missing parent folder); `reason` says why. A refusal: exit status 2.
    case unwritable(path: String, reason: String)
    /// Writing failed after it started (a full disk, an I/O error, a closed
    /// standard output, a target changed while it was written); `path` is the
    /// user's name for it, never a temporary one, and `reason` the system's.
    /// The output failed: exit status 74.
    case writeFailed(path: String, reason: String)

    /// Whether this is a failure of output that was being written (`writeFailed`,
    /// exit status 74) rather than a refusal of the input (exit status 2).
    package var isOutputFailure: Bool {
        if case .writeFailed = self { return true }
        return false
    }

    /// The error for a target that could not be created or opened: a full or
    /// failing disk (ENOSPC, EDQUOT, EIO) is an output failure, anything else
    /// (no such folder, no permission) a refusal of the path.
    ///
    /// - Parameters:
    ///   - path: the user's name for the target.
    ///   - number: the `errno` of the failed call.
    /// - Returns: `.writeFailed` or `.unwritable`, with the system's reason.
    package static func creating(_ path: String, errno number: Int32) -> FileError {
        let reason = String(cString: strerror(number))
        return [ENOSPC, EDQUOT, EIO].contains(number) ? .writeFailed(path: path, reason: reason) : .unwritable(path: path, reason: reason)
    }

    /// One line naming the file and, where there is one, the line.
    ///
    /// - Parameter spell: unused: a file error names a file, not a field.
    /// - Returns: one line without a trailing newline.
    package func message(spellingFields spell: (String) -> String) -> String {
        switch self {
        case let .unreadable(path, reason): return "\(path): cannot be read (\(reason))"
        case let .notUTF8(path, line?): return "\(path): line \(line) is not UTF-8 text"
        case let .notUTF8(path, nil): return "\(path): is not UTF-8 text"
        case let .lineTooLong(path, line, limit): return "\(path): line \(line) is longer than \(limit) bytes"
        case let .tooLarge(path, limit): return "\(path): is larger than \(limit) bytes, more than this reader accepts"
        case let .unwritable(path, reason), let .writeFailed(path, reason): return "\(path): cannot be written (\(reason))"
        }
    }
}
