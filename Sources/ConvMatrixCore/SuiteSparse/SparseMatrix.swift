internal import CSuiteSparse
import Synchronization

/// A real sparse matrix held by CHOLMOD (`cholmod_sparse`, 64-bit indices,
/// compressed columns, unsymmetric), with the products y = A·x and z = Aᵀ·y.
///
/// The class owns CHOLMOD memory and frees it when the last reference goes.
/// Products with Aᵀ read A's columns as rows; Aᵀ is never formed. The
/// products (SparseMatrix+Products.swift) run on several threads for large
/// matrices.
public final class SparseMatrix: @unchecked Sendable {
    let context: CholmodContext
    let storage: UnsafeMutablePointer<cholmod_sparse>

    /// Rows of the matrix.
    public let rowCount: Int
    /// Columns of the matrix.
    public let columnCount: Int

    /// Aᵀ in CHOLMOD's compressed columns, that is A by rows, once `keepRows()` has made it: the second
    /// orientation that turns A·x into a gather (SparseMatrix+Products.swift).
    let rowsCopy = Mutex<SparseMatrix?>(nil)

    private init(rows: Int, columns: Int, nonzeros: Int, context: CholmodContext) throws(CholmodError) {
        // stype 0: a square C must not be read as symmetric, or products silently go wrong.
        let allocated = try context.call { common in
            cholmod_l_allocate_sparse(rows, columns, max(nonzeros, 1), 1, 1, 0, CHOLMOD_REAL, common)
        }
        guard let allocated else { throw .outOfMemory }
        self.context = context
        self.storage = allocated
        self.rowCount = rows
        self.columnCount = columns
    }

    /// Aᵀ of `matrix`, made by CHOLMOD (`cholmod_l_transpose` with its values): its columns are the
    /// rows of `matrix`, each with its column indices in increasing order.
    ///
    /// The corresponding CHOLMOD routine is `cholmod_l_transpose`.
    package init(transposing matrix: SparseMatrix) throws(CholmodError) {
        let made = try matrix.context.call { common in cholmod_l_transpose(matrix.storage, 1, common) }
        guard let made else { throw .outOfMemory }
        self.context = matrix.context
        self.storage = made
        self.rowCount = matrix.columnCount
        self.columnCount = matrix.rowCount
    }

    deinit {
        var pointer: UnsafeMutablePointer<cholmod_sparse>? = storage
        _ = try? context.call { common in cholmod_l_free_sparse(&pointer, common) }
    }

    /// The numeric convolution matrix C of `kernel`'s geometry, written
    /// straight into CHOLMOD's compressed-column arrays.
    ///
    /// The corresponding CHOLMOD routine is `cholmod_l_allocate_sparse`; in
    /// debug builds the result is checked with `cholmod_l_check_sparse`.
    ///
    /// - Parameter kernel: the weights and geometry of the convolution; its nonzero count sizes CHOLMOD's arrays exactly.
    /// - Throws: `CholmodError.outOfMemory` when CHOLMOD cannot allocate the arrays (the memory guard normally refuses first).
    /// - Complexity: O(nnz(C) + Σ_j i_j·k_j) time; 16·nnz(C) + 8·(columns + 1) bytes for the matrix plus the
    ///   column writer's tables (`MemoryEstimate.building(_:)`).
    public convenience init(convolution kernel: Kernel) throws(CholmodError) {
        let geometry = kernel.geometry
        try self.init(
            rows: geometry.rowCount, columns: geometry.columnCount,
            nonzeros: geometry.nonzeroCount, context: .shared)
        let sparse = storage.pointee
        _ = kernel.values.withUnsafeBufferPointer { weights in
            ColumnWriter(geometry).write(
                columnStarts: sparse.p.assumingMemoryBound(to: Int.self),
                rowIndices: sparse.i.assumingMemoryBound(to: Int.self),
                weightIndices: nil,
                values: sparse.x.assumingMemoryBound(to: Double.self),
                weights: weights.baseAddress)
        }
        #if DEBUG
            try verifyStructure()
        #endif
    }

    /// CHOLMOD's three arrays sized for `geometry`'s C, allocated the way the
    /// builder allocates them but left unwritten: the raw material of the
    /// memory-speed baseline that `convmat bench` times against the build.
    /// Its entries are meaningless until written through `withUnwrittenArrays`.
    package convenience init(unwrittenArraysFor geometry: ConvolutionGeometry) throws(CholmodError) {
        try self.init(
            rows: geometry.rowCount, columns: geometry.columnCount,
            nonzeros: geometry.nonzeroCount, context: .shared)
    }

