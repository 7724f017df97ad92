import ConvMatrixCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Where a program's text goes: standard output, or a file that appears
/// under its name only once it is complete. The one way ConvMatrix writes.
///
/// Text is collected in a buffer and written in large chunks, so a large
/// matrix can be streamed without holding all of it. A failed write (a full
/// disk, a closed standard output, a broken pipe when SIGPIPE is ignored) is
/// remembered, later writes are skipped, and `finish()` reports it: a
/// program must call `finish()` and must not claim success when it throws.
///
/// A file is written under a temporary name in the same folder
/// (`.name.XXXXXX`) and renamed over `path` by `finish()`, so a reader never
/// sees half a file and a failure leaves any earlier file untouched;
/// `discard()` removes the temporary file instead. A device or a named pipe
/// (`/dev/null`, `/dev/stdout`) is written in place, never replaced. Nothing here changes how
/// the process handles signals: with SIGPIPE at its default, writing into a
/// closed pipe ends the process as it ends `cat` or `grep`.
package final class TextOutput: TextOutputStream, @unchecked Sendable {
    /// The file being written, or nil for standard output.
    package let path: String?
    private let descriptor: Int32
    private let temporaryPath: String?
    /// True for a file this value opened (closed with the value), false for standard output.
    private let ownsDescriptor: Bool
    private let state = Mutex(State())

    private struct State {
        var buffer = [UInt8]()
        var failure: FileError?
        var finished = false
        var written = 0
    }

    /// Bytes collected before they are written.
    static let chunkSize = 1 << 16

    /// Standard output (file descriptor 1).
    ///
    /// - Returns: an output that writes to file descriptor 1 with the same buffering and error reporting as a file.
    package static func standardOutput() -> TextOutput { TextOutput() }

    private init() {
        path = nil
        descriptor = 1
        temporaryPath = nil
        ownsDescriptor = false
    }

    /// A new file at `path`, written under a temporary name beside it until `finish()`.
    ///
    /// A path that names something other than a regular file or a folder — a device such as
    /// `/dev/null` or `/dev/stdout`, a named pipe — is written in place instead: renaming a
    /// file over it would replace the device (for root, `/dev/null` itself) with a plain file.
    ///
    /// - Throws: `FileError.unwritable` when the folder does not exist or cannot be written,
    ///   or `path` is a folder.
    /// - Parameter path: where the file appears once `finish()` succeeds; an existing file there is replaced only then.
    package init(creatingFileAt path: String) throws(FileError) {
        var status = stat()
        if stat(path, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            if kind == S_IFDIR { throw .unwritable(path: path, reason: "is a folder, not a file") }
            if kind != S_IFREG {
                let descriptor = open(path, O_WRONLY | O_CLOEXEC)
                guard descriptor >= 0 else { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
                self.path = path
                self.descriptor = descriptor
                temporaryPath = nil
                ownsDescriptor = true
                return
            }
        }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(folder.isEmpty ? "/" : folder)/.\(name).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
        fchmod(descriptor, 0o644)
        self.path = path
        self.descriptor = descriptor
        temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        ownsDescriptor = true
    }

    /// A new file at `path` inside a `FileSet`'s temporary folder, written
    /// under its own name: the folder appears whole at `FileSet.commit()`,
    /// which makes the set's file system durable at once, so a file of a set needs
    /// neither a temporary name nor a sync of its own (one `fsync` per file
    /// made `convmat cases --random 10000` wait 10 s for the disk).
    ///
    /// - Throws: `FileError.unwritable` when the file cannot be created.
    init(creatingFileInSetAt path: String) throws(FileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
        self.path = path
        self.descriptor = descriptor
        temporaryPath = nil
        ownsDescriptor = true
    }

    deinit {
        let unfinished = state.withLock { !$0.finished }
        if ownsDescriptor { close(descriptor) }
        if let temporaryPath, unfinished { unlink(temporaryPath) }
    }

    /// Appends `string`; it reaches the file when the buffer is full or at `finish()`.
    ///
    /// - Parameter string: text to append, written as UTF-8.
    package func write(_ string: String) {
        state.withLock { state in
            guard state.failure == nil, !state.finished else { return }
            state.buffer.append(contentsOf: string.utf8)
            if state.buffer.count >= Self.chunkSize { flush(&state) }
        }
    }

    /// Appends raw bytes (a binary file such as an image).
    ///
    /// - Parameter bytes: the bytes to append, unchanged.
    package func write(bytes: [UInt8]) {
        state.withLock { state in
            guard state.failure == nil, !state.finished else { return }
            state.buffer.append(contentsOf: bytes)
            if state.buffer.count >= Self.chunkSize { flush(&state) }
        }
    }

    /// Bytes handed to the system so far (buffered ones not counted).
    package var bytesWritten: Int { state.withLock { $0.written } }

    /// Writes what is buffered and, for a file, renames it into place.
    ///
    /// - Throws: `FileError.unwritable` for the first write that failed; a
    ///   file is then removed and the name keeps whatever it had before.
    package func finish() throws(FileError) {
        let failure: FileError? = state.withLock { state in
            guard !state.finished else { return state.failure }
            flush(&state)
            state.finished = true
            return state.failure
        }
        if let temporaryPath, let path {
            if let failure {
                unlink(temporaryPath)
                throw failure
            }
            if fsync(descriptor) != 0 || rename(temporaryPath, path) != 0 {
                let reason = String(cString: strerror(errno))
                unlink(temporaryPath)
                throw .unwritable(path: path, reason: reason)
            }
            return
        }
        if let failure { throw failure }
    }

    /// Gives up a file: the temporary file is removed and `path` keeps what it had.
    package func discard() {
        state.withLock { $0.finished = true }
        if let temporaryPath { unlink(temporaryPath) }
    }

    private func flush(_ state: inout State) {
        let (written, failure) = writeAll(state.buffer, to: descriptor)
        if let failure { state.failure = .unwritable(path: path ?? "standard output", reason: failure) }
        state.written += written
        state.buffer.removeAll(keepingCapacity: true)
    }
}
