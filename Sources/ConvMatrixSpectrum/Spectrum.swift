import ConvMatrixCore

/// The singular values of a convolution's matrix C (y = C·x): σ_max = ‖C‖₂, the largest
/// factor by which C stretches an input (the layer's Lipschitz constant), σ_min, the smallest,
/// and with them the condition number σ_max/σ_min that says how hard deconvolution is.
///
/// Write C = UΣVᵀ. The transposed convolution Cᵀ = VΣUᵀ multiplies each direction by σ a second
/// time, so Cᵀ(C·x) scales the direction of v_i by σ_i²; the pseudo-inverse C⁺ = VΣ⁺Uᵀ divides by
/// σ_i instead and gives x back wherever σ_i > 0. Cᵀ undoes C only when every σ_i is 1.
///
/// Three routes compute the values (docs/spectrum.md):
/// - **fourier**, exact, where C is (block) circulant: circular padding (or none) at stride 1
///   with an output as large as the input. The DFT diagonalises C, and its singular values are
///   those of the C_out×C_in matrices A(f) = Σ_t w[·,·,t]·e^{2πi f·(dilation·t)/n}, one per
///   frequency f (Sedghi, Gupta & Long, *The Singular Values of Convolutional Layers*, ICLR 2019);
///   with groups, A(f) is block diagonal and each block is taken alone. LAPACK's `zgesvd`.
/// - **dense**, exact, for small C: LAPACK's `dgesdd` on C written out densely, when
///   min(rows, columns) ≤ 4 096 and rows·columns ≤ 2²⁶ (512 MiB of doubles).
/// - **iterative**, for any size: Lanczos on the smaller Gram matrix G (CᵀC, or CCᵀ for a C with
///   fewer rows than columns) with SuiteSparse's products for σ_max², and shift-and-invert Lanczos on
///   (G − τI)⁻¹, applied with CHOLMOD's factorization, for σ_min², the shift τ moving just below the
///   estimate when the smallest values cluster. Relative error bound 10⁻¹¹.
public struct Spectrum: Hashable, Sendable {
    /// How the values were computed.
    package enum Route: String, Hashable, Sendable, CaseIterable {
        /// Exactly, through the DFT (circulant C only).
        case fourier
        /// Exactly, by LAPACK's dense SVD (small C only).
        case dense
        /// By Lanczos iteration with SuiteSparse's products and CHOLMOD's factorization.
        case iterative
    }

    /// ‖C‖₂, the largest singular value (0 for a zero kernel).
    public let sigmaMax: Double
    /// The smallest of the min(rows, columns) singular values. Every route computes it; it is
    /// optional because the first iterative route left it unknown for a C with fewer rows than columns.
    public let sigmaMin: Double?
    /// All min(rows, columns) singular values in descending order, when the route computes them
    /// all (fourier and dense); nil for the iterative route.
    public let singularValues: [Double]?
    /// The route that computed the values.
    package let route: Route
    /// Lanczos steps taken for σ_max (iterative route; 0 otherwise).
    package private(set) var largestSteps = 0
    /// Lanczos steps taken for σ_min over all shifts (iterative route; 0 otherwise).
    package private(set) var smallestSteps = 0
    /// CHOLMOD factorizations of G − τI made for σ_min, one per shift tried (iterative route; 0 otherwise).
    package private(set) var factorizations = 0
    /// The iterative route's final relative residual bound (0 for the exact routes): above
    /// `IterativeSpectrum.tolerance` the iteration stopped at its step limit without converging.
    package private(set) var residualBound = 0.0

    /// Above this condition number σ_min cannot be told from 0 by the route that computed it, so C
    /// is read as singular: 10¹² for the exact routes (rounding leaves σ_min about ε·σ_max·√n or
    /// less), but 1/√(max(rows, columns)·ε) for the iterative one, which works with CᵀC (or CCᵀ):
    /// forming and factoring it perturbs σ_min² by about ε·σ_max² times a modest factor, so a σ_min
    /// below √(max(rows, columns)·ε)·σ_max (about 10⁻⁶·σ_max for a few thousand columns) is noise.
    package private(set) var singularCondition = 1e12

    /// Whether the values meet the route's stated accuracy (the exact routes always do).
    package var converged: Bool { residualBound <= IterativeSpectrum.tolerance }

    /// The singular values of C for `kernel`'s weights and geometry, by the cheapest exact route
    /// that applies (fourier, then dense up to a 1 024×1 024 C or as much work), otherwise by iteration.
    ///
    /// - Parameter kernel: the weights and geometry of the convolution y = C·x; for a transposed
    ///   convolution pass its underlying convolution's kernel: Cᵀ has the same singular values.
    /// - Throws: `GeometryError.invalid` when a size exceeds what LAPACK or CHOLMOD can hold, or
    ///   when C would need more memory than half of physical memory (`MemoryBudget.defaultLimit`).
    public init(of kernel: Kernel) throws(GeometryError) {
        try self.init(kernel, route: nil, memoryLimit: nil)
    }

