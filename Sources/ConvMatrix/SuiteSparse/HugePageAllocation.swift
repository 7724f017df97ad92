internal import CSuiteSparse
#if canImport(Glibc)
import Glibc
#endif

/// Large CHOLMOD blocks start on a 2 MiB boundary, so that the kernel can
/// back them with transparent huge pages.
///
/// `malloc` returns large blocks 16 bytes past a 4 KiB page, and the kernel
/// can only use a huge page for a 2 MiB range that starts on a 2 MiB
/// boundary and lies wholly inside the block; for C's arrays of a few MiB
/// that leaves most of each array on 4 KiB pages, each mapped and cleared
/// on its own. Aligned, everything up to the array's last 2 MiB boundary is
/// mapped in a few steps (in a C experiment two 4.7 MB arrays were obtained
/// and written 2.5× faster). The tail past that boundary, and blocks below
/// `PageAdvice.hugePageThreshold` (such as the column pointers of most
/// matrices), stay on 4 KiB pages. 2 MiB is the huge page size of x86-64
/// and of arm64 with 4 KiB pages; elsewhere the alignment is harmless.
///
/// SuiteSparse takes its allocator from a process-wide setting that must be
/// made once before any other SuiteSparse call. Every call ConvMatrix makes
/// goes through a `CholmodContext`, whose initialiser calls `install()`
/// first. `free` and `realloc` accept blocks from `posix_memalign`, so only
/// the `malloc` function changes; if an aligned block cannot be had, plain
/// `malloc` is tried (the alignment only buys speed).
enum HugePageAllocation {
    /// The huge page size on x86-64 (and arm64 with 4 KiB pages).
    static let alignment = 2 << 20

    /// Installs the aligned allocator; the first call does it, later calls do nothing.
    static func install() {
        _ = installation
    }

    private static let installation: Void = {
        convmat_use_malloc(allocate)
    }()
}

/// `malloc`, except that blocks of `PageAdvice.hugePageThreshold` bytes or more start on a huge-page boundary.
private let allocate: @convention(c) (Int) -> UnsafeMutableRawPointer? = { size in
    guard size >= PageAdvice.hugePageThreshold else { return malloc(size) }
    var block: UnsafeMutableRawPointer?
    if posix_memalign(&block, HugePageAllocation.alignment, size) == 0, let block { return block }
    return malloc(size)
}
