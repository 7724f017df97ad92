// glibc declares syncfs and renameat2 only under _GNU_SOURCE, which Swift's
// Glibc module does not define; this file defines it and wraps the calls.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif
#include "CFileSystem.h"

int convmat_syncfs(int descriptor) {
#if defined(__linux__)
    return syncfs(descriptor);
#else
    return fsync(descriptor);
#endif
}

#if defined(__linux__) && defined(SYS_renameat2)
// The system call itself, so that a C library older than glibc 2.28 (which added the wrapper)
// links as well; the flags are those of <linux/fs.h>.
static int rename_with_flags(const char *from, const char *to, unsigned int flags) {
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, flags);
}
#else
static int rename_with_flags(const char *from, const char *to, unsigned int flags) {
    (void)from; (void)to; (void)flags;
    errno = ENOSYS;
    return -1;
}
#endif

int convmat_rename_exchange(const char *first, const char *second) {
    return rename_with_flags(first, second, 2u /* RENAME_EXCHANGE */);
}

int convmat_rename_noreplace(const char *from, const char *to) {
    return rename_with_flags(from, to, 1u /* RENAME_NOREPLACE */);
}
