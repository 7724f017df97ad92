internal import CSuiteSparse
import Dispatch
import Synchronization

/// The products y = A·x and z = Aᵀ·y, on one thread or several.
///
/// Every product is CHOLMOD's `cholmod_l_sdmult`. On several threads A's
/// columns are cut into consecutive blocks of about equal nonzeros and each
/// thread multiplies with its own blocks, through a view of A's arrays (the
/// block's column pointers, A's row indices and values: nothing is copied)
/// and a CHOLMOD workspace of its own:
///
/// - z = Aᵀ·y: block b computes the entries of z that belong to its columns,
///   each a dot product of a column with y taken in the same order as on one
///   thread, so z is the same to the last bit whatever the thread count.
/// - y = A·x: block b scatters its columns into a partial result of its own
///   (`rows` numbers per sample), and the partial results are added in block
///   order. With one thread that is today's scatter; with several, each entry
///   of y is the same sum grouped differently, so it differs from the
///   one-thread result at most by the rounding bound of a sum of its terms
///   (`RoundingBound.difference`), and is the same on every run with the same
///   thread count. Samples go four at a time (CHOLMOD's own group), so the
///   partial results take at most `threads · 4 · rows` numbers
///   (`MemoryEstimate.partialResults`).
///
/// With `keepRows()`, A is also held by rows (Aᵀ in CHOLMOD's compressed
/// columns, made once by CHOLMOD's transpose), and y = A·x becomes a gather:
/// each entry of y is the dot product of a row of A with x, its terms in
/// increasing column order, exactly the order of the one-thread scatter — so
/// y is then the one-thread result bit for bit on any number of threads too,
/// and faster, because a gather writes y once instead of updating it for
/// every nonzero. Making the copy costs several products and as much memory
/// as A again, so it is made only on request, for repeated products.
extension SparseMatrix {
    /// The threads a product uses when its call names none.
    ///
    /// Reading it gives the program's choice if it made one, else the environment variable
    /// `CONVMAT_THREADS` (a whole number from 1 to 1024), else the processors this process may run on
    /// (its CPU affinity, at most `sysconf(_SC_NPROCESSORS_ONLN)`). Setting it is a program's choice for
    /// the rest of its process (`convmat --threads` sets it); values are clamped to 1 ... 1024. The
    /// library never sets it itself.
    public static var defaultThreadCount: Int {
        get { ProductThreads.standard }
        set { ProductThreads.choose(newValue) }
    }

    /// Below this many multiply-adds (nonzeros × samples) a product runs on one thread whatever it is
    /// given: waking threads costs more than they save.
    package static let parallelWork = 1 << 16

    /// Samples a product y = A·x on several threads takes at a time: CHOLMOD's own group of four,
    /// which bounds the partial results.
    package static let forwardGroup = 4

    /// Blocks of columns per thread for z = Aᵀ·y, so that a thread held up on a busy core leaves
    /// its remaining blocks to the others.
    static let transposedBlocksPerThread = 8

    /// y = A·x for every column of `x` (one sample per column).
    ///
    /// The corresponding CHOLMOD routine is `cholmod_l_sdmult` with transpose = 0. With one thread the
    /// result is CHOLMOD's scatter over A's columns; with several, each thread scatters a block of
    /// columns into a partial result and the partial results are added in block order.
    ///
    /// - Parameters:
    ///   - x: the operand, `columnCount` rows, one sample per column.
    ///   - threads: how many threads may work on it (1 gives the one-thread result bit for bit); nil means
    ///     `defaultThreadCount`. Products of fewer than 65 536 multiply-adds use one.
    /// - Returns: A·x, `rowCount` rows and as many columns as `x`.
    /// - Throws: `CholmodError` when `x` has the wrong number of rows or CHOLMOD fails.
    /// - Complexity: O(nnz(A) · samples) time; O(rows · samples) memory for the result, and on several threads
    ///   partial results of threads · min(samples, 4) · rows numbers.
    public func multiply(_ x: DenseMatrix, threads: Int? = nil) throws(CholmodError) -> DenseMatrix {
        try product(x, transposed: false, threads: threads)
    }