    /// The singular values of C by `route` (nil: fourier if it applies, else dense if C is within
    /// auto's cut-off and the memory limit, else iterative), refused before any work when the
    /// route does not apply or its memory estimate exceeds `memoryLimit`.
    ///
    /// - Parameters:
    ///   - kernel: weights and geometry.
    ///   - route: the route to use, or nil to choose.
    ///   - memoryLimit: bytes allowed (nil: half of physical memory).
    ///   - progress: called now and then during iteration with a line on the step and its residual.
    /// - Throws: `GeometryError.invalid` naming `route` when the route does not apply or fails, or
    ///   `max_memory` when its estimate exceeds the limit.
    package init(
        _ kernel: Kernel, route: Route?, memoryLimit: Int?, progress: ((String) -> Void)? = nil
    ) throws(GeometryError) {
        let geometry = kernel.geometry
        let chosen = try Self.choose(route, for: geometry, memoryLimit: memoryLimit)
        try MemoryBudget.check(Self.memoryEstimate(geometry, route: chosen), limit: memoryLimit)
        self.route = chosen
        switch chosen {
        case .fourier:
            let values = try FourierSpectrum.singularValues(kernel)
            (sigmaMax, sigmaMin, singularValues) = (values.first ?? 0, values.last, values)
        case .dense:
            if min(geometry.rowCount, geometry.columnCount) > 1024 {
                progress?(
                    "dense SVD of a \(geometry.rowCount)×\(geometry.columnCount) C with LAPACK: time grows as rows·columns·min(rows, columns), seconds to minutes here"
                )
            }
            var dense = try Self.denseMatrix(kernel)
            let values = try Lapack.singularValues(of: &dense, rows: geometry.rowCount, columns: geometry.columnCount).values
            (sigmaMax, sigmaMin, singularValues) = (values.first ?? 0, values.last, values)
        case .iterative:
            let result = try IterativeSpectrum(kernel, memoryLimit: memoryLimit, progress: progress)
            (sigmaMax, sigmaMin, singularValues) = (result.sigmaMax, result.sigmaMin, nil)
            (largestSteps, smallestSteps, residualBound) = (result.largestSteps, result.smallestSteps, result.residualBound)
            singularCondition = 1 / (Double(max(geometry.rowCount, geometry.columnCount)) * Double.ulpOfOne).squareRoot()
            factorizations = result.factorizations
        }
    }

    /// σ_max/σ_min: 1 for an orthogonal C, +∞ when σ_min = 0 (C loses information), nil when σ_min is unknown.
    package var condition: Double? {
        guard let sigmaMin else { return nil }
        if sigmaMin == 0 { return sigmaMax == 0 ? nil : .infinity }
        return sigmaMax / sigmaMin
    }

    // MARK: Choosing a route

    /// The dense route's bound on min(rows, columns): LAPACK's SVD costs O(m·n·min(m, n)) time.
    package static let denseSizeLimit = 4096
    /// The dense route's bound on rows·columns: C as doubles in at most 512 MiB.
    package static let denseEntryLimit = 1 << 26

    /// Whether C is (block) circulant, so that the DFT diagonalises it: stride 1, output as large
    /// as the input, and in every dimension circular padding or none.
    package static func fourierApplies(_ geometry: ConvolutionGeometry) -> Bool {
        geometry.stride.allSatisfy { $0 == 1 } && geometry.outputSize == geometry.inputSize
            && (0..<geometry.spatialRank).allSatisfy { d in
                geometry.paddingMode == .circular || (geometry.paddingBefore[d] == 0 && geometry.paddingAfter[d] == 0)
            }
    }

    /// Why the dense route does not apply to `geometry`, or nil when it does.
    package static func denseRefusal(_ geometry: ConvolutionGeometry) -> String? {
        let (m, n) = (geometry.rowCount, geometry.columnCount)
        let entries = m.multipliedReportingOverflow(by: n)
        if min(m, n) <= denseSizeLimit && !entries.overflow && entries.partialValue <= denseEntryLimit { return nil }
        return
            "C is \(m)×\(n), beyond the dense SVD's bound (min(rows, columns) ≤ \(denseSizeLimit) and rows·columns ≤ \(denseEntryLimit))"
    }

    /// The route to use: `requested` if it applies, else the first of fourier, dense (within auto's
    /// cut-off `automaticDenseWork` and the memory limit) and iterative.
    package static func choose(_ requested: Route?, for geometry: ConvolutionGeometry, memoryLimit: Int?) throws(GeometryError) -> Route {
        switch requested {
        case .fourier?:
            guard fourierApplies(geometry) else {
                throw .invalid(
                    field: "route",
                    reason:
                        "= fourier needs a circulant C: stride 1, circular padding (or none) and an output as large as the input (\(formatSize(geometry.outputSize)) here, input \(formatSize(geometry.inputSize))); use dense or iterative"
                )
            }
            return .fourier
        case .dense?:
            if let why = denseRefusal(geometry) {
                throw .invalid(field: "route", reason: "= dense: \(why); use iterative\(fourierApplies(geometry) ? " or fourier" : "")")
            }
            return .dense
        case .iterative?:
            return .iterative
        case nil:
            if fourierApplies(geometry) { return .fourier }
            let fits =
                Checked.saturating { () throws(GeometryError) in memoryEstimate(geometry, route: .dense).totalBytes }
                <= (memoryLimit ?? MemoryBudget.defaultLimit)
            return denseRefusal(geometry) == nil && fits && automaticDenseApplies(geometry) ? .dense : .iterative
        }
    }

