import ConvMatrixCore

/// σ_max and σ_min of a C too large for a dense SVD, from products with C and Cᵀ (SuiteSparse)
/// and solves with CHOLMOD's factorization of CᵀC + δI.
///
/// - σ_max² is the largest eigenvalue of the smaller Gram matrix, CᵀC (columns ≤ rows) or CCᵀ:
///   Lanczos iteration on it, three vectors, no reorthogonalisation (which only repeats converged
///   Ritz values and leaves the largest one right).
/// - σ_min², when C has at least as many rows as columns, is the smallest eigenvalue λ of CᵀC:
///   Lanczos on (CᵀC + δI)⁻¹ finds its largest eigenvalue μ = 1/(λ + δ), so λ = 1/μ − δ. The shift
///   δ = 10⁻¹⁰·‖C‖_F² (at least 10⁻¹⁰·σ_max²) keeps the factorization positive definite when C is
///   singular; the factor is made first, so that one too large for the memory limit is refused
///   before any iteration. With fewer rows
///   than columns CᵀC is singular whatever C is, and σ_min (the m-th value) is left unknown.
struct IterativeSpectrum {
    /// ‖C‖₂.
    let sigmaMax: Double
    /// The smallest singular value, or nil for a wide C.
    let sigmaMin: Double?
    /// Lanczos steps for σ_max.
    let largestSteps: Int
    /// Lanczos steps for σ_min.
    let smallestSteps: Int
    /// The largest relative residual bound the two iterations ended with: at most `tolerance` when
    /// both converged, larger when one stopped at `stepLimit` (clustered extreme eigenvalues).
    let residualBound: Double

    /// Relative residual bound at which Lanczos stops: |θ − λ| ≤ 10⁻¹¹·θ.
    static let tolerance = 1e-11
    /// The most Lanczos steps.
    static let stepLimit = 500

    /// Runs both iterations on `kernel`'s C.
    ///
    /// - Parameters:
    ///   - kernel: weights and geometry.
    ///   - memoryLimit: bytes allowed for CHOLMOD's factor (nil: half of physical memory).
    ///   - progress: called with a line now and then.
    /// - Throws: `GeometryError.invalid` on `route` when CHOLMOD fails or its factor would not fit.
    init(_ kernel: Kernel, memoryLimit: Int?, progress: ((String) -> Void)?) throws(GeometryError) {
        let matrix = try runCholmod { () throws(CholmodError) in try SparseMatrix(convolution: kernel) }
        let (m, n) = (matrix.rowCount, matrix.columnCount)
        let tall = n <= m
        // The factor first: its size is known only after CHOLMOD's analysis, and a refusal should
        // come before minutes of iteration. δ = 10⁻¹⁰·‖C‖_F² ≥ 10⁻¹⁰·σ_max², read from C's values.
        let frobenius = matrix.squaredFrobeniusNorm
        let shift = 1e-10 * frobenius
        var factor: CholeskyFactor?
        if tall && frobenius > 0 {
            let limit = memoryLimit ?? MemoryBudget.defaultLimit
            do {
                factor = try CholeskyFactor(
                    normalEquationsOf: matrix, shift: shift, factorLimit: max(0, limit - Spectrum.memoryEstimate(kernel.geometry, route: .iterative).totalBytes)
                )
            } catch  where error.status == CholmodError.overMemoryLimitStatus {
                throw .invalid(
                    field: "max_memory",
                    reason:
                        "is too small for σ_min by iteration: \(error.message); give a larger \(field: "max_memory")\(Spectrum.denseRefusal(kernel.geometry) == nil ? " or use \(field: "route") dense" : "")"
                )
            } catch {
                throw .invalid(field: "route", reason: "failed: \(error.message(spellingFields: { $0 }))")
            }
        }
        let largest = try Self.largestEigenvalue(dimension: min(m, n), name: "σ_max", progress: progress) { v throws(GeometryError) in
            try runCholmod { () throws(CholmodError) in
                let vector = DenseMatrix(column: v)
                return tall
                    ? try matrix.multiplyTransposed(matrix.multiply(vector)).values : try matrix.multiply(matrix.multiplyTransposed(vector)).values
            }
        }
        sigmaMax = largest.value.squareRoot()
        largestSteps = largest.steps
        guard let factor else {
            sigmaMin = tall ? 0 : nil
            smallestSteps = 0
            residualBound = largest.residual
            return
        }
        let inverse = try Self.largestEigenvalue(dimension: n, name: "σ_min", progress: progress) { v throws(GeometryError) in
            try runCholmod { () throws(CholmodError) in try factor.solve(DenseMatrix(column: v)).values }
        }
        sigmaMin = max(0, 1 / inverse.value - shift).squareRoot()
        smallestSteps = inverse.steps
        residualBound = max(largest.residual, inverse.residual)
    }