    /// z = Aᵀ·y for every column of `y`, without forming Aᵀ.
    ///
    /// The corresponding CHOLMOD routine is `cholmod_l_sdmult` with transpose = 1. Each entry of z is a
    /// dot product of a column of A with y, taken in the same order on any number of threads, so the
    /// result is the same to the last bit whatever `threads` is.
    ///
    /// - Parameters:
    ///   - y: the operand, `rowCount` rows, one sample per column.
    ///   - threads: how many threads may work on it; nil means `defaultThreadCount`. Products of fewer than
    ///     65 536 multiply-adds use one.
    /// - Returns: Aᵀ·y, `columnCount` rows and as many columns as `y`.
    /// - Throws: `CholmodError` when `y` has the wrong number of rows or CHOLMOD fails.
    /// - Complexity: O(nnz(A) · samples) time, the same as `multiply(_:threads:)`, because CHOLMOD reads A's
    ///   columns as rows; O(columns · samples) memory for the result (and a padded copy of the operand when
    ///   samples > 1).
    public func multiplyTransposed(_ y: DenseMatrix, threads: Int? = nil) throws(CholmodError) -> DenseMatrix {
        try product(y, transposed: true, threads: threads)
    }

    /// Keeps A by rows beside A, so that every later A·x is a gather over A's rows (see the type's
    /// discussion): the same result bit for bit, faster on repeated products. Worth it only for
    /// repeated products: making the copy takes several products' time (CHOLMOD's transpose), and the
    /// copy holds as much memory as A again, 16·nnz + 8·(rows + 1) bytes, until A is released. Calling
    /// it again does nothing.
    ///
    /// The corresponding CHOLMOD routine is `cholmod_l_transpose`.
    ///
    /// - Throws: `CholmodError.outOfMemory` when CHOLMOD cannot allocate the copy (the memory guard of
    ///   `convmat bench` keeps one only where it fits, and otherwise multiplies by columns).
    /// - Complexity: O(nnz(A) + rows + columns) time; 16·nnz(A) + 8·(rows + 1) bytes for the copy, and CHOLMOD's
    ///   workspace of max(rows, columns) integers while it is made.
    public func keepRows() throws(CholmodError) {
        if keepsRows { return }
        let copy = try SparseMatrix(transposing: self)
        rowsCopy.withLock { if $0 == nil { $0 = copy } }
    }

    /// True once `keepRows()` has made A by rows.
    package var keepsRows: Bool { rowsCopy.withLock { $0 != nil } }

    /// A·x or Aᵀ·y on up to `threads` threads.
    ///
    /// - Parameters:
    ///   - operand: x (`columnCount` rows) or y (`rowCount` rows), one sample per column.
    ///   - transposed: false for A·x, true for Aᵀ·y.
    ///   - threads: the most threads to use (at least 1); nil means `defaultThreadCount`, read only when
    ///     the product is large enough to use threads.
    ///   - parallelWork: multiply-adds below which one thread does everything (tests lower it to reach
    ///     the parallel path with small matrices).
    ///   - byRows: for A·x, whether to use A's rows when `keepRows()` has kept them (the benchmark
    ///     passes false to time the scatter over A's columns as well).
    /// - Returns: the product, one column per sample.
    /// - Throws: `CholmodError` when the operand's rows do not fit or CHOLMOD fails.
    package func product(
        _ operand: DenseMatrix, transposed: Bool, threads: Int?, parallelWork: Int = SparseMatrix.parallelWork, byRows: Bool = true
    ) throws(CholmodError) -> DenseMatrix {
        if !transposed && byRows, let rows = rowsCopy.withLock({ $0 }) {
            // A·x = (Aᵀ)ᵀ·x: the dot products down Aᵀ's columns, which are A's rows.
            return try rows.product(operand, transposed: true, threads: threads, parallelWork: parallelWork)
        }
        let inner = transposed ? rowCount : columnCount
        let outer = transposed ? columnCount : rowCount
        guard operand.rowCount == inner else {
            throw CholmodError(status: -4, message: "the operand has \(operand.rowCount) rows but the matrix\(transposed ? "ᵀ" : "") needs \(inner)")
        }
        let samples = operand.columnCount
        if samples == 0 || outer == 0 { return DenseMatrix(zerosWithRows: outer, columns: samples) }
        let work = nonzeroCount.multipliedReportingOverflow(by: samples)
        if inner > 0, work.overflow || work.partialValue >= parallelWork,
            case let threads = min(threads ?? Self.defaultThreadCount, ProductThreads.maximum), threads > 1
        {
            let blocks = columnBlocks(transposed ? threads * Self.transposedBlocksPerThread : threads)
            if blocks.count > 1 {
                return transposed
                    ? try parallelTransposedProduct(operand, blocks: blocks)
                    : try parallelForwardProduct(operand, blocks: blocks, threads: threads)
            }
        }
        return try serialProduct(operand, transposed: transposed)
    }

