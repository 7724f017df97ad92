internal import CSuiteSparse

/// The Cholesky factorization L·Lᵀ = P·(±AᵀA − τI)·Pᵀ for a shift τ of either sign, factorized again for
/// one τ after another on a single symbolic analysis: what shift-and-invert iteration for the smallest
/// eigenvalue λ_min of AᵀA needs (the spectrum's iterative route).
///
/// AᵀA − τI is positive definite exactly when τ < λ_min, so whether the factorization succeeds says on
/// which side of λ_min the shift lies, up to the rounding of the factorization (about n·ε·‖AᵀA‖₂).
/// AᵀA is formed once (`cholmod_l_aat` of Aᵀ) with an explicit diagonal, analysed once
/// (`cholmod_l_analyze`), and each shift is a numeric factorization only.
///
/// The corresponding CHOLMOD routine is `cholmod_l_factorize_p`, with β = −τ.
package final class ShiftedNormalFactor {
    private let context: CholmodContext
    private let upper: UnsafeMutablePointer<cholmod_sparse>
    private let factor: UnsafeMutablePointer<cholmod_factor>

    /// Order n of AᵀA (the number of columns of A).
    package let dimension: Int
    /// nnz(L), as counted by CHOLMOD's analysis.
    package let factorNonzeros: Int
    /// Floating-point operations of one numeric factorization (`cholmod_common.fl`).
    package let factorizationFlops: Double
    /// The shift τ of the last factorization that succeeded; nil before one has, or after one failed.
    package private(set) var shift: Double?

    /// Forms and analyses AᵀA for `a`; no numeric factorization yet (`factorize(subtracting:)` does that).
    ///
    /// - Parameters:
    ///   - a: the matrix A (for C·Cᵀ, pass Cᵀ).
    ///   - factorLimit: the most bytes the factor and AᵀA may hold (`CholeskyFactor.factorBytes`); nil for no limit.
    /// - Throws: `CholmodError.overMemoryLimit(needed:limit:)` after the analysis when the factor would
    ///   not fit, `.outOfMemory` when CHOLMOD cannot allocate.
    package init(normalMatrixOf a: SparseMatrix, factorLimit: Int?) throws(CholmodError) {
        let context = CholmodContext()
        let upper = try context.normalMatrixUpperTriangle(of: a, shift: 0)
        let analyzed: (factor: UnsafeMutablePointer<cholmod_factor>, nonzeros: Int, flops: Double)
        do {
            analyzed = try context.analyzeNormalMatrix(upper, ordering: .automatic, factorLimit: factorLimit)
        } catch {
            var owned: UnsafeMutablePointer<cholmod_sparse>? = upper
            _ = try? context.call { common in cholmod_l_free_sparse(&owned, common) }
            throw error
        }
        self.context = context
        self.upper = upper
        self.factor = analyzed.factor
        self.dimension = a.columnCount
        self.factorNonzeros = analyzed.nonzeros
        self.factorizationFlops = analyzed.flops
    }

    /// About how many solves (4·nnz(L) flops each: two triangular solves) cost as much as one factorization.
    package var solvesPerFactorization: Int {
        let ratio = factorizationFlops / Double(max(1, 4 * factorNonzeros))
        return ratio.isFinite ? Int(min(ratio.rounded(.up), 1e9)) : 0
    }

    deinit {
        var ownedFactor: UnsafeMutablePointer<cholmod_factor>? = factor
        var ownedUpper: UnsafeMutablePointer<cholmod_sparse>? = upper
        _ = try? context.call { common in
            cholmod_l_free_factor(&ownedFactor, common)
            cholmod_l_free_sparse(&ownedUpper, common)
        }
    }

    /// Whether the stored matrix is −AᵀA (its values negated in place: the analysis holds for both).
    package private(set) var negated = false

    /// Factorizes M − τI with M = AᵀA, or M = −AᵀA when `negated` (whose smallest eigenvalue is
    /// −λ_max(AᵀA): shift-and-invert for the largest one), replacing the previous numeric factor.
    ///
    /// - Parameters:
    ///   - shift: τ, any finite number.
    ///   - negated: whether M is −AᵀA.
    /// - Returns: true when the factorization succeeded (M − τI is positive definite in floating point),
    ///   false when it broke down (τ ≥ λ_min(M) up to rounding); after false, `solve` refuses until a later
    ///   factorization succeeds.
    /// - Throws: `CholmodError` when τ is not finite, or CHOLMOD fails otherwise (out of memory).
    package func factorize(subtracting shift: Double, negated: Bool = false) throws(CholmodError) -> Bool {
        guard shift.isFinite else { throw CholmodError(status: -4, message: "the shift τ = \(shift) must be a finite number") }
        self.shift = nil
        if negated != self.negated {
            let count = upper.pointee.p.assumingMemoryBound(to: Int.self)[dimension]
            let values = upper.pointee.x.assumingMemoryBound(to: Double.self)
            for entry in 0..<count { values[entry] = -values[entry] }
            self.negated = negated
        }
        var beta: (Double, Double) = (-shift, 0)
        do throws(CholmodError) {
            _ = try context.call(warningsAreErrors: true) { common in
                withUnsafeMutablePointer(to: &beta) { pointer in
                    cholmod_l_factorize_p(upper, UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: Double.self), nil, 0, factor, common)
                }
            }
        } catch  where error.status == CholmodError.notPositiveDefinite.status {
            return false
        }
        self.shift = shift
        return true
    }

    /// x = (M − τI)⁻¹·b with the last successful factorization's M and τ.
    ///
    /// The corresponding CHOLMOD routine is `cholmod_l_solve` with `CHOLMOD_A`.
    ///
    /// - Parameter b: a vector of `dimension` entries.
    /// - Returns: the solution.
    /// - Throws: `CholmodError.invalid` when no factorization has succeeded, or `b` has the wrong length.
    package func solve(_ b: [Double]) throws(CholmodError) -> [Double] {
        guard shift != nil else { throw CholmodError(status: -4, message: "AᵀA − τI has no valid factor: the last factorization broke down") }
        return try context.solve(with: factor, dimension: dimension, DenseMatrix(column: b)).values
    }
}
