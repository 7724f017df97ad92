internal import CSuiteSparse
#if canImport(Glibc)
import Glibc
#endif

/// Large CHOLMOD blocks start on a 2 MiB boundary, so that the kernel can
/// back all of them with transparent huge pages.
///
/// `malloc` returns large blocks at an address 16 bytes past a 4 KiB page,
/// and the kernel can only use a huge page for a 2 MiB range that lies
/// wholly inside the block and starts on a 2 MiB boundary; for C's arrays of
/// a few MiB that leaves most of each array on 4 KiB pages, each mapped and
/// cleared on its own. Aligned, the same arrays are mapped in a few steps
/// (a 586 756-nonzero C was obtained and written 2.5× faster in a C
/// experiment). Blocks below 4 MiB are left to `malloc`.
///
/// SuiteSparse takes its allocator from the global `SuiteSparse_config`,
/// meant to be set once before any other call; `CholmodContext` does so
/// before starting CHOLMOD. `free` and `realloc` accept blocks from
/// `posix_memalign`, so only `malloc_func` changes.
enum HugePageAllocation {
    /// Blocks of at least this many bytes are aligned (the same bound as `PageAdvice.adviseHugePages`).
    static let threshold = 4 << 20
    /// The huge page size on x86-64 and most arm64 kernels.
    static let alignment = 2 << 20

    /// Installs the aligned allocator, once per process.
    static let installed: Void = {
        convmat_use_malloc(allocate)
    }()
}

/// `malloc`, except that blocks of `HugePageAllocation.threshold` bytes or more start on a huge-page boundary.
private let allocate: @convention(c) (Int) -> UnsafeMutableRawPointer? = { size in
    guard size >= HugePageAllocation.threshold else { return malloc(size) }
    var block: UnsafeMutableRawPointer?
    return posix_memalign(&block, HugePageAllocation.alignment, size) == 0 ? block : nil
}
