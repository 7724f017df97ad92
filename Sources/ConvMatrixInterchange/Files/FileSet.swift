import ConvMatrixCore

#if canImport(Glibc)
    import Glibc
    internal import CFileSystem
#endif

/// Files that belong together (an exercise sheet with its keys, the images of
/// one deconvolution, a folder of cases), written into a folder that appears —
/// or replaces an earlier set — whole: whenever a reader looks, and whenever
/// the writer is killed (kill -9, a power cut), the folder holds the old set
/// or the new set, never a mixture, never a half-written file, never nothing.
///
/// Every target is checked before anything is written: the folder must be
/// new, or hold only files of an earlier set (`names`); anything else is
/// refused, so a set never overwrites a user's other files. The files are
/// written into a temporary folder beside the target
/// (`.name.convmat-PID-START.XXXXXX`, see `WriterTemporaries`), and `commit()`
/// makes the temporary folder's file system durable (one `syncfs` of that file
/// system, with its error reported, instead of one `fsync` per file), then
/// puts the new folder in place in one step: `renameat2(RENAME_NOREPLACE)` when
/// there is no folder yet, `renameat2(RENAME_EXCHANGE)` when there is one, which
/// swaps the two names, so that the old set now sits under the temporary name.
/// The folder swapped out is checked again: if anything other than an earlier
/// set appeared in it while the set was written, the swap is undone and
/// nothing is replaced (`FileError.writeFailed`); otherwise the old set's files
/// are removed. Two programs writing the same set at once each end with a
/// complete set in place (the later one's).
///
/// A killed writer leaves its temporary folder (a partial new set, or the old
/// set swapped out) beside the target; the next `FileSet` for the same target
/// removes it once its writer is gone (`WriterTemporaries.sweep`). Without
/// `commit()` the temporary folder is removed and the target is left as it was.
/// On a file system that cannot swap two names (RENAME_EXCHANGE is Linux's, on
/// ext4, XFS, Btrfs, tmpfs and others; FAT and some network file systems lack it)
/// the old set is moved aside first, and a writer killed in that moment leaves
/// the target absent until the next writer's sweep puts the old set back.
package final class FileSet {
    /// The folder the set is written to.
    package let directory: String
    /// Whether a file name belongs to a set of this kind.
    package let belongs: @Sendable (String) -> Bool
    private let temporary: String
    /// The temporary folder, open and locked while this set is written.
    private let lockDescriptor: Int32
    private var written = [String]()
    private var committed = false

    /// Checks `directory` and prepares an empty temporary folder beside it,
    /// for a set whose files are exactly `names`.
    ///
    /// - Throws: `FileError.unwritable` naming the folder and why.
    /// - Parameters:
    ///   - directory: the folder to (re)place; its parent must exist and be writable.
    ///   - names: the files of a set of this kind; an earlier set in the folder may hold only these, so a user's other files are never replaced.
    package convenience init(directory: String, names: Set<String>) throws(FileError) {
        try self.init(directory: directory, belongs: { names.contains($0) })
    }

    /// Checks `directory`, removes the temporaries that writers of the same
    /// folder left when they were killed, and prepares an empty temporary folder beside it.
    ///
    /// A `directory` that is a symbolic link to a folder stands for that folder: the set
    /// replaces the folder the link points to, and the link stays.
    ///
    /// - Parameters:
    ///   - directory: the folder to (re)place; its parent must exist and be writable.
    ///   - belongs: whether a file name belongs to a set of this kind (an earlier
    ///     set in the folder may hold only such files).
    /// - Throws: `FileError.unwritable` naming the folder and why.
    package init(directory: String, belongs: @escaping @Sendable (String) -> Bool) throws(FileError) {
        var trimmed = directory
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        var link = stat()
        if lstat(trimmed, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK {
            guard let resolved = realpath(trimmed, nil) else {
                throw .unwritable(path: directory, reason: "is a symbolic link that leads to no folder (\(String(cString: strerror(errno)))); give a folder")
            }
            trimmed = String(cString: resolved)
            free(resolved)
        }
        let slash = trimmed.lastIndex(of: "/")
        let parent = slash.map { $0 == trimmed.startIndex ? "/" : String(trimmed[..<$0]) } ?? "."
        let leaf = slash.map { String(trimmed[trimmed.index(after: $0)...]) } ?? trimmed
        guard !leaf.isEmpty, leaf != ".", leaf != ".." else {
            throw .unwritable(path: directory, reason: "give a folder by name, such as sheet3, not \(leaf.isEmpty ? "/" : leaf)")
        }
        var status = stat()
        if stat(trimmed, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            guard kind == S_IFDIR else {
                let what = kind == S_IFREG ? "a file" : kind == S_IFCHR || kind == S_IFBLK ? "a device" : "a pipe or socket"
                throw .unwritable(path: directory, reason: "is \(what), not a folder")
            }
            try Self.refuseOtherFiles(in: trimmed, belongs: belongs, shownAs: directory)
        } else if errno != ENOENT {
            throw .unwritable(path: directory, reason: String(cString: strerror(errno)))
        }
        WriterTemporaries.sweep(folder: parent, leaf: leaf, belongs: belongs)
        var template = Array(WriterTemporaries.template(folder: parent, leaf: leaf).utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw .creating(directory, errno: errno)
        }
        self.directory = trimmed
        self.belongs = belongs
        temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        chmod(temporary, 0o755)
        lockDescriptor = open(temporary, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if lockDescriptor >= 0 { WriterTemporaries.lock(lockDescriptor) }
    }

    deinit {
        if !committed { WriterTemporaries.removeSet(folder: temporary, belongs: belongs) }
        if lockDescriptor >= 0 { close(lockDescriptor) }
    }

    /// Refuses a folder that holds anything but files of a set of this kind.
    private static func refuseOtherFiles(in folder: String, belongs: (String) -> Bool, shownAs shown: String) throws(FileError) {
        let others = try folderEntries(folder).filter { !belongs($0) }.sorted()
        if !others.isEmpty {
            throw .unwritable(path: shown, reason: "holds other files (\(Self.list(others))); give a new folder, or one that holds only an earlier set")
        }
    }

    /// At most three names, then "…".
    private static func list(_ names: [String]) -> String {
        names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", …" : "")
    }

    /// Writes the file `name` (one of `names`) of the new set.
    ///
    /// - Throws: `FileError.writeFailed` naming the file as it will be once the set is in place, when it cannot be written completely.
    /// - Parameters:
    ///   - name: the file's name inside the set.
    ///   - text: its whole content, written as UTF-8.
    package func write(_ name: String, text: String) throws(FileError) {
        try write(name) { $0.write(text) }
    }

    /// Writes the binary file `name` (one of `names`) of the new set.
    ///
    /// - Throws: `FileError.writeFailed` naming the file as it will be once the set is in place, when it cannot be written completely.
    /// - Parameters:
    ///   - name: the file's name inside the set.
    ///   - bytes: its whole content.
    package func write(_ name: String, bytes: [UInt8]) throws(FileError) {
        try write(name) { $0.write(bytes: bytes) }
    }

    private func write(_ name: String, _ fill: (TextOutput) -> Void) throws(FileError) {
        precondition(belongs(name), "FileSet: \(name) does not belong to the set")
        let file = try TextOutput(creatingFileInSetAt: "\(temporary)/\(name)", shownAs: "\(directory)/\(name)")
        fill(file)
        try file.finish()
        written.append(name)
    }

    /// The paths of the files as they are once the set is in place.
    package var paths: [String] { written.map { "\(directory)/\($0)" } }

    /// Puts the new set in place of the folder (and of any earlier set in it), in one step.
    ///
    /// - Throws: `FileError.writeFailed` when the folder cannot be replaced, or
    ///   when files other than an earlier set appeared in it while the set was
    ///   written; the folder is then left as it was.
    package func commit() throws(FileError) {
        guard !committed else { return }
        // The files are on the disk before their folder takes the target's name:
        // one flush of the folder's own file system (not the whole machine's),
        // whose failure (a full or failing disk) is reported, not ignored.
        try Self.flush(fileSystemOf: temporary, shownAs: directory)
        for _ in 0..<8 {
            // No folder yet: take the name, unless another writer took it meanwhile.
            if convmat_rename_noreplace(temporary, directory) == 0 {
                committed = true
                return
            }
            var failure = errno
            if failure == EINVAL || failure == ENOSYS {
                // This file system cannot rename without replacing: plain rename(2), which
                // replaces only an empty folder, and a folder with files is moved aside first.
                if rename(temporary, directory) == 0 {
                    committed = true
                    return
                }
                failure = errno
                guard failure == EEXIST || failure == ENOTEMPTY else { break }
                if try replaceByMovingAside() { return }
                continue
            }
            guard failure == EEXIST else { break }
            // A folder is there: swap it with the new set in one step.
            if convmat_rename_exchange(temporary, directory) == 0 {
                try finishSwap()
                return
            }
            failure = errno
            if failure == EINVAL || failure == ENOSYS {
                if try replaceByMovingAside() { return }
                continue
            }
            // ENOENT: the folder went away between the two calls; try again.
            guard failure == ENOENT else { break }
        }
        throw .writeFailed(path: directory, reason: String(cString: strerror(errno)))
    }

    /// After the swap the earlier folder is under the temporary name: it is
    /// checked once more, and removed, or swapped back when it holds a user's files.
    private func finishSwap() throws(FileError) {
        committed = true
        let others = Self.foreignEntries(of: temporary, belongs: belongs)
        guard let others else {
            WriterTemporaries.removeSet(folder: temporary, belongs: belongs)
            return
        }
        // Files appeared in the folder while the set was written (or it is not a folder any
        // more): undo the swap, so they stay where the user put them, and drop the new set.
        guard convmat_rename_exchange(temporary, directory) == 0 else {
            throw .writeFailed(
                path: directory,
                reason:
                    "it changed while the set was written, and the swap could not be undone (\(String(cString: strerror(errno)))); the earlier folder is \(temporary)"
            )
        }
        committed = false
        throw .writeFailed(path: directory, reason: Self.changedReason(others))
    }

    /// For a file system without RENAME_EXCHANGE: moves the earlier set aside
    /// (`….old`, which a later sweep puts back if this process dies now), renames
    /// the new one into place, removes the old. Returns false when the folder went away meanwhile.
    private func replaceByMovingAside() throws(FileError) -> Bool {
        let aside = temporary + WriterTemporaries.asideSuffix
        guard rename(directory, aside) == 0 else {
            if errno == ENOENT { return false }
            throw .writeFailed(path: directory, reason: String(cString: strerror(errno)))
        }
        if let others = Self.foreignEntries(of: aside, belongs: belongs) {
            rename(aside, directory)
            throw .writeFailed(path: directory, reason: Self.changedReason(others))
        }
        guard rename(temporary, directory) == 0 else {
            let reason = String(cString: strerror(errno))
            rename(aside, directory)
            throw .writeFailed(path: directory, reason: reason)
        }
        committed = true
        WriterTemporaries.removeSet(folder: aside, belongs: belongs)
        return true
    }

    /// The names in `folder` that are not files of the set, or nil when there are none;
    /// a folder that is no folder any more is all foreign.
    private static func foreignEntries(of folder: String, belongs: (String) -> Bool) -> [String]? {
        var status = stat()
        guard lstat(folder, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else { return ["(it is no longer a folder)"] }
        let others = ((try? folderEntries(folder)) ?? []).filter { !belongs($0) }.sorted()
        return others.isEmpty ? nil : others
    }

    private static func changedReason(_ others: [String]) -> String {
        "other files appeared in it while the set was written (\(list(others))); nothing was replaced: give a new folder, or move those files away"
    }

    /// Flushes the file system holding `folder` to the disk.
    ///
    /// - Throws: `FileError.writeFailed` naming `shown` when the folder cannot be opened or the flush fails.
    private static func flush(fileSystemOf folder: String, shownAs shown: String) throws(FileError) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .writeFailed(path: shown, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        guard convmat_syncfs(descriptor) == 0 else { throw .writeFailed(path: shown, reason: String(cString: strerror(errno))) }
    }
}
