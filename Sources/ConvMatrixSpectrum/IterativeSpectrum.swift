import ConvMatrixCore

/// σ_max and σ_min of a C too large for a dense SVD, from products with C and Cᵀ (SuiteSparse)
/// and solves with CHOLMOD's factorization of the smaller Gram matrix G (CᵀC when C has at least as
/// many rows as columns, CCᵀ otherwise), whose eigenvalues are the min(rows, columns) values σ².
///
/// - σ_max² is the largest eigenvalue of G: Lanczos iteration on it with SuiteSparse's products,
///   three vectors, no reorthogonalisation (which only repeats converged Ritz values and leaves the
///   largest one right). When the largest values cluster (a long 1-D C with zero padding) and it has
///   not converged after twice `restartSteps`, it goes on by shift-and-invert as below, on −G, whose
///   smallest eigenvalue is −λ_max, from a shift just beyond the Ritz value.
/// - σ_min² = λ_min(G) by shift-and-invert Lanczos: Lanczos on (G − τI)⁻¹ finds its largest
///   eigenvalue μ = 1/(λ_min − τ), so λ_min = τ + 1/μ. The first shift is τ = −δ with
///   δ = 10⁻¹⁰·‖C‖_F² (at least 10⁻¹⁰·σ_max²), which keeps G − τI positive definite when C is
///   singular. The factor is analysed first, so that one too large for the memory limit is refused
///   before any iteration.
/// - When the extreme eigenvalues of G cluster (a 1-D circular C of 1 024 columns has σ's that
///   differ by 10⁻⁶ at the bottom), Lanczos on (G + δI)⁻¹ converges slowly: its top eigenvalues are
///   as close together, relative to the rest, as G's bottom ones. So after `restartSteps` steps
///   without convergence the iteration starts again with τ moved just below the estimate of
///   λ_min, τ = λ − 2·(λ − λ_low) (λ_low from the residual bound): the eigenvalues 1/(λ − τ) of the
///   new operator are far apart, and the error on λ is the relative residual times λ_min − τ,
///   which is small. G − τI is positive definite exactly when τ < λ_min: CHOLMOD's factorization
///   (on the same analysis) says whether it is, and a shift that fails is moved back down.
struct IterativeSpectrum {
    /// ‖C‖₂.
    let sigmaMax: Double
    /// The smallest of the min(rows, columns) singular values.
    let sigmaMin: Double
    /// Lanczos steps for σ_max.
    let largestSteps: Int
    /// Lanczos steps for σ_min, over all shifts.
    let smallestSteps: Int
    /// Numeric factorizations of G − τI made for σ_min (1 when the first shift sufficed; failed ones included).
    let factorizations: Int
    /// The largest relative error bound the two iterations ended with: at most `tolerance` when both
    /// converged, larger when one stopped at its step limit.
    let residualBound: Double

    /// Relative error bound at which Lanczos stops: |θ − λ| ≤ 10⁻¹¹·θ for σ_max², and
    /// |λ − λ_min| ≤ 10⁻¹¹·(λ_min + δ) for σ_min².
    static let tolerance = 1e-11
    /// The most Lanczos steps of one run (σ_max, or σ_min with one shift).
    static let stepLimit = 500
    /// The most shifts for σ_min.
    static let shiftLimit = 8
    /// Lanczos steps with one shift before moving it, at least: a factorization costs about as much as
    /// `factorizationFlops / (4·nnz(L))` steps, and the shift moves after whichever is larger.
    static let restartSteps = 60

