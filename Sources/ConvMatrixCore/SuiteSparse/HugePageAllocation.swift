internal import CSuiteSparse
#if canImport(Glibc)
    import Glibc
#endif

/// An opt-in allocation policy for SuiteSparse: blocks of 4 MiB or more start
/// on a 2 MiB boundary, so that the kernel can back them with transparent huge
/// pages.
///
/// `malloc` returns large blocks 16 bytes past a 4 KiB page, and the kernel
/// can only use a huge page for a 2 MiB range that starts on a 2 MiB
/// boundary and lies wholly inside the block; for C's arrays of a few MiB
/// that leaves most of each array on 4 KiB pages, each mapped and cleared
/// on its own. Aligned, everything up to the array's last 2 MiB boundary is
/// mapped in a few steps (in a C experiment two 4.7 MB arrays were obtained
/// and written 2.5× faster). 2 MiB is the huge page size of x86-64 and of
/// arm64 with 4 KiB pages; elsewhere the alignment is harmless.
///
/// SuiteSparse takes its allocator from a setting that belongs to the whole
/// process, so ConvMatrix never changes it on its own: a program that wants
/// the policy calls `install()` once, early (`convmat` does, at start-up).
/// Blocks from `posix_memalign` are released by `free` like any other, so
/// only the `malloc` function changes and blocks obtained before the call
/// stay valid; if an aligned block cannot be had, plain `malloc` is used
/// (the alignment only buys speed).
public enum HugePageAllocation {
    /// The huge page size on x86-64 (and arm64 with 4 KiB pages): 2 MiB.
    package static let alignment = 2 << 20

    /// Blocks of at least this many bytes (4 MiB) are aligned; smaller ones come from plain `malloc`.
    package static let threshold = PageAdvice.hugePageThreshold

    /// Makes SuiteSparse allocate through the aligning `malloc` for the rest of
    /// the process. Calling it again does nothing.
    ///
    /// The corresponding SuiteSparse setting is `SuiteSparse_config.malloc_func`.
    public static func install() {
        _ = installation
    }

    private static let installation: Void = {
        convmat_use_malloc(allocate)
    }()
}

/// `malloc`, except that blocks of `HugePageAllocation.threshold` bytes or more start on a huge-page boundary.
private let allocate: @convention(c) (Int) -> UnsafeMutableRawPointer? = { size in
    guard size >= HugePageAllocation.threshold else { return malloc(size) }
    var block: UnsafeMutableRawPointer?
    if posix_memalign(&block, HugePageAllocation.alignment, size) == 0, let block { return block }
    return malloc(size)
}
