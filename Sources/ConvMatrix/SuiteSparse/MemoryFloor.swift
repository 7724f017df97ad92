internal import CSuiteSparse
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// A memory-speed baseline for building C: CHOLMOD's three arrays for the
/// geometry's C (16 bytes per nonzero and 8 per column), obtained and
/// written once, with nothing computed.
///
/// Building C means asking the system for those bytes and writing each of
/// them once; fresh pages must also be mapped and cleared by the kernel.
/// This baseline does that the way the writer does (same allocation,
/// huge-page advice, page population and threads) and fills the bytes with
/// `memset`. `convmat bench` reports the build's time over this one: near 1
/// means the build runs at memory speed. It is a yardstick, not a proof of
/// a lower bound: `memset` and the writer's stores use the caches
/// differently, and a builder with 32-bit indices writes only 12 bytes per
/// nonzero.
final class MemoryFloor {
    private var storage: UnsafeMutablePointer<cholmod_sparse>?

    /// The byte every array is filled with: all ones, so that a test can see that no byte was missed.
    static let fill: Int32 = 0xFF

    /// Allocates and fills arrays the size of `geometry`'s C; freed with the value.
    init(like geometry: ConvolutionGeometry) throws(CholmodError) {
        let total = geometry.nonzeroCount, columns = geometry.columnCount
        storage = try CholmodContext.shared.call { common in
            cholmod_l_allocate_sparse(geometry.rowCount, columns, max(total, 1), 1, 1, 0, CHOLMOD_REAL, common)
        }
        guard let sparse = storage?.pointee else { throw .outOfMemory }
        let arrays = Arrays(
            columnStarts: sparse.p.assumingMemoryBound(to: Int.self),
            rowIndices: sparse.i.assumingMemoryBound(to: Int.self),
            values: sparse.x.assumingMemoryBound(to: Double.self))
        PageAdvice.adviseHugePages(arrays.rowIndices, bytes: total * 8)
        PageAdvice.adviseHugePages(arrays.values, bytes: total * 8)
        let chunks = total < ColumnWriter.parallelThreshold ? 1 : 8 * ColumnWriter.processorCount
        let body = { @Sendable (chunk: Int) in
            let first = chunk * total / chunks, end = (chunk + 1) * total / chunks
            let firstColumn = chunk * (columns + 1) / chunks, endColumn = (chunk + 1) * (columns + 1) / chunks
            PageAdvice.populate(arrays.rowIndices + first, bytes: (end - first) * 8)
            PageAdvice.populate(arrays.values + first, bytes: (end - first) * 8)
            memset(arrays.rowIndices + first, Self.fill, (end - first) * 8)
            memset(arrays.values + first, Self.fill, (end - first) * 8)
            memset(arrays.columnStarts + firstColumn, Self.fill, (endColumn - firstColumn) * 8)
        }
        if chunks == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: body) }
    }

    /// Calls `body` with the three filled arrays (column pointers, row indices, values), for tests.
    func withArrays<Result>(
        _ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int>, UnsafeBufferPointer<Double>) -> Result
    ) -> Result? {
        guard let sparse = storage?.pointee else { return nil }
        return body(
            UnsafeBufferPointer(start: sparse.p.assumingMemoryBound(to: Int.self), count: sparse.ncol + 1),
            UnsafeBufferPointer(start: sparse.i.assumingMemoryBound(to: Int.self), count: sparse.nzmax),
            UnsafeBufferPointer(start: sparse.x.assumingMemoryBound(to: Double.self), count: sparse.nzmax))
    }

    deinit {
        _ = try? CholmodContext.shared.call { common in cholmod_l_free_sparse(&storage, common) }
    }
}

/// The arrays, shared by the threads that fill disjoint blocks.
private struct Arrays: @unchecked Sendable {
    let columnStarts: UnsafeMutablePointer<Int>
    let rowIndices: UnsafeMutablePointer<Int>
    let values: UnsafeMutablePointer<Double>
}