    /// The columns cut into at most `count` consecutive, non-empty blocks of about equal nonzeros.
    ///
    /// - Parameter count: the most blocks wanted.
    /// - Returns: the blocks, in column order, covering every column.
    package func columnBlocks(_ count: Int) -> ColumnBlocks {
        ColumnBlocks(columnStarts: UnsafeBufferPointer(start: storage.pointee.p.assumingMemoryBound(to: Int.self), count: columnCount + 1), count: count)
    }

    /// A·x or Aᵀ·y with the whole matrix in one CHOLMOD call, through the shared context.
    private func serialProduct(_ operand: DenseMatrix, transposed: Bool) throws(CholmodError) -> DenseMatrix {
        let inner = transposed ? rowCount : columnCount
        let outer = transposed ? columnCount : rowCount
        let samples = operand.columnCount
        if samples == 1 || inner == 0 {
            // One column: CHOLMOD reads the operand in place, and with beta = 0 it
            // zeroes every entry of the result before adding, so the result is not cleared twice.
            let values = try [Double](unsafeUninitializedCapacity: outer * samples) { (target, initialized) throws(CholmodError) in
                initialized = target.count
                try operand.values.withUnsafeBufferPointer { (source) throws(CholmodError) in
                    try Self.sdmult(
                        storage, context: context, transposed: transposed, inner: inner, outer: outer, samples: samples,
                        source: UnsafeMutablePointer(mutating: source.baseAddress), sourceStride: max(inner, 1),
                        target: target.baseAddress, targetStride: outer)
                }
            }
            return DenseMatrix(rowCount: outer, columnCount: samples, values: values)
        }
        // Several columns: CHOLMOD works on four at a time, and when the column
        // length is a multiple of a large power of two those four columns fall
        // into the same cache sets and evict each other (the forward product
        // then runs slower per sample than a single one). A leading dimension of
        // an odd number of 64-byte lines spreads them out. Only the side that
        // CHOLMOD accesses at random needs it: the result of A·X (scattered
        // writes) and the operand of Aᵀ·Y (gathered reads); the copy costs
        // O(rows · samples), small next to O(nnz · samples).
        let values = try [Double](unsafeUninitializedCapacity: outer * samples) { (result, initialized) throws(CholmodError) in
            initialized = result.count
            try operand.values.withUnsafeBufferPointer { (source) throws(CholmodError) in
                guard let source = source.baseAddress, let result = result.baseAddress else { return }
                if transposed {
                    let padded = PaddedColumns(copying: source, rows: inner, columns: samples)
                    defer { padded.deallocate() }
                    try Self.sdmult(
                        storage, context: context, transposed: true, inner: inner, outer: outer, samples: samples,
                        source: padded.base, sourceStride: padded.stride, target: result, targetStride: outer)
                } else {
                    let padded = PaddedColumns(rows: outer, columns: samples)
                    defer { padded.deallocate() }
                    try Self.sdmult(
                        storage, context: context, transposed: false, inner: inner, outer: outer, samples: samples,
                        source: UnsafeMutablePointer(mutating: source), sourceStride: inner, target: padded.base, targetStride: padded.stride)
                    padded.copy(to: result)
                }
            }
        }
        return DenseMatrix(rowCount: outer, columnCount: samples, values: values)
    }

