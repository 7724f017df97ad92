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
/// (`.name.convmat-PID-START.XXXXXX`, see `WriterTemporaries`) and renamed over
/// `path` by `finish()`, so a reader never sees half a file and a failure
/// leaves any earlier file untouched; `discard()` removes the temporary file
/// instead. A temporary left by a writer that was killed is removed by the
/// next writer of the same path. Failures name `path`, never the temporary. A device or a named pipe
/// (`/dev/null`, `/dev/stdout`) is written in place, never replaced. Nothing here changes how
/// the process handles signals: with SIGPIPE at its default, writing into a
/// closed pipe ends the process as it ends `cat` or `grep`.
package final class TextOutput: TextOutputStream, @unchecked Sendable {
    /// The file being written, or nil for standard output.
    package let path: String?
    /// The name failures are reported under: `path`, or for a file of a set the
    /// name it has once the set is in place.
    private let shownPath: String
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
        var stop: (@Sendable (FileError) -> Never)?
    }

    /// Bytes collected before they are written.
    static let chunkSize = 1 << 16

    /// Standard output (file descriptor 1).
    ///
    /// - Returns: an output that writes to file descriptor 1 with the same buffering and error reporting as a file.
    package static func standardOutput() -> TextOutput { TextOutput() }

    private init() {
        path = nil
        shownPath = "standard output"
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
    ///   or `path` is a folder; `FileError.writeFailed` when its disk is full or failing.
    /// - Parameter path: where the file appears once `finish()` succeeds; an existing file there is replaced only then.
    package init(creatingFileAt path: String) throws(FileError) {
        shownPath = path
        var status = stat()
        if stat(path, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            if kind == S_IFDIR { throw .unwritable(path: path, reason: "is a folder, not a file") }
            if kind != S_IFREG {
                let descriptor = open(path, O_WRONLY | O_CLOEXEC)
                guard descriptor >= 0 else { throw .creating(path, errno: errno) }
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
        let parent = folder.isEmpty ? "/" : folder
        WriterTemporaries.sweep(folder: parent, leaf: name, belongs: nil)
        var template = Array(WriterTemporaries.template(folder: parent, leaf: name).utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw .creating(path, errno: errno) }
        WriterTemporaries.lock(descriptor)
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
    /// - Throws: `FileError.writeFailed` naming `shown` when the file cannot be created.
    /// - Parameters:
    ///   - path: the file inside the set's temporary folder.
    ///   - shown: its name once the set is in place, which failures name.
    init(creatingFileInSetAt path: String, shownAs shown: String) throws(FileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .writeFailed(path: shown, reason: String(cString: strerror(errno))) }
        self.path = path
        shownPath = shown
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
    /// - Throws: `FileError.writeFailed` for the first write that failed; a
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
                throw .writeFailed(path: shownPath, reason: reason)
            }
            return
        }
        if let failure { throw failure }
    }

    /// The bytes free for this output on its file system (`fstatvfs`: blocks
    /// available to an unprivileged user times the fragment size): for a file,
    /// that of its folder; for standard output, that of the file it was
    /// redirected to; nil for a terminal, a pipe or a device, whose room is unknown.
    package var availableBytes: Int? {
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        var space = statvfs()
        guard fstatvfs(descriptor, &space) == 0 else { return nil }
        let (bytes, overflow) = Int(clamping: space.f_bavail).multipliedReportingOverflow(by: Int(clamping: space.f_frsize))
        return overflow ? Int.max : bytes
    }

    /// Gives up a file: the temporary file is removed and `path` keeps what it had.
    package func discard() {
        state.withLock { $0.finished = true }
        if let temporaryPath { unlink(temporaryPath) }
    }

    /// Makes the first failed write end the process through `stop` (which reports it)
    /// instead of being remembered until `finish()`: what a program that streams a large
    /// output does, so that a full disk, or a closed pipe with SIGPIPE ignored, stops the
    /// work at once rather than after every row. The temporary file is removed first.
    /// The library never calls this itself; `convmat` does for its standard output and files.
    ///
    /// - Parameter stop: reports the failure and ends the process; it must not use this output.
    package func stopProcessOnFailure(_ stop: @escaping @Sendable (FileError) -> Never) {
        state.withLock { $0.stop = stop }
    }

    private func flush(_ state: inout State) {
        let (written, failure) = writeAll(state.buffer, to: descriptor)
        if let failure {
            let error = FileError.writeFailed(path: shownPath, reason: failure)
            state.failure = error
            if let stop = state.stop {
                if let temporaryPath { unlink(temporaryPath) }
                stop(error)
            }
        }
        state.written += written
        state.buffer.removeAll(keepingCapacity: true)
    }
}
