internal import CSuiteSparse

/// The two CHOLMOD steps that `CholeskyFactor` and `ShiftedNormalFactor` share: forming the upper
/// triangle of AᵀA + λI, and solving with a factor of it.
extension CholmodContext {
    /// The upper triangle (stype = 1) of AᵀA + λI, which the caller frees with `cholmod_l_free_sparse`.
    ///
    /// AᵀA is `cholmod_l_aat` of F = Aᵀ (from `cholmod_l_transpose`); λI is added with `cholmod_l_add`
    /// and `cholmod_l_speye`, which also gives every column a diagonal entry (with λ = 0 too), so that
    /// a later `cholmod_l_factorize_p` can add any β to the diagonal.
    ///
    /// - Parameters:
    ///   - a: the matrix A.
    ///   - shift: λ, added to the diagonal.
    /// - Returns: the upper triangle of AᵀA + λI, n×n for A's n columns.
    /// - Throws: `CholmodError` when CHOLMOD fails or cannot allocate.
    func normalMatrixUpperTriangle(of a: SparseMatrix, shift: Double) throws(CholmodError) -> UnsafeMutablePointer<cholmod_sparse> {
        let n = a.columnCount
        let upper = try call { common -> UnsafeMutablePointer<cholmod_sparse>? in
            var transposed = cholmod_l_transpose(a.storage, 1, common)
            defer { cholmod_l_free_sparse(&transposed, common) }
            var product = cholmod_l_aat(transposed, nil, 0, 1, common)
            defer { cholmod_l_free_sparse(&product, common) }
            var identity = cholmod_l_speye(n, n, CHOLMOD_REAL, common)
            defer { cholmod_l_free_sparse(&identity, common) }
            var one: (Double, Double) = (1, 0)
            var lambda: (Double, Double) = (shift, 0)
            var shifted = withUnsafeMutablePointer(to: &one) { alpha in
                withUnsafeMutablePointer(to: &lambda) { beta in
                    cholmod_l_add(
                        product, identity,
                        UnsafeMutableRawPointer(alpha).assumingMemoryBound(to: Double.self),
                        UnsafeMutableRawPointer(beta).assumingMemoryBound(to: Double.self),
                        1, 1, common)
                }
            }
            defer { cholmod_l_free_sparse(&shifted, common) }
            return cholmod_l_copy(shifted, 1, 1, common)
        }
        guard let upper else { throw .outOfMemory }
        return upper
    }

    /// CHOLMOD's symbolic analysis of the upper triangle `upper` for an L·Lᵀ factorization (`final_ll = 1`,
    /// so that a matrix that is not positive definite is reported rather than factored as L·D·Lᵀ),
    /// refused when the factor would exceed `factorLimit` bytes (`CholeskyFactor.factorBytes`): the fill of
    /// a sparse Cholesky factorization is only known after analysis.
    ///
    /// The corresponding CHOLMOD routine is `cholmod_l_analyze`.
    ///
    /// - Parameters:
    ///   - upper: the upper triangle of a symmetric matrix, as `normalMatrixUpperTriangle` makes it.
    ///   - ordering: the fill-reducing permutation CHOLMOD uses; `.automatic` lets it choose.
    ///   - factorLimit: the most bytes the factor may hold; nil for no limit.
    /// - Returns: the symbolic factor (the caller frees it with `cholmod_l_free_factor`), nnz(L) and the
    ///   flops of the numeric factorization.
    /// - Throws: `CholmodError.overMemoryLimit(needed:limit:)`, or `.outOfMemory`.
    func analyzeNormalMatrix(
        _ upper: UnsafeMutablePointer<cholmod_sparse>, ordering: FillReducingOrdering, factorLimit: Int?
    ) throws(CholmodError) -> (factor: UnsafeMutablePointer<cholmod_factor>, nonzeros: Int, flops: Double) {
        let analyzed = try call { common -> (UnsafeMutablePointer<cholmod_factor>?, Double, Double) in
            common.pointee.final_ll = 1
            if let method = ordering.cholmodOrdering {
                common.pointee.nmethods = 1
                common.pointee.method.0.ordering = method
            }
            let symbolic = cholmod_l_analyze(upper, common)
            return (symbolic, common.pointee.lnz, common.pointee.fl)
        }
        guard let symbolic = analyzed.0 else { throw .outOfMemory }
        if let factorLimit {
            let n = Int(upper.pointee.ncol)
            let upperNonzeros = upper.pointee.p.assumingMemoryBound(to: Int.self)[n]
            let needed = CholeskyFactor.factorBytes(nonzeros: Int(analyzed.1), dimension: n, normalMatrixNonzeros: upperNonzeros)
            if needed > factorLimit {
                var owned: UnsafeMutablePointer<cholmod_factor>? = symbolic
                _ = try? call { common in cholmod_l_free_factor(&owned, common) }
                throw .overMemoryLimit(needed: needed, limit: factorLimit)
            }
        }
        return (symbolic, Int(analyzed.1), analyzed.2)
    }

    /// x = (L·Lᵀ)⁻¹·b in the original order, for every column of `b`.
    ///
    /// The corresponding CHOLMOD routine is `cholmod_l_solve` with `CHOLMOD_A`.
    ///
    /// - Parameters:
    ///   - factor: a numeric factor of order `dimension`.
    ///   - dimension: its order.
    ///   - b: the right-hand sides, one per column, with `dimension` rows.
    /// - Returns: the solutions, one per column of `b`.
    /// - Throws: `CholmodError` when `b` has the wrong number of rows or CHOLMOD cannot allocate the result.
    func solve(with factor: UnsafeMutablePointer<cholmod_factor>, dimension: Int, _ b: DenseMatrix) throws(CholmodError) -> DenseMatrix {
        guard b.rowCount == dimension else {
            throw CholmodError(status: -4, message: "the right-hand side has \(b.rowCount) rows but the factor needs \(dimension)")
        }
        if b.columnCount == 0 { return b }
        var input = b.values
        let values: [Double]? = try input.withUnsafeMutableBufferPointer { (source) throws(CholmodError) -> [Double]? in
            var right = cholmod_dense(
                nrow: dimension, ncol: b.columnCount, nzmax: source.count, d: dimension,
                x: UnsafeMutableRawPointer(source.baseAddress), z: nil, xtype: CHOLMOD_REAL, dtype: CHOLMOD_DOUBLE)
            return try call { common -> [Double]? in
                guard let solution = cholmod_l_solve(CHOLMOD_A, factor, &right, common) else { return nil }
                defer {
                    var owned: UnsafeMutablePointer<cholmod_dense>? = solution
                    cholmod_l_free_dense(&owned, common)
                }
                let count = dimension * b.columnCount
                return Array(UnsafeBufferPointer(start: solution.pointee.x.assumingMemoryBound(to: Double.self), count: count))
            }
        }
        guard let values else { throw .outOfMemory }
        return DenseMatrix(rowCount: dimension, columnCount: b.columnCount, values: values)
    }
}