    /// Aᵀ·Y on several threads: block b of A's columns gives the entries of the result that belong to
    /// those columns, in place; the operand (padded when it has several columns) is shared.
    private func parallelTransposedProduct(_ operand: DenseMatrix, blocks: ColumnBlocks) throws(CholmodError) -> DenseMatrix {
        let rows = rowCount, columns = columnCount, samples = operand.columnCount
        let values = try [Double](unsafeUninitializedCapacity: columns * samples) { (result, initialized) throws(CholmodError) in
            initialized = result.count
            try operand.values.withUnsafeBufferPointer { (source) throws(CholmodError) in
                guard let source = source.baseAddress, let result = result.baseAddress else { return }
                let padded = samples > 1 ? PaddedColumns(copying: source, rows: rows, columns: samples) : nil
                defer { padded?.deallocate() }
                let arrays = ProductArrays(
                    source: padded?.base ?? UnsafeMutablePointer(mutating: source), sourceStride: padded?.stride ?? rows,
                    target: result, targetStride: columns)
                try Self.forEachBlock(blocks.count) { (b) throws(CholmodError) in
                    let block = blocks[b]
                    try withBlockView(block) { (view) throws(CholmodError) in
                        try CholmodContext.withSpare { (context) throws(CholmodError) in
                            try Self.sdmult(
                                view, context: context, transposed: true, inner: rows, outer: block.count, samples: samples,
                                source: arrays.source, sourceStride: arrays.sourceStride,
                                target: arrays.target + block.lowerBound, targetStride: arrays.targetStride)
                        }
                    }
                }
            }
        }
        return DenseMatrix(rowCount: columns, columnCount: samples, values: values)
    }

    /// A·X on several threads: for each group of up to four samples, block b scatters its columns into
    /// partial result b; then the partial results are added in block order into the result.
    private func parallelForwardProduct(_ operand: DenseMatrix, blocks: ColumnBlocks, threads: Int) throws(CholmodError) -> DenseMatrix {
        let rows = rowCount, columns = columnCount, samples = operand.columnCount
        let group = min(samples, Self.forwardGroup)
        let values = try [Double](unsafeUninitializedCapacity: rows * samples) { (result, initialized) throws(CholmodError) in
            initialized = result.count
            try operand.values.withUnsafeBufferPointer { (source) throws(CholmodError) in
                guard let source = source.baseAddress, let result = result.baseAddress else { return }
                let partials = PartialResults(blocks: blocks.count, rows: rows, samples: group)
                defer { partials.deallocate() }
                var first = 0
                while first < samples {
                    let count = min(group, samples - first)
                    let arrays = ProductArrays(
                        source: UnsafeMutablePointer(mutating: source) + first * columns, sourceStride: columns,
                        target: partials.base, targetStride: partials.stride)
                    try Self.forEachBlock(blocks.count) { (b) throws(CholmodError) in
                        let block = blocks[b]
                        try withBlockView(block) { (view) throws(CholmodError) in
                            try CholmodContext.withSpare { (context) throws(CholmodError) in
                                try Self.sdmult(
                                    view, context: context, transposed: false, inner: block.count, outer: rows, samples: count,
                                    source: arrays.source + block.lowerBound, sourceStride: arrays.sourceStride,
                                    target: partials.block(b), targetStride: arrays.targetStride)
                            }
                        }
                    }
                    partials.add(samples: count, into: result + first * rows, threads: threads)
                    first += count
                }
            }
        }
        return DenseMatrix(rowCount: rows, columnCount: samples, values: values)
    }

    /// Runs `body` with a CHOLMOD header for the columns `block` of this matrix: its column pointers
    /// start at the block's first column, and its row indices and values are the matrix's own (CHOLMOD
    /// reads a packed column j at the offsets p[j] ..< p[j+1], which need not start at 0).
    private func withBlockView<Result>(
        _ block: Range<Int>, _ body: (UnsafeMutablePointer<cholmod_sparse>) throws(CholmodError) -> Result
    ) throws(CholmodError) -> Result {
        var view = storage.pointee
        view.ncol = block.count
        view.p = view.p + block.lowerBound * MemoryLayout<Int>.stride
        return try body(&view)
    }

