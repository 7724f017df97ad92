// File-system calls that Swift's Glibc module does not declare.
#ifndef CFILESYSTEM_H
#define CFILESYSTEM_H

/// Flushes the file system holding the open file or folder `descriptor` to
/// the disk (Linux's syncfs(2); elsewhere fsync(2) of that one descriptor).
/// Returns 0, or -1 with errno set.
int convmat_syncfs(int descriptor);

/// Swaps the names `first` and `second` in one step, whatever each names
/// (Linux's renameat2(2) with RENAME_EXCHANGE): both must exist, and after
/// the call each name holds what the other held. Returns 0, or -1 with errno
/// set (EINVAL or ENOSYS where the system or the file system cannot do it).
int convmat_rename_exchange(const char *first, const char *second);

/// Renames `from` to `to` only if `to` does not exist (renameat2(2) with
/// RENAME_NOREPLACE), so that nothing there is ever replaced. Returns 0, or
/// -1 with errno set (EEXIST when `to` exists; EINVAL or ENOSYS where the
/// system or the file system cannot do it).
int convmat_rename_noreplace(const char *from, const char *to);

#endif
