import ConvMatrixCore

/// Every route that applies to one C, timed, and whether they agree within the stated bounds:
/// what `convmat spectrum --check` prints and the tests assert on random geometries.
///
/// The bounds, relative to σ_max:
/// - σ_max: |Δσ_max| ≤ 10⁻⁹·σ_max (Lanczos stops at a residual of 10⁻¹¹·σ_max², the exact routes
///   are good to about 10⁻¹⁴);
/// - σ_min: |Δ(σ_min²)| ≤ 10⁻¹⁰·σ_max² (Lanczos on (CᵀC + δI)⁻¹ stops at 10⁻¹¹·(σ_min² + δ) with
///   δ = 10⁻¹⁰·‖C‖_F², and the Cholesky solve rounds at about ε·σ_max²: a σ_min near 0 is known only
///   to about 10⁻⁷·σ_max);
/// - fourier against dense: every singular value, |Δσ_i| ≤ 10⁻¹⁰·σ_max.
package struct SpectrumCheck: Sendable {
    /// One route's result and its time in seconds.
    package struct Run: Sendable {
        /// The route's spectrum.
        package let spectrum: Spectrum
        /// Wall-clock seconds, building C included.
        package let seconds: Double
    }

    /// The runs, in the order fourier, dense, iterative (those that apply).
    package let runs: [Run]
    /// The largest |Δσ_max|/σ_max between any two runs.
    package let largestDifference: Double
    /// The largest |Δ(σ_min²)|/σ_max² between any two runs that know σ_min.
    package let smallestDifference: Double
    /// The largest |Δσ_i|/σ_max between the fourier and dense values (0 unless both ran).
    package let valuesDifference: Double

    /// The bound on `largestDifference`.
    package static let largestBound = 1e-9
    /// The bound on `smallestDifference`.
    package static let smallestBound = 1e-10
    /// The bound on `valuesDifference`.
    package static let valuesBound = 1e-10

    /// Whether every difference is within its bound.
    package var agrees: Bool {
        largestDifference <= Self.largestBound && smallestDifference <= Self.smallestBound && valuesDifference <= Self.valuesBound
    }

    /// Runs every route that applies to `kernel`'s C (dense only within its bound).
    ///
    /// - Parameters:
    ///   - kernel: weights and geometry.
    ///   - memoryLimit: bytes allowed for each route.
    ///   - progress: the iterative route's progress lines.
    /// - Throws: the first route's refusal.
    package init(_ kernel: Kernel, memoryLimit: Int?, progress: ((String) -> Void)? = nil) throws(GeometryError) {
        let geometry = kernel.geometry
        var routes = [Spectrum.Route]()
        if Spectrum.fourierApplies(geometry) { routes.append(.fourier) }
        if Spectrum.denseRefusal(geometry) == nil { routes.append(.dense) }
        routes.append(.iterative)
        let clock = ContinuousClock()
        var runs = [Run]()
        for route in routes {
            let start = clock.now
            let spectrum = try Spectrum(kernel, route: route, memoryLimit: memoryLimit, progress: progress)
            let elapsed = clock.now - start
            runs.append(Run(spectrum: spectrum, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
        }
        self.runs = runs
        let scale = runs.map(\.spectrum.sigmaMax).max() ?? 0
        var largest = 0.0, smallest = 0.0, values = 0.0
        if scale > 0 {
            for a in runs {
                for b in runs {
                    largest = max(largest, abs(a.spectrum.sigmaMax - b.spectrum.sigmaMax) / scale)
                    if let x = a.spectrum.sigmaMin, let y = b.spectrum.sigmaMin {
                        smallest = max(smallest, abs(x * x - y * y) / (scale * scale))
                    }
                    if let u = a.spectrum.singularValues, let v = b.spectrum.singularValues, u.count == v.count {
                        for (p, q) in zip(u, v) { values = max(values, abs(p - q) / scale) }
                    }
                }
            }
        }
        (largestDifference, smallestDifference, valuesDifference) = (largest, smallest, values)
    }
}
