// File-system calls that Swift's Glibc module does not declare.
#ifndef CFILESYSTEM_H
#define CFILESYSTEM_H

/// Flushes the file system holding the open file or folder `descriptor` to
/// the disk (Linux's syncfs(2); elsewhere fsync(2) of that one descriptor).
/// Returns 0, or -1 with errno set.
int convmat_syncfs(int descriptor);

#endif
