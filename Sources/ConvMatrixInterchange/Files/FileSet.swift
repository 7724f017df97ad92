import ConvMatrixCore

#if canImport(Glibc)
    import Glibc
    internal import CFileSystem
#endif

/// Files that belong together (an exercise sheet with its keys, the images of
/// one deconvolution), written into a folder that appears — or replaces an
/// earlier set — whole: a reader sees the old set, the new set, or for a
/// moment no folder, never a mixture and never a half-written file.
///
/// Every target is checked before anything is written: the folder must be
/// new, or hold only files of an earlier set (`names`); anything else is
/// refused, so a set never overwrites a user's other files. The files are
/// written into a temporary folder beside the target (`.name.XXXXXX`), and
/// `commit()` makes the temporary folder's file system durable (one
/// `syncfs` of that file system, with its error reported, instead of one
/// `fsync` per file), moves the old folder aside, renames the new one into
/// place and removes the old one. Two programs writing the same set at once each end
/// with a complete set in place (the later one's). Without `commit()` the
/// temporary folder is removed and the target is left as it was.
package final class FileSet {
    /// The folder the set is written to.
    package let directory: String
    /// Whether a file name belongs to a set of this kind.
    package let belongs: @Sendable (String) -> Bool
    private let temporary: String
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

    /// Checks `directory` and prepares an empty temporary folder beside it.
    ///
    /// - Parameters:
    ///   - directory: the folder to (re)place; its parent must exist and be writable.
    ///   - belongs: whether a file name belongs to a set of this kind (an earlier
    ///     set in the folder may hold only such files).
    /// - Throws: `FileError.unwritable` naming the folder and why.
    package init(directory: String, belongs: @escaping @Sendable (String) -> Bool) throws(FileError) {
        var trimmed = directory
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        let slash = trimmed.lastIndex(of: "/")
        let parent = slash.map { $0 == trimmed.startIndex ? "/" : String(trimmed[..<$0]) } ?? "."
        let leaf = slash.map { String(trimmed[trimmed.index(after: $0)...]) } ?? trimmed
        guard !leaf.isEmpty, leaf != ".", leaf != ".." else {
            throw .unwritable(path: directory, reason: "give a folder by name, such as sheet3, not \(leaf.isEmpty ? "/" : leaf)")
        }
        var status = stat()
        if stat(trimmed, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFDIR else { throw .unwritable(path: directory, reason: "is a file, not a folder") }
            let others = try Self.contents(of: trimmed).filter { !belongs($0) }.sorted()
            if !others.isEmpty {
                let shown = others.prefix(3).joined(separator: ", ") + (others.count > 3 ? ", …" : "")
                throw .unwritable(path: directory, reason: "holds other files (\(shown)); give a new folder, or one that holds only an earlier set")
            }
        } else if errno != ENOENT {
            throw .unwritable(path: directory, reason: String(cString: strerror(errno)))
        }
        var template = Array("\(parent)/.\(leaf).XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw .unwritable(path: directory, reason: String(cString: strerror(errno)))
        }
        self.directory = trimmed
        self.belongs = belongs
        temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        chmod(temporary, 0o755)
    }

    deinit {
        if !committed { Self.remove(folder: temporary) }
    }

    /// Writes the file `name` (one of `names`) of the new set.
    ///
    /// - Throws: `FileError.unwritable` when it cannot be written completely.
    /// - Parameters:
    ///   - name: the file's name inside the set.
    ///   - text: its whole content, written as UTF-8.
    package func write(_ name: String, text: String) throws(FileError) {
        try write(name) { $0.write(text) }
    }

    /// Writes the binary file `name` (one of `names`) of the new set.
    ///
    /// - Throws: `FileError.unwritable` when it cannot be written completely.
    /// - Parameters:
    ///   - name: the file's name inside the set.
    ///   - bytes: its whole content.
    package func write(_ name: String, bytes: [UInt8]) throws(FileError) {
        try write(name) { $0.write(bytes: bytes) }
    }

    private func write(_ name: String, _ fill: (TextOutput) -> Void) throws(FileError) {
        precondition(belongs(name), "FileSet: \(name) does not belong to the set")
        let file = try TextOutput(creatingFileInSetAt: "\(temporary)/\(name)")
        fill(file)
        try file.finish()
        written.append(name)
    }

    /// The paths of the files as they are once the set is in place.
    package var paths: [String] { written.map { "\(directory)/\($0)" } }

    /// Puts the new set in place of the folder (and of any earlier set in it).
    ///
    /// - Throws: `FileError.unwritable` when the folder cannot be replaced; the
    ///   earlier set is then left where it was.
    package func commit() throws(FileError) {
        guard !committed else { return }
        // The files are on the disk before their folder takes the target's name:
        // one flush of the folder's own file system (not the whole machine's),
        // whose failure (a full or failing disk) is reported, not ignored.
        try Self.flush(fileSystemOf: temporary)
        for _ in 0..<8 {
            if rename(temporary, directory) == 0 {
                committed = true
                return
            }
            guard errno == EEXIST || errno == ENOTEMPTY else { break }
            // An earlier set is there: move it aside, then try again to take its place.
            let aside = "\(temporary).old"
            if rename(directory, aside) == 0 { Self.remove(folder: aside) }
        }
        throw .unwritable(path: directory, reason: String(cString: strerror(errno)))
    }

    /// Flushes the file system holding `folder` to the disk.
    ///
    /// - Throws: `FileError.unwritable` when the folder cannot be opened or the
    ///   flush fails.
    private static func flush(fileSystemOf folder: String) throws(FileError) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unwritable(path: folder, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        guard convmat_syncfs(descriptor) == 0 else { throw .unwritable(path: folder, reason: String(cString: strerror(errno))) }
    }

    /// The names in a folder, without `.` and `..`.
    private static func contents(of folder: String) throws(FileError) -> [String] {
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

    /// Removes a folder this class made, with the files in it.
    private static func remove(folder: String) {
        for name in (try? contents(of: folder)) ?? [] { unlink("\(folder)/\(name)") }
        rmdir(folder)
    }
}
