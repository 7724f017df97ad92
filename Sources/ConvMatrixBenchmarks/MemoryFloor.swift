import ConvMatrix
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
package final class MemoryFloor {
    private let arrays: SparseMatrix

    /// The byte every array is filled with: all ones, so that a test can see that no byte was missed.
    package static let fill: Int32 = 0xFF

    /// Allocates and fills arrays the size of `geometry`'s C; freed with the value.
    package init(like geometry: ConvolutionGeometry) throws(CholmodError) {
        arrays = try SparseMatrix(unwrittenArraysFor: geometry)
        let total = geometry.nonzeroCount, columns = geometry.columnCount
        arrays.withUnwrittenArrays { columnStarts, rowIndices, values in
            let target = Arrays(
                columnStarts: columnStarts.baseAddress!, rowIndices: rowIndices.baseAddress!, values: values.baseAddress!)
            PageAdvice.adviseHugePages(target.rowIndices, bytes: total * 8)
            PageAdvice.adviseHugePages(target.values, bytes: total * 8)
            let chunks = total < ColumnWriter.parallelThreshold ? 1 : 8 * ColumnWriter.processorCount
            let body = { @Sendable (chunk: Int) in
                let first = chunk * total / chunks, end = (chunk + 1) * total / chunks
                let firstColumn = chunk * (columns + 1) / chunks, endColumn = (chunk + 1) * (columns + 1) / chunks
                PageAdvice.populate(target.rowIndices + first, bytes: (end - first) * 8)
                PageAdvice.populate(target.values + first, bytes: (end - first) * 8)
                memset(target.rowIndices + first, Self.fill, (end - first) * 8)
                memset(target.values + first, Self.fill, (end - first) * 8)
                memset(target.columnStarts + firstColumn, Self.fill, (endColumn - firstColumn) * 8)
            }
            if chunks == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: body) }
        }
    }

    /// Calls `body` with the three filled arrays (column pointers, row indices, values), for tests.
    package func withArrays<Result>(
        _ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int>, UnsafeBufferPointer<Double>) -> Result
    ) -> Result {
        arrays.withUnwrittenArrays { columnStarts, rowIndices, values in
            body(UnsafeBufferPointer(columnStarts), UnsafeBufferPointer(rowIndices), UnsafeBufferPointer(values))
        }
    }
}

/// The arrays, shared by the threads that fill disjoint blocks.
private struct Arrays: @unchecked Sendable {
    let columnStarts: UnsafeMutablePointer<Int>
    let rowIndices: UnsafeMutablePointer<Int>
    let values: UnsafeMutablePointer<Double>
}