    /// The most rows·columns·min(rows, columns) for which `--route auto` (and `Spectrum(of:)`) takes
    /// the dense route: 2³⁰, a 1 024×1 024 C, whose SVD took 0.4–1.3 s in a debug build under load,
    /// against 0.05–1 s by iteration; at 2 048 columns it took 4–17 s against 0.1–0.4 s, and at 4 096
    /// 55–126 s against 0.05–0.9 s (docs/spectrum.md, "Measured"). Beyond it auto iterates; the dense
    /// route, asked for, still goes to `denseSizeLimit`.
    package static let automaticDenseWork = 1 << 30

    /// Whether C is small enough for auto to take the dense route: rows·columns·min(rows, columns) ≤
    /// `automaticDenseWork` (overflow-checked).
    package static func automaticDenseApplies(_ geometry: ConvolutionGeometry) -> Bool {
        let (m, n) = (geometry.rowCount, geometry.columnCount)
        let work = Checked.saturating { () throws(GeometryError) in try Checked.product([m, n, min(m, n)], "work") }
        return work <= automaticDenseWork
    }

    /// The peak memory of `route` on `geometry`, from sizes alone.
    ///
    /// - fourier: min(rows, columns) values and the weights' DFT at one frequency, with C in CHOLMOD and
    ///   its product vectors (what the report's Cᵀ(C·x) needs).
    /// - dense: C in CHOLMOD, C as m·n doubles, LAPACK's workspace (about 4·min² + 8·max doubles) and the values.
    /// - iterative: C in CHOLMOD (and Cᵀ when C has fewer rows than columns, for CCᵀ), six vectors of
    ///   max(rows, columns), and for σ_min the Cholesky
    ///   factor (refused after CHOLMOD's analysis if it would not fit: its fill is known only then).
    package static func memoryEstimate(_ geometry: ConvolutionGeometry, route: Route) -> MemoryEstimate {
        let (m, n) = (geometry.rowCount, geometry.columnCount)
        let small = min(m, n), large = max(m, n)
        let bytes: (Int, Int) -> Int = { a, b in Checked.saturating { () throws(GeometryError) in try Checked.multiply(a, b, "bytes") } }
        switch route {
        case .fourier:
            return MemoryEstimate(
                MemoryEstimate.building(geometry) + [
                    MemoryEstimate.products(geometry, samples: 1),
                    MemoryEstimate.items("singular values", count: small, bytesEach: 8),
                    MemoryEstimate.items("the kernel's DFT at one frequency", count: geometry.weightCount, bytesEach: 16),
                ], nonzeroCount: geometry.nonzeroCount)
        case .dense:
            let workspace = Checked.saturating { () throws(GeometryError) in
                try Checked.add(try Checked.multiply(4 * small, small, "workspace"), try Checked.multiply(8, large, "workspace"), "workspace")
            }
            return MemoryEstimate(
                MemoryEstimate.building(geometry) + [
                    MemoryEstimate.Part("C as a dense matrix", bytes: bytes(bytes(m, n), 8)),
                    MemoryEstimate.items("LAPACK's workspace", count: workspace, bytesEach: 8),
                ], nonzeroCount: geometry.nonzeroCount)
        case .iterative:
            return MemoryEstimate(
                MemoryEstimate.building(geometry) + [MemoryEstimate.items("Lanczos vectors", count: bytes(large, 6), bytesEach: 8)]
                    + (m < n ? [MemoryEstimate.Part("Cᵀ, whose normal matrix is CCᵀ", bytes: MemoryEstimate.matrix(geometry).bytes)] : []),
                nonzeroCount: geometry.nonzeroCount)
        }
    }

    /// C written out densely, column-major, from CHOLMOD's compressed columns.
    static func denseMatrix(_ kernel: Kernel) throws(GeometryError) -> [Double] {
        let matrix = try runCholmod { () throws(CholmodError) in try SparseMatrix(convolution: kernel) }
        let (starts, rows, values) = matrix.compressedColumns
        let m = matrix.rowCount
        var dense = [Double](repeating: 0, count: m * matrix.columnCount)
        for column in 0..<matrix.columnCount {
            for entry in starts[column]..<starts[column + 1] { dense[column * m + rows[entry]] += values[entry] }
        }
        return dense
    }
}

/// Runs CHOLMOD work, turning its failure into a refusal on `route`.
func runCholmod<Result>(_ body: () throws(CholmodError) -> Result) throws(GeometryError) -> Result {
    do {
        return try body()
    } catch {
        throw .invalid(field: "route", reason: "failed: \(error.message(spellingFields: { $0 }))")
    }
}