    /// The largest eigenvalue of a symmetric positive semidefinite operator by Lanczos iteration.
    ///
    /// With v₁ a seeded random unit vector, w = A·v_j − β_{j−1}·v_{j−1}, α_j = w·v_j,
    /// w ← w − α_j·v_j, β_j = ‖w‖, v_{j+1} = w/β_j; the tridiagonal T_j = tridiag(β, α, β) has Ritz
    /// values θ whose largest approaches λ_max, with |θ − λ| ≤ β_j·|s_j| (s_j the last entry of θ's
    /// eigenvector of T_j). Stops when that bound is below `tolerance`·θ, when β_j vanishes (an
    /// invariant subspace: θ is exact), or after `stepLimit` steps.
    ///
    /// - Returns: the largest Ritz value and the steps taken.
    static func largestEigenvalue(
        dimension: Int, name: String, progress: ((String) -> Void)?, apply: ([Double]) throws(GeometryError) -> [Double]
    ) throws(GeometryError) -> (value: Double, steps: Int, residual: Double) {
        guard dimension > 0 else { return (0, 0, 0) }
        var random = SplitMix64(seed: 24)
        var current = (0..<dimension).map { _ in random.signedUnit() }
        let norm = current.reduce(0) { $0 + $1 * $1 }.squareRoot()
        current = current.map { $0 / norm }
        var previous = [Double](repeating: 0, count: dimension)
        var alphas = [Double](), betas = [Double]()
        var beta = 0.0, estimate = 0.0
        var nextCheck = 4
        for step in 1...min(stepLimit, dimension) {
            var w = try apply(current)
            var alpha = 0.0
            for i in 0..<dimension {
                w[i] -= beta * previous[i]
                alpha += w[i] * current[i]
            }
            var squares = 0.0
            for i in 0..<dimension {
                w[i] -= alpha * current[i]
                squares += w[i] * w[i]
            }
            alphas.append(alpha)
            beta = squares.squareRoot()
            let last = step == min(stepLimit, dimension)
            let exhausted = beta <= 1e-14 * max(abs(alpha), estimate, Double.leastNormalMagnitude)
            if step == nextCheck || last || exhausted {
                nextCheck = step + max(4, step / 8)
                let ritz = try Lapack.tridiagonalEigenvalues(diagonal: alphas, offDiagonal: betas)
                estimate = ritz.values.last ?? 0
                let bound = beta * abs(ritz.lastComponents.last ?? 0)
                if exhausted || bound <= tolerance * estimate || last { return (estimate, step, exhausted || estimate == 0 ? 0 : bound / estimate) }
                if step >= 40 { progress?("\(name): Lanczos step \(step), relative residual bound \(formatNumber(bound / estimate)) (stops below 1e-11)") }
            }
            betas.append(beta)
            previous = current
            current = w.map { $0 / beta }
        }
        return (estimate, min(stepLimit, dimension), .infinity)
    }
}
