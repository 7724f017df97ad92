#if canImport(Glibc)
    import Glibc
#endif

/// Advice to the kernel about the fresh memory C is written into.
///
/// Writing C touches every page of its arrays exactly once, so for large
/// matrices the page faults and the zeroing of new pages cost about as much
/// as the writing itself. The corresponding C function is `madvise`.
package enum PageAdvice {
    /// Ranges of at least this many bytes are worth huge pages; CHOLMOD blocks
    /// this large are also aligned for them when a program opts into `HugePageAllocation`.
    package static let hugePageThreshold = 4 << 20

    /// Maps the pages of a freshly allocated range before it is written
    /// (`madvise(MADV_POPULATE_WRITE)`, Linux 5.14+). Writing C touches every
    /// page once, and taking one page fault per 4 KiB page costs about as much
    /// as the writing itself; populating a whole range in one call is cheaper,
    /// and each thread populates its own block, so the zeroing of new pages is
    /// shared between cores. Only the page-aligned inside of the range is
    /// populated; below 64 KiB, or where the kernel refuses, nothing changes.
    package static func populate<T>(_ start: UnsafeMutablePointer<T>, bytes: Int) {
        #if canImport(Glibc)
            let page = 4096, populateWrite: Int32 = 23
            guard bytes >= 16 * page else { return }
            let first = (Int(bitPattern: start) + page - 1) / page * page
            let end = (Int(bitPattern: start) + bytes) / page * page
            guard end > first, let address = UnsafeMutableRawPointer(bitPattern: first) else { return }
            _ = madvise(address, end - first, populateWrite)
        #endif
    }

    /// Asks the kernel to back a large, freshly allocated range with
    /// transparent huge pages (`madvise(MADV_HUGEPAGE)`): one fault per 2 MiB
    /// instead of per 4 KiB. Only the page-aligned inside of the range is
    /// advised; below `hugePageThreshold` (4 MiB), or where the kernel refuses, nothing changes.
    package static func adviseHugePages<T>(_ start: UnsafeMutablePointer<T>, bytes: Int) {
        #if canImport(Glibc)
            let page = 4096
            guard bytes >= hugePageThreshold else { return }
            let first = (Int(bitPattern: start) + page - 1) / page * page
            let end = (Int(bitPattern: start) + bytes) / page * page
            guard end > first, let address = UnsafeMutableRawPointer(bitPattern: first) else { return }
            _ = madvise(address, end - first, MADV_HUGEPAGE)
        #endif
    }
}