    /// CHOLMOD's three arrays for a rows × columns matrix with `nonzeros` entries, left unwritten for
    /// `withUnwrittenArrays` (the weight matrix X is written this way, `SparseMatrix(weightMatrix:inputs:)`).
    package convenience init(unwrittenRows rows: Int, columns: Int, nonzeros: Int) throws(CholmodError) {
        try self.init(rows: rows, columns: columns, nonzeros: nonzeros, context: .shared)
    }

    /// Runs `body` with the column pointers (columns + 1), row indices and
    /// values (room for the allocated nonzeros each), for writing them in place.
    package func withUnwrittenArrays<Result>(
        _ body: (
            _ columnStarts: UnsafeMutableBufferPointer<Int>, _ rowIndices: UnsafeMutableBufferPointer<Int>,
            _ values: UnsafeMutableBufferPointer<Double>
        ) throws -> Result
    ) rethrows -> Result {
        let sparse = storage.pointee
        return try body(
            UnsafeMutableBufferPointer(start: sparse.p.assumingMemoryBound(to: Int.self), count: columnCount + 1),
            UnsafeMutableBufferPointer(start: sparse.i.assumingMemoryBound(to: Int.self), count: sparse.nzmax),
            UnsafeMutableBufferPointer(start: sparse.x.assumingMemoryBound(to: Double.self), count: sparse.nzmax))
    }

    /// A matrix from compressed-column arrays: column j holds the entries
    /// `columnStarts[j] ..< columnStarts[j+1]` of `rowIndices` and `values`.
    ///
    /// - Parameters:
    ///   - rowCount: rows of the matrix.
    ///   - columnCount: columns of the matrix.
    ///   - columnStarts: columnCount + 1 offsets, the last equal to the number of entries.
    ///   - rowIndices: the row of each entry, sorted and unique within each column.
    ///   - values: the value of each entry.
    /// - Throws: `CholmodError` with status −4 (invalid) when the arrays do not fit together or CHOLMOD's check
    ///   rejects them, `.outOfMemory` when it cannot allocate.
    /// - Complexity: O(nnz + columns) time and memory: the arrays are copied once and checked once.
    package convenience init(
        rowCount: Int, columnCount: Int, columnStarts: [Int], rowIndices: [Int], values: [Double]
    ) throws(CholmodError) {
        guard columnStarts.count == columnCount + 1, rowIndices.count == values.count,
            columnStarts.last == values.count
        else { throw CholmodError(status: -4, message: "compressed-column arrays do not fit together") }
        try self.init(rows: rowCount, columns: columnCount, nonzeros: values.count, context: .shared)
        let sparse = storage.pointee
        columnStarts.withUnsafeBufferPointer { sparse.p.assumingMemoryBound(to: Int.self).update(from: $0.baseAddress!, count: $0.count) }
        rowIndices.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { sparse.i.assumingMemoryBound(to: Int.self).update(from: base, count: source.count) }
        }
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { sparse.x.assumingMemoryBound(to: Double.self).update(from: base, count: source.count) }
        }
        try verifyStructure()
    }

    /// Checks the stored arrays for consistency (sorted, in range, no duplicates).
    ///
    /// The corresponding CHOLMOD routine is `cholmod_l_check_sparse`.
    ///
    /// - Throws: `CholmodError` with status −4 naming the check when the arrays are inconsistent.
    package func verifyStructure() throws(CholmodError) {
        let ok = try context.call { common in cholmod_l_check_sparse(storage, common) }
        if ok == 0 { throw CholmodError(status: -4, message: "cholmod_l_check_sparse rejected the matrix") }
    }

    /// Stored entries.
    public var nonzeroCount: Int {
        storage.pointee.p.assumingMemoryBound(to: Int.self)[columnCount]
    }

    /// A copy of the compressed-column arrays.
    public var compressedColumns: (columnStarts: [Int], rowIndices: [Int], values: [Double]) {
        let sparse = storage.pointee
        let count = nonzeroCount
        let starts = Array(UnsafeBufferPointer(start: sparse.p.assumingMemoryBound(to: Int.self), count: columnCount + 1))
        let rows = Array(UnsafeBufferPointer(start: sparse.i.assumingMemoryBound(to: Int.self), count: count))
        let values = Array(UnsafeBufferPointer(start: sparse.x.assumingMemoryBound(to: Double.self), count: count))
        return (starts, rows, values)
    }
}