    /// Runs both iterations on `kernel`'s C.
    ///
    /// - Parameters:
    ///   - kernel: weights and geometry.
    ///   - memoryLimit: bytes allowed for CHOLMOD's factor (nil: half of physical memory).
    ///   - progress: called with a line now and then.
    /// - Throws: `GeometryError.invalid` on `route` when CHOLMOD fails, on `max_memory` when its factor would not fit.
    init(_ kernel: Kernel, memoryLimit: Int?, progress: ((String) -> Void)?) throws(GeometryError) {
        let matrix = try runCholmod { () throws(CholmodError) in try SparseMatrix(convolution: kernel) }
        let (m, n) = (matrix.rowCount, matrix.columnCount)
        let tall = n <= m
        // The factor first: its size is known only after CHOLMOD's analysis, and a refusal should
        // come before minutes of iteration. δ = 10⁻¹⁰·‖C‖_F² ≥ 10⁻¹⁰·σ_max², read from C's values.
        let frobenius = matrix.squaredFrobeniusNorm
        var factor: ShiftedNormalFactor?
        if frobenius > 0 {
            let limit = memoryLimit ?? MemoryBudget.defaultLimit
            do {
                let operand = tall ? matrix : try SparseMatrix(transposing: matrix)
                factor = try ShiftedNormalFactor(
                    normalMatrixOf: operand,
                    factorLimit: max(0, limit - Spectrum.memoryEstimate(kernel.geometry, route: .iterative).totalBytes))
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
        let restart = max(Self.restartSteps, factor?.solvesPerFactorization ?? 0)
        // σ_max²: Lanczos on G with products, which are cheaper than solves; when the largest values
        // cluster it goes on by shift-and-invert on −G, whose smallest eigenvalue is −λ_max.
        let largest = try Self.lanczos(
            dimension: min(m, n), name: "σ_max", stepLimit: factor == nil ? Self.stepLimit : min(Self.stepLimit, 2 * restart), progress: progress
        ) { v throws(GeometryError) in
            try runCholmod { () throws(CholmodError) in
                let vector = DenseMatrix(column: v)
                return tall
                    ? try matrix.multiplyTransposed(matrix.multiply(vector)).values : try matrix.multiply(matrix.multiplyTransposed(vector)).values
            }
        } converged: { run in
            run.residual <= Self.tolerance * run.value
        }
        let largestBound = largest.exhausted || largest.value == 0 ? 0 : largest.residual / largest.value
        guard let factor else {
            (sigmaMax, sigmaMin, largestSteps, smallestSteps, factorizations, residualBound) = (
                largest.value.squareRoot(), 0, largest.steps, 0, 0, largestBound
            )
            return
        }
        var maximum = (value: largest.value, steps: largest.steps, factorizations: 0, relativeBound: largestBound)
        if largestBound > Self.tolerance {
            // −G − τI is positive definite for τ < −λ_max: start a little beyond the Ritz value,
            // which lies below λ_max, by twice its residual bound.
            let margin = max(2 * largest.residual, 1e-9 * largest.value)
            let top = try Self.extremeEigenvalue(
                of: factor, negated: true, name: "σ_max", firstShift: -(largest.value + margin), floor: largest.value, scale: largest.value,
                restartSteps: restart, progress: progress)
            if top.relativeBound < largestBound {
                maximum = (-top.value, largest.steps + top.steps, top.factorizations, top.relativeBound)
            } else {
                maximum.steps += top.steps
                maximum.factorizations = top.factorizations
            }
        }
        let delta = 1e-10 * frobenius
        let smallest = try Self.extremeEigenvalue(
            of: factor, negated: false, name: "σ_min", firstShift: -delta, floor: delta, scale: maximum.value, restartSteps: restart, progress: progress)
        sigmaMax = maximum.value.squareRoot()
        sigmaMin = max(0, smallest.value).squareRoot()
        largestSteps = maximum.steps
        smallestSteps = smallest.steps
        factorizations = maximum.factorizations + smallest.factorizations
        residualBound = max(maximum.relativeBound, smallest.relativeBound)
    }

    /// λ_min(M), M = G or −G (`negated`: then it is −λ_max(G)), by shift-and-invert Lanczos with shifts
    /// that move towards it (see the type's comment).
    ///
    /// With the operator (M − τI)⁻¹, a Ritz value θ and its residual bound r (some eigenvalue μ of the
    /// operator has |μ − θ| ≤ r), the estimate is λ = τ + 1/θ and |λ − (τ + 1/μ)| ≤ r/((θ − r)·θ) for
    /// r < θ: the absolute error bound. It stops when that is at most `tolerance`·max(|λ|, floor).
    ///
    /// - Parameters:
    ///   - factor: G analysed.
    ///   - negated: whether M is −G.
    ///   - name: "σ_max" or "σ_min", for the progress lines.
    ///   - firstShift: the first τ, below λ_min(M): moved down (the distance to `floor`… doubled) until
    ///     M − τI factorizes.
    ///   - floor: the scale below which |λ| counts as 0 for the relative bound (δ for σ_min).
    ///   - scale: λ_max(G), for the closest a shift may come to the estimate (10⁻¹²·λ_max: the
    ///     factorization's rounding).
    ///   - restartSteps: steps with one shift before moving it.
    ///   - progress: called now and then.
    /// - Returns: the estimate of λ_min(M), the steps over all shifts, the factorizations, and the
    ///   final bound relative to max(|λ|, floor).
    /// - Throws: `GeometryError.invalid` on `route` when CHOLMOD fails.
    static func extremeEigenvalue(
        of factor: ShiftedNormalFactor, negated: Bool, name: String, firstShift: Double, floor: Double, scale: Double, restartSteps: Int,
        progress: ((String) -> Void)?
    ) throws(GeometryError) -> (value: Double, steps: Int, factorizations: Int, relativeBound: Double) {
        var shift = firstShift
        var factorizations = 0
        var distance = 1e-9 * scale
        while true {
            factorizations += 1
            if try runCholmod({ () throws(CholmodError) in try factor.factorize(subtracting: shift, negated: negated) }) { break }
            guard factorizations < 40 else {
                throw .invalid(field: "route", reason: "failed: CHOLMOD's factorization of the shifted Gram matrix broke down in floating point")
            }
            distance *= 4
            shift = firstShift - distance
        }
        var steps = 0
        var best = (value: Double.infinity, relativeBound: Double.infinity)
        for round in 1...shiftLimit {
            let tolerance = Self.tolerance
            let currentShift = shift
            let last = round == shiftLimit
            let run = try lanczos(
                dimension: factor.dimension, name: round == 1 ? name : "\(name) (shift \(round))", stepLimit: last ? stepLimit : min(stepLimit, restartSteps),
                progress: progress
            ) { v throws(GeometryError) in
                try runCholmod { () throws(CholmodError) in try factor.solve(v) }
            } converged: { run in
                errorBound(run) <= tolerance * max(abs(currentShift + 1 / run.value), floor)
            }
            steps += run.steps
            guard run.value > 0 else { break }
            // A Ritz value below −r means M − τI is indefinite although its factorization succeeded
            // (τ within rounding of λ_min): this run's estimate is not of λ_min.
            if run.smallestValue < -run.residual { break }
            let value = shift + 1 / run.value
            let bound = run.exhausted ? 0 : errorBound(run)
            let relative = bound / max(abs(value), floor)
            if relative < best.relativeBound || (relative == best.relativeBound && value < best.value) { best = (value, relative) }
            if relative <= tolerance || last { break }
            // λ_min lies below `value` and, by the residual bound, most likely above `low`.
            let low = run.residual < run.value ? shift + 1 / (run.value + run.residual) : shift
            var candidate = min(value - 2 * (value - low), value - 1e-12 * scale)
            var moved = false
            while candidate > shift && !moved {
                factorizations += 1
                if try runCholmod({ () throws(CholmodError) in try factor.factorize(subtracting: candidate, negated: negated) }) {
                    moved = true
                } else {
                    candidate = shift + (candidate - shift) / 4
                }
            }
            if !moved {
                // No shift between the last good one and the estimate factorizes: stop with what is known.
                factorizations += 1
                _ = try runCholmod { () throws(CholmodError) in try factor.factorize(subtracting: shift, negated: negated) }
                break
            }
            progress?(
                "\(name): shift-and-invert Lanczos stalled at relative bound \(formatNumber(relative)) after \(run.steps) steps (clustered extreme values); again with the shift \(formatNumber(abs(candidate))), just \(negated ? "above" : "below") the estimate \(formatNumber(abs(value)))"
            )
            shift = candidate
        }
        guard best.value.isFinite else {
            throw .invalid(field: "route", reason: "failed: Lanczos on the inverse of CHOLMOD's factor found no positive eigenvalue")
        }
        return (best.value, steps, factorizations, best.relativeBound)
    }

    /// r/((θ − r)·θ): how far λ = τ + 1/θ may be from the eigenvalue τ + 1/μ that the residual bound
    /// r places within r of θ (infinite when r ≥ θ).
    static func errorBound(_ run: LanczosRun) -> Double {
        run.residual < run.value ? run.residual / ((run.value - run.residual) * run.value) : .infinity
    }

    /// What one Lanczos run ends with.
    struct LanczosRun {
        /// The largest Ritz value θ.
        var value: Double
        /// The smallest Ritz value (negative only for an indefinite operator).
        var smallestValue: Double
        /// The residual bound β_j·|s_j| of θ: some eigenvalue lies within it.
        var residual: Double
        /// Steps taken.
        var steps: Int
        /// Whether β_j vanished (an invariant subspace: θ is exact).
        var exhausted: Bool
    }

    /// The largest eigenvalue of a symmetric operator by Lanczos iteration.
    ///
    /// With v₁ a seeded random unit vector, w = A·v_j − β_{j−1}·v_{j−1}, α_j = w·v_j,
    /// w ← w − α_j·v_j, β_j = ‖w‖, v_{j+1} = w/β_j; the tridiagonal T_j = tridiag(β, α, β) has Ritz
    /// values θ whose largest approaches λ_max, with |θ − λ| ≤ β_j·|s_j| for some eigenvalue λ (s_j the
    /// last entry of θ's eigenvector of T_j). Stops when `converged` says so, when β_j vanishes, or
    /// after `stepLimit` steps.
    ///
    /// - Returns: the last run's Ritz values, residual bound and steps.
    static func lanczos(
        dimension: Int, name: String, stepLimit: Int, progress: ((String) -> Void)?, apply: ([Double]) throws(GeometryError) -> [Double],
        converged: (LanczosRun) -> Bool
    ) throws(GeometryError) -> LanczosRun {
        guard dimension > 0 else { return LanczosRun(value: 0, smallestValue: 0, residual: 0, steps: 0, exhausted: true) }
        var random = SplitMix64(seed: 24)
        var current = (0..<dimension).map { _ in random.signedUnit() }
        let norm = current.reduce(0) { $0 + $1 * $1 }.squareRoot()
        current = current.map { $0 / norm }
        var previous = [Double](repeating: 0, count: dimension)
        var alphas = [Double](), betas = [Double]()
        var beta = 0.0
        var run = LanczosRun(value: 0, smallestValue: 0, residual: .infinity, steps: 0, exhausted: false)
        var nextCheck = 4
        let limit = min(stepLimit, dimension)
        for step in 1...limit {
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
            let last = step == limit
            let exhausted = beta <= 1e-14 * max(abs(alpha), run.value, Double.leastNormalMagnitude)
            if step == nextCheck || last || exhausted {
                nextCheck = step + max(4, step / 8)
                let ritz = try Lapack.tridiagonalEigenvalues(diagonal: alphas, offDiagonal: betas)
                run = LanczosRun(
                    value: ritz.values.last ?? 0, smallestValue: ritz.values.first ?? 0, residual: beta * abs(ritz.lastComponents.last ?? 0), steps: step,
                    exhausted: exhausted)
                if exhausted || last || converged(run) { return run }
                if step >= 40 {
                    progress?("\(name): Lanczos step \(step), relative residual bound \(formatNumber(run.residual / run.value))")
                }
            }
            betas.append(beta)
            previous = current
            current = w.map { $0 / beta }
        }
        return run
    }
}
