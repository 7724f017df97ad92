#if canImport(Glibc)
    import Glibc
#endif

/// The temporary names a writer uses beside its target while it writes
/// (`TextOutput`'s file, `FileSet`'s folder), and the sweep that removes the
/// temporaries of writers that are gone.
///
/// A temporary is named `.NAME.convmat-PID-START.XXXXXX` after its target
/// `NAME`: PID is the writing process, START its start time (field 22 of
/// `/proc/PID/stat`, in clock ticks since boot), XXXXXX the random letters
/// of `mkstemp`/`mkdtemp`. The writer holds an exclusive `flock` on it while
/// it writes. A process killed while it writes (kill -9, a power cut, the
/// out-of-memory killer) leaves its temporary behind; the next writer of the
/// same target removes it (`sweep`) when all of these hold:
///
/// - the name has the pattern above, for this target;
/// - its writer is gone: no process has that PID (`kill(PID, 0)` fails with
///   ESRCH), or the process that has it now started at another time, so the
///   PID was reused by another program;
/// - nobody holds its lock (`flock` with LOCK_NB succeeds): this covers a
///   writer this process cannot see, in another PID namespace (a container
///   writing into the same folder).
///
/// A folder is emptied of the files that belong to its kind of set only, so a
/// file someone else put there survives, and the folder with it.
package enum WriterTemporaries {
    /// The `mkstemp`/`mkdtemp` template of a temporary for `leaf` in `folder`:
    /// `folder/.leaf.convmat-PID-START.XXXXXX`.
    ///
    /// - Parameters:
    ///   - folder: the folder of the target (and of the temporary).
    ///   - leaf: the target's own name.
    /// - Returns: the template, with six X for the random letters.
    static func template(folder: String, leaf: String) -> String {
        "\(folder)/\(prefix(leaf))\(getpid())-\(ownStart).XXXXXX"
    }

    /// `.leaf.convmat-`: what every temporary of `leaf` starts with.
    static func prefix(_ leaf: String) -> String { ".\(leaf).convmat-" }

    /// The suffix of an earlier set moved aside on a file system that cannot swap two folders.
    static let asideSuffix = ".old"

    /// This process's start time, read once.
    static let ownStart: UInt64 = startTime(of: getpid()) ?? 0

    /// A temporary's writer and whether it is an earlier set moved aside, from its name.
    struct Mark: Equatable {
        let pid: Int32
        let start: UInt64
        let aside: Bool
    }

    /// The writer named by `name` when it is a temporary of `leaf`, or nil.
    ///
    /// - Parameters:
    ///   - name: a name in the target's folder.
    ///   - leaf: the target's own name.
    /// - Returns: the process id and start time in the name, or nil when the name does not have the pattern.
    static func mark(_ name: String, leaf: String) -> Mark? {
        guard name.hasPrefix(prefix(leaf)) else { return nil }
        var rest = Substring(name.dropFirst(prefix(leaf).count))
        let aside = rest.hasSuffix(asideSuffix)
        if aside { rest = rest.dropLast(asideSuffix.count) }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 6 else { return nil }
        let ids = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard ids.count == 2, let pid = Int32(ids[0]), pid > 0, let start = UInt64(ids[1]) else { return nil }
        return Mark(pid: pid, start: start, aside: aside)
    }

    /// Whether the process that wrote a temporary is gone: no process has its
    /// id, or the one that has it started at another time (the id was reused).
    /// A process that exists but whose start cannot be read counts as the writer.
    ///
    /// - Parameter mark: the writer named by the temporary.
    /// - Returns: true when the writer is certainly not running.
    static func writerIsGone(_ mark: Mark) -> Bool {
        if kill(mark.pid, 0) == 0 || errno == EPERM {
            guard let start = startTime(of: mark.pid) else { return false }
            return start != mark.start
        }
        return errno == ESRCH
    }

    /// The start time of process `pid` in clock ticks since boot (field 22 of
    /// `/proc/PID/stat`), or nil when it cannot be read (no such process, no /proc).
    ///
    /// - Parameter pid: a process id.
    /// - Returns: the start time, or nil.
    static func startTime(of pid: Int32) -> UInt64? {
        let descriptor = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 1024)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        // The command name (field 2) is in parentheses and may hold spaces and parentheses itself:
        // the fields after it start at the last ')'; field 3 is the first of them, field 22 the 20th.
        guard let close = bytes[0..<count].lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = bytes[(close + 1)..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 19 else { return nil }
        return UInt64(String(decoding: fields[19], as: UTF8.self))
    }

    /// Takes the writer's lock on an open temporary (an exclusive `flock`),
    /// held until the descriptor is closed: the sign, for a sweep in another
    /// PID namespace, that the writer is alive.
    ///
    /// - Parameter descriptor: the temporary file or folder, open.
    static func lock(_ descriptor: Int32) {
        _ = flock(descriptor, LOCK_EX | LOCK_NB)
    }

    /// Removes the temporaries of `leaf` in `folder` whose writers are gone.
    /// A stale file is removed; a stale folder loses the names `belongs`
    /// accepts and is removed when that empties it. An earlier set moved aside
    /// (on a file system without an atomic swap) whose writer died before the
    /// new set was in place is put back under the target's name.
    ///
    /// Errors are ignored: a temporary that cannot be removed now is left for a later sweep.
    ///
    /// - Parameters:
    ///   - folder: the folder of the target.
    ///   - leaf: the target's own name.
    ///   - belongs: for a set's folder, the names its files have; nil for a single file.
    /// - Returns: the names removed (or restored), for messages and tests.
    @discardableResult
    static func sweep(folder: String, leaf: String, belongs: ((String) -> Bool)?) -> [String] {
        guard let names = try? folderEntries(folder) else { return [] }
        var swept = [String]()
        for name in names.sorted() {
            guard let mark = mark(name, leaf: leaf), writerIsGone(mark) else { continue }
            let path = "\(folder)/\(name)"
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            let kind = status.st_mode & S_IFMT
            let isFolder = kind == S_IFDIR
            guard isFolder || (kind == S_IFREG && belongs == nil) else { continue }
            let descriptor = open(path, (isFolder ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            // Someone alive holds it: a writer this process cannot see.
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { continue }
            if !isFolder {
                if unlink(path) == 0 { swept.append(name) }
                continue
            }
            if mark.aside, access("\(folder)/\(leaf)", F_OK) != 0, errno == ENOENT, rename(path, "\(folder)/\(leaf)") == 0 {
                swept.append(name)
                continue
            }
            if removeSet(folder: path, belongs: belongs ?? { _ in false }) { swept.append(name) }
        }
        return swept
    }

    /// Removes the files of a set's folder that `belongs` accepts, then the
    /// folder if that emptied it.
    ///
    /// - Parameters:
    ///   - folder: the folder.
    ///   - belongs: whether a name is one of the set's files.
    /// - Returns: true when the folder is gone.
    @discardableResult
    static func removeSet(folder: String, belongs: (String) -> Bool) -> Bool {
        for name in (try? folderEntries(folder)) ?? [] where belongs(name) { unlink("\(folder)/\(name)") }
        return rmdir(folder) == 0
    }
}

/// The names in a folder, without `.` and `..`.
///
/// - Parameter folder: the folder to list.
/// - Returns: the names, in the order the system gives them.
/// - Throws: `FileError.unwritable` naming the folder when it cannot be listed.
func folderEntries(_ folder: String) throws(FileError) -> [String] {
    guard let handle = opendir(folder) else { throw .unwritable(path: folder, reason: String(cString: strerror(errno))) }
    defer { closedir(handle) }
    var names = [String]()
    while let entry = readdir(handle) {
        // The name is read in place, up to its NUL: readdir's record is only as long as the
        // name needs, so copying the whole 256-byte d_name field can read past the end of the
        // directory buffer (the crash in Foundation's Process.run, swift-corelibs-foundation
        // pull request 5472).
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19  // 19: glibc's layout
        let name = String(cString: UnsafeRawPointer(entry).advanced(by: offset).assumingMemoryBound(to: CChar.self))
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}
