// glibc declares syncfs only under _GNU_SOURCE, which Swift's Glibc module
// does not define; this file defines it and wraps the call.
#define _GNU_SOURCE
#include <unistd.h>
#include "CFileSystem.h"

int convmat_syncfs(int descriptor) {
#if defined(__linux__)
    return syncfs(descriptor);
#else
    return fsync(descriptor);
#endif
}
