internal import CSuiteSparse
#if canImport(Glibc)
    import Glibc
#endif

/// The sparse Cholesky factorization of the regularized normal matrix of A:
///
///     L·Lᵀ = P·(AᵀA + λI)·Pᵀ,
///
/// with P the fill-reducing permutation chosen at analysis. It solves the
/// Tikhonov (ridge) least-squares problem min ‖A·x − b‖² + λ‖x‖², whose
/// solution is x = (AᵀA + λI)⁻¹·Aᵀb, for many right-hand sides at once.
///
/// AᵀA is formed explicitly: CHOLMOD's `cholmod_l_aat` computes F·Fᵀ, so it
/// is called with F = Aᵀ (from `cholmod_l_transpose`). λI is added with
/// `cholmod_l_add` and `cholmod_l_speye`, which also gives every column a
/// diagonal entry; the upper triangle (stype = 1) is then analyzed
/// (`cholmod_l_analyze`) and factorized (`cholmod_l_factorize`) with
/// `final_ll = 1`, so the result is L·Lᵀ and a matrix that is not positive
/// definite is an error rather than a silent L·D·Lᵀ. AᵀA + λI is positive
/// definite exactly when λ > 0 or A has full column rank.
///
/// The class owns the CHOLMOD factor and its own CHOLMOD workspace, and frees
/// both when the last reference goes.
public final class CholeskyFactor: @unchecked Sendable {
    private let context: CholmodContext
    private let factor: UnsafeMutablePointer<cholmod_factor>

    /// Order n of AᵀA + λI (the number of columns of A).
    package let dimension: Int
    /// The shift λ added to the diagonal.
    package let shift: Double
    /// Entries stored for the upper triangle of AᵀA + λI, diagonal included.
    package let normalMatrixNonzeros: Int
    /// nnz(L): entries of the Cholesky factor, as counted by CHOLMOD's analysis (`cholmod_common.lnz`).
    public let factorNonzeros: Int
    /// Floating-point operations of the numeric factorization (`cholmod_common.fl`).
    package let factorizationFlops: Double
    /// The permutation CHOLMOD used; never `.automatic`.
    package let ordering: FillReducingOrdering
    /// The ordering that was asked for (`.automatic`: CHOLMOD chose).
    package let requestedOrdering: FillReducingOrdering
    /// Whether CHOLMOD chose the supernodal method (dense blocks through BLAS) over the simplicial one.
    package let isSupernodal: Bool
    /// Seconds spent forming AᵀA + λI (transpose, product, shift, upper triangle).
    package let formingSeconds: Double
    /// Seconds spent in the symbolic analysis (ordering and elimination tree).
    package let analysisSeconds: Double
    /// Seconds spent in the numeric factorization (wall clock).
    package let factorizationSeconds: Double
    /// Processor seconds of the numeric factorization, summed over threads: on a
    /// shared machine this is the cost on one core, unlike the wall-clock time.
    package let factorizationProcessorSeconds: Double