    /// Runs `body(b)` for every b in 0 ..< `count` on the threads of Dispatch's pool (the calling
    /// thread among them) and throws the first error any of them met.
    private static func forEachBlock(_ count: Int, _ body: @Sendable (Int) throws(CholmodError) -> Void) throws(CholmodError) {
        let failure = Mutex<CholmodError?>(nil)
        DispatchQueue.concurrentPerform(iterations: count) { b in
            do throws(CholmodError) {
                try body(b)
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// The smallest n′ ≥ n that is a whole, odd number of 64-byte lines (8 doubles).
    static func paddedLeadingDimension(_ n: Int) -> Int {
        let lines = (max(n, 1) + 7) / 8
        return 8 * (lines % 2 == 1 ? lines : lines + 1)
    }

    /// Y = op(A)·X for column-major X and Y with the given leading dimensions.
    ///
    /// The corresponding CHOLMOD routine is `cholmod_l_sdmult` (alpha = 1, beta = 0).
    private static func sdmult(
        _ matrix: UnsafeMutablePointer<cholmod_sparse>, context: CholmodContext,
        transposed: Bool, inner: Int, outer: Int, samples: Int,
        source: UnsafeMutablePointer<Double>?, sourceStride: Int,
        target: UnsafeMutablePointer<Double>?, targetStride: Int
    ) throws(CholmodError) {
        #if DEBUG
            ProductCallLog.current?.record(samples)
        #endif
        var x = cholmod_dense(
            nrow: inner, ncol: samples, nzmax: max(sourceStride * samples, 1), d: sourceStride,
            x: UnsafeMutableRawPointer(source), z: nil, xtype: CHOLMOD_REAL, dtype: CHOLMOD_DOUBLE)
        var y = cholmod_dense(
            nrow: outer, ncol: samples, nzmax: targetStride * samples, d: targetStride,
            x: UnsafeMutableRawPointer(target), z: nil, xtype: CHOLMOD_REAL, dtype: CHOLMOD_DOUBLE)
        var alpha: (Double, Double) = (1, 0)
        var beta: (Double, Double) = (0, 0)
        let ok = try context.call { common in
            withUnsafeMutablePointer(to: &alpha) { a in
                withUnsafeMutablePointer(to: &beta) { b in
                    cholmod_l_sdmult(
                        matrix, transposed ? 1 : 0,
                        UnsafeMutableRawPointer(a).assumingMemoryBound(to: Double.self),
                        UnsafeMutableRawPointer(b).assumingMemoryBound(to: Double.self),
                        &x, &y, common)
                }
            }
        }
        if ok == 0 { throw CholmodError(status: -4, message: "cholmod_l_sdmult failed") }
    }
}

/// Consecutive, non-empty ranges of a compressed-column matrix's columns with about equal numbers
/// of nonzeros: the work of one thread of a parallel product each.
///
/// Boundary b (0 < b < count) is the first column whose entries start at or after ⌊nnz·b/count⌋;
/// boundaries that coincide are merged, so a block is never empty, and the blocks depend only on
/// the matrix and `count`, never on timing.
package struct ColumnBlocks: Sendable {
    /// The first column of each block, then the number of columns.
    package let bounds: [Int]

    /// The blocks of the matrix whose column pointers are `columnStarts` (columns + 1 of them).
    ///
    /// - Parameters:
    ///   - columnStarts: the offsets of every column's entries, the last one nnz.
    ///   - count: the most blocks wanted (at least 1).
    package init(columnStarts: UnsafeBufferPointer<Int>, count: Int) {
        let columns = columnStarts.count - 1
        let total = columns > 0 ? columnStarts[columns] : 0
        let count = max(1, min(count, columns))
        var bounds = [0]
        for b in 1..<max(count, 1) {
            // ⌊total·b/count⌋ without forming total·b.
            let target = (total / count) * b + (total % count) * b / count
            var low = bounds[bounds.count - 1], high = columns
            while low < high {
                let middle = low + (high - low) / 2
                if columnStarts[middle] < target { low = middle + 1 } else { high = middle }
            }
            if low > bounds[bounds.count - 1] && low < columns { bounds.append(low) }
        }
        if columns > 0 { bounds.append(columns) }
        self.bounds = bounds
    }

    /// The number of blocks.
    package var count: Int { bounds.count - 1 }

    /// The columns of block `index`.
    package subscript(index: Int) -> Range<Int> { bounds[index]..<bounds[index + 1] }
}

/// The pointers a parallel product's blocks share: where they read the operand and where they write.
private struct ProductArrays: @unchecked Sendable {
    let source: UnsafeMutablePointer<Double>
    let sourceStride: Int
    let target: UnsafeMutablePointer<Double>
    let targetStride: Int
}

/// A column-major copy of `columns` columns of `rows` numbers with the padded leading dimension
/// (`SparseMatrix.paddedLeadingDimension`); the owner deallocates it.
private struct PaddedColumns {
    let base: UnsafeMutablePointer<Double>
    let stride: Int
    let rows: Int
    let columns: Int

    /// Uninitialised room for the columns.
    init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        stride = SparseMatrix.paddedLeadingDimension(rows)
        base = .allocate(capacity: stride * columns)
    }

    /// A padded copy of the column-major `source` (leading dimension `rows`).
    init(copying source: UnsafePointer<Double>, rows: Int, columns: Int) {
        self.init(rows: rows, columns: columns)
        for column in 0..<columns {
            (base + column * stride).update(from: source + column * rows, count: rows)
        }
    }

    /// Copies the columns, unpadded, to `target` (leading dimension `rows`).
    func copy(to target: UnsafeMutablePointer<Double>) {
        for column in 0..<columns {
            (target + column * rows).update(from: base + column * stride, count: rows)
        }
    }

    func deallocate() { base.deallocate() }
}

/// The partial results of a parallel A·X: one block of `samples` columns of `rows` numbers per block
/// of A's columns, each with the padded leading dimension when it holds several samples (CHOLMOD
/// scatters into it four columns at a time).
private struct PartialResults: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
    let stride: Int
    let rows: Int
    let blocks: Int
    let blockSize: Int

    /// Below this many numbers the partial results are added on the calling thread alone.
    static let parallelSum = 1 << 15

    init(blocks: Int, rows: Int, samples: Int) {
        self.rows = rows
        self.blocks = blocks
        stride = samples == 1 ? rows : SparseMatrix.paddedLeadingDimension(rows)
        blockSize = stride * samples
        base = .allocate(capacity: blocks * blockSize)
    }

    /// Where block `b` writes.
    func block(_ b: Int) -> UnsafeMutablePointer<Double> { base + b * blockSize }

    /// result[s·rows + i] = ((partial₀ + partial₁) + partial₂) + … for the first `samples` columns:
    /// the same order for every entry, whichever thread adds it.
    func add(samples: Int, into result: UnsafeMutablePointer<Double>, threads: Int) {
        let chunks = rows * samples * blocks < Self.parallelSum ? 1 : max(1, min(threads, rows / 1024))
        let target = ProductArrays(source: base, sourceStride: stride, target: result, targetStride: rows)
        let body = { @Sendable (chunk: Int) in
            let first = chunk * rows / chunks, end = (chunk + 1) * rows / chunks
            for sample in 0..<samples {
                let output = target.target + sample * rows
                let input = target.source + sample * stride
                for i in first..<end { output[i] = input[i] }
                for b in 1..<blocks {
                    let partial = input + b * blockSize
                    for i in first..<end { output[i] += partial[i] }
                }
            }
        }
        if chunks == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: body) }
    }

    func deallocate() { base.deallocate() }
}

#if DEBUG
    /// Debug builds only: the number of samples (columns) of every CHOLMOD product call made by a task
    /// that binds `current`, so that tests can see that a batch is one matrix-matrix call (as `run`,
    /// `cases` and the oracle make it) and not a loop of vectors. Calls made on the worker threads of a
    /// parallel product are not seen (they run outside the task); the tests use products small enough
    /// for one thread.
    package final class ProductCallLog: Sendable {
        /// The log of the current task, if it bound one.
        @TaskLocal package static var current: ProductCallLog?

        private let calls = Mutex<[Int]>([])

        /// An empty log.
        package init() {}

        /// The samples of each call, in the order they were made.
        package var samples: [Int] { calls.withLock { $0 } }

        /// Adds one call of `samples` columns.
        func record(_ samples: Int) { calls.withLock { $0.append(samples) } }
    }
#endif