    /// Factorizes AᵀA + λI for the matrix `a` and a shift `shift` ≥ 0.
    ///
    /// Throws `CholmodError.notPositiveDefinite` (naming the failing column
    /// of the permuted matrix) when λ = 0 and A is rank-deficient, and
    /// `CholmodError.invalid` for a negative or non-finite λ.
    ///
    /// With `factorLimit`, the symbolic analysis's count of L's nonzeros is
    /// turned into bytes (`factorBytes(nonzeros:dimension:)`) before the
    /// numeric factorization starts, and a factor larger than the limit is
    /// refused with `CholmodError.overMemoryLimit(needed:limit:)`: the fill
    /// of a sparse Cholesky factorization is only known after analysis.
    ///
    /// - Parameters:
    ///   - a: the matrix A (for deconvolution, the convolution matrix C).
    ///   - shift: λ ≥ 0, the Tikhonov regularisation added to the diagonal.
    ///   - ordering: the fill-reducing permutation CHOLMOD uses; `.automatic` lets it choose.
    ///   - factorLimit: the most bytes the factor may hold; nil for no limit.
    /// - Throws: `CholmodError` as described above, and `CholmodError.outOfMemory` when CHOLMOD cannot allocate.
    /// - Complexity: forming AᵀA = Σ_r a_r·a_rᵀ over the rows a_r of A costs O(Σ_r nnz(a_r)²) time; the
    ///   factorization depends on the fill, O(nnz(L)) memory and roughly O(Σ_j (column count of L_j)²) time — for
    ///   a 2-D image with nested dissection about O(n^1.5) time and O(n log n) memory in the number of pixels n.
    public init(
        normalEquationsOf a: SparseMatrix, shift: Double, ordering: FillReducingOrdering = .automatic, factorLimit: Int? = nil
    ) throws(CholmodError) {
        guard shift.isFinite, shift >= 0 else {
            throw CholmodError(status: -4, message: "the shift λ = \(shift) must be a finite number ≥ 0")
        }
        let context = CholmodContext()
        let clock = ContinuousClock()
        let n = a.columnCount

        let formingStart = clock.now
        let upper = try context.normalMatrixUpperTriangle(of: a, shift: shift)
        defer {
            var owned: UnsafeMutablePointer<cholmod_sparse>? = upper
            _ = try? context.call { common in cholmod_l_free_sparse(&owned, common) }
        }
        let formingEnd = clock.now

        let analyzed = try context.analyzeNormalMatrix(upper, ordering: ordering, factorLimit: factorLimit)
        let symbolic = analyzed.factor
        let analysisEnd = clock.now

        let processorStart = processorSeconds()
        do throws(CholmodError) {
            _ = try context.call(warningsAreErrors: true) { common in cholmod_l_factorize(upper, symbolic, common) }
        } catch {
            let column = symbolic.pointee.minor
            var owned: UnsafeMutablePointer<cholmod_factor>? = symbolic
            _ = try? context.call { common in cholmod_l_free_factor(&owned, common) }
            if error.status == CholmodError.notPositiveDefinite.status {
                throw CholmodError(
                    status: error.status,
                    message:
                        "AᵀA + λI is not positive definite in floating point: the Cholesky factorization broke down at column \(column) of the permuted matrix")
            }
            throw error
        }
        let factorizationEnd = clock.now
        let processorEnd = processorSeconds()

        self.context = context
        self.factor = symbolic
        self.dimension = n
        self.shift = shift
        self.normalMatrixNonzeros = upper.pointee.p.assumingMemoryBound(to: Int.self)[n]
        self.factorNonzeros = analyzed.nonzeros
        self.factorizationFlops = analyzed.flops
        self.ordering = FillReducingOrdering(reported: symbolic.pointee.ordering)
        self.requestedOrdering = ordering
        self.isSupernodal = symbolic.pointee.is_super != 0
        self.formingSeconds = seconds(formingEnd - formingStart)
        self.analysisSeconds = seconds(analysisEnd - formingEnd)
        self.factorizationSeconds = seconds(factorizationEnd - analysisEnd)
        self.factorizationProcessorSeconds = processorEnd - processorStart
    }

    deinit {
        var pointer: UnsafeMutablePointer<cholmod_factor>? = factor
        _ = try? context.call { common in cholmod_l_free_factor(&pointer, common) }
    }

    /// The bytes the numeric factorization holds: the upper triangle of
    /// AᵀA + λI (16 per stored entry) and a factor with `nonzeros` entries in
    /// L — 8 per value and about as much again for CHOLMOD's index arrays and
    /// the BLAS workspace (measured 12–15 bytes per entry on 2-D blurs:
    /// 128×128 and 256×256 with a 5×5 kernel, 64×64 with 16 channels) — and
    /// 64 per column.
    ///
    /// - Parameters:
    ///   - nonzeros: the entries of L from the symbolic analysis.
    ///   - dimension: n, the order of AᵀA + λI.
    ///   - normalMatrixNonzeros: the stored entries of the upper triangle of AᵀA + λI.
    /// - Returns: the estimated peak bytes, saturating instead of overflowing.
    package static func factorBytes(nonzeros: Int, dimension: Int, normalMatrixNonzeros: Int) -> Int {
        Checked.saturating { () throws(GeometryError) in
            try Checked.sum(
                [
                    try Checked.multiply(16, nonzeros, "factor"), try Checked.multiply(16, normalMatrixNonzeros, "factor"),
                    try Checked.multiply(64, dimension, "factor"),
                ], "factor")
        }
    }

    /// x = (AᵀA + λI)⁻¹·b for every column of `b`, by the two triangular
    /// solves with L and Lᵀ and the permutations P, Pᵀ.
    ///
    /// The corresponding CHOLMOD routine is `cholmod_l_solve` with `CHOLMOD_A`.
    ///
    /// - Parameter b: the right-hand sides, one per column, with n rows (A's column count).
    /// - Returns: the solutions, one per column of `b`.
    /// - Throws: `CholmodError` when `b` has the wrong number of rows or CHOLMOD cannot allocate the result.
    /// - Complexity: O(nnz(L) · columns of b) time, O(n · columns of b) memory.
    public func solve(_ b: DenseMatrix) throws(CholmodError) -> DenseMatrix {
        try context.solve(with: factor, dimension: dimension, b)
    }

    /// A cheap estimate of the reciprocal condition number of AᵀA + λI:
    /// (min Lᵢᵢ / max Lᵢᵢ)². Near machine epsilon (2.2·10⁻¹⁶) the solution
    /// has lost all its digits.
    ///
    /// The corresponding CHOLMOD routine is `cholmod_l_rcond`.
    package var reciprocalConditionEstimate: Double {
        (try? context.call { common in cholmod_l_rcond(factor, common) }) ?? 0
    }
}

/// A duration in seconds.
private func seconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
}

/// Processor time used by this process so far, in seconds (`CLOCK_PROCESS_CPUTIME_ID`).
package func processorSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}
