import ConvMatrixCore

/// Checks the central claim on one geometry: the transposed convolution is
/// Cᵀ, and every independent route to it gives the same numbers.
///
/// The routes are values (`TransposedConvolutionRoute`), so a test can hand
/// in a deliberately wrong one and watch the report fail. The first route
/// is the reference; every other route is compared with it component by
/// component against the rounding bound 2γ_{Kᵢ}·(|Cᵀ||y|)ᵢ (see
/// `RoundingBound`), or exactly when the data are integers whose sums stay
/// below 2⁵³.
public struct Verifier: Sendable {
    /// The routes compared; the first is the reference.
    package var routes: [TransposedConvolutionRoute]

    /// A verifier comparing `routes` (by default the four independent ones).
    ///
    /// - Parameter routes: the routes to compare with each other; every one must compute the same Cᵀ·y.
    public init(routes: [TransposedConvolutionRoute] = TransposedConvolutionRoute.all) {
        self.routes = routes
    }

    /// Verifies that the transposed convolution of `convolutionOperator`'s C
    /// is Cᵀ, on an integer-valued and a real-valued data set drawn from
    /// `seed` (the kernel too, unless `weights` is given).
    ///
    /// - Parameters:
    ///   - convolutionOperator: the operation as the user described it; its
    ///     matrix C (`convolutionOperator.convolution`) is what is verified.
    ///   - weights: the kernel of C, instead of drawn numbers.
    ///   - y: the transposed convolution's input for the first data set
    ///     (C's `rowCount` values), instead of drawn integers.
    ///   - seed: the seed of every drawn number.
    /// - Returns: the report of every check.
    /// - Throws: `VerificationError.cholmod` when CHOLMOD cannot hold C, and
    ///   `.overflow` when the data are so large that a sum or a bound leaves
    ///   Float64 (the routes could not be compared meaningfully).
    /// - Complexity: a few passes of each route, O(nnz(C)) each, plus the
    ///   backward pass's automatic differentiation, O(nnz(C)) terms.
    public func verify(
        _ convolutionOperator: ConvolutionOperator, weights: Kernel? = nil, y: [Double]? = nil, seed: UInt64
    ) throws(VerificationError) -> VerificationReport {
        let geometry = convolutionOperator.convolution
        precondition(y == nil || y?.count == geometry.rowCount, "Verifier.verify: y does not match the geometry")
        var generator = SplitMix64(seed: seed)
        let integers = VerificationData.integers(geometry, weights: weights, y: y, using: &generator)
        let reals = VerificationData.reals(geometry, weights: weights, using: &generator)
        let integerReport = try check(integers)
        let realReport = try check(reals)

        let matrix = try cholmod { () throws(CholmodError) in try SparseMatrix(convolution: reals.kernel) }
        let structure = StructureCheck(
            rows: matrix.rowCount, columns: matrix.columnCount,
            expectedRows: geometry.outChannels * geometry.outputSize.reduce(1, *),
            expectedColumns: geometry.inChannels * geometry.inputSize.reduce(1, *),
            nonzeros: matrix.nonzeroCount, analyticNonzeros: geometry.nonzeroCount)
        let cx = try cholmod { () throws(CholmodError) in try matrix.multiply(DenseMatrix(column: reals.x)).values }
        let ctcx = try cholmod { () throws(CholmodError) in try matrix.multiplyTransposed(DenseMatrix(column: cx)).values }
        let inverse = InverseResidual(
            residual: norm(zip(ctcx, reals.x).map { $0 - $1 }), inputNorm: norm(reals.x))
        return VerificationReport(
            convolutionOperator: convolutionOperator, seed: seed, structure: structure,
            datasets: [integerReport, realReport], inverse: inverse,
            roundTrip: Self.roundTrip(geometry))
    }

    /// The peak memory of `verify(_:weights:y:seed:)` for `convolutionOperator`,
    /// from its sizes: about 460 bytes per nonzero of C (per tap that reads an
    /// element, with a padding mode other than zeros) — the backward pass
    /// records one pullback per read of x, and two data sets each hold C,
    /// |C| and the routes' results — and 200 bytes per row and column of C
    /// for the vectors (measured: 64×64 to 256×256 with one channel and
    /// 64×64 with 16 → 16 channels all peak within 0.85–1.0 of this).
    ///
    /// - Parameter convolutionOperator: the operation to be verified.
    /// - Returns: the estimate, for the memory guard before anything is built.
    public static func memoryEstimate(_ convolutionOperator: ConvolutionOperator) -> MemoryEstimate {
        let c = convolutionOperator.convolution
        return MemoryEstimate(
            [
                MemoryEstimate.items("the routes and the backward pass's gradient (460 bytes per nonzero)", count: c.readCount, bytesEach: 460),
                MemoryEstimate.items(
                    "vectors", count: Checked.saturating { () throws(GeometryError) in try Checked.add(c.rowCount, c.columnCount, "vectors") }, bytesEach: 200),
            ], nonzeroCount: c.nonzeroCount)
    }

    /// The multiply-adds of the costliest route for `geometry`, or nil when
    /// the count overflows: the larger of rows × taps per row (matrix,
    /// scatter, backward pass) and columns × taps per column of the
    /// zero-insertion convolution, columns·(C_out/groups)·Π k_j, which also
    /// multiplies the inserted zeros.
    ///
    /// With a padding mode other than zeros the routes work on the padded
    /// input, so the count is that of the convolution over it.
    ///
    /// - Parameter geometry: the convolution to be verified.
    /// - Returns: the multiply-adds, to refuse a verification that would take too long.
    package static func work(_ geometry: ConvolutionGeometry) -> Int? {
        if geometry.paddingMode != .zeros {
            guard let padded = try? geometry.overPaddedInput() else { return nil }
            return work(padded)
        }
        let g = geometry
        let perRow = g.inChannelsPerGroup.multipliedReportingOverflow(by: g.kernelVolume)
        let perColumn = g.outChannelsPerGroup.multipliedReportingOverflow(by: g.kernelVolume)
        let rows = g.rowCount.multipliedReportingOverflow(by: perRow.partialValue)
        let columns = g.columnCount.multipliedReportingOverflow(by: perColumn.partialValue)
        if perRow.overflow || perColumn.overflow || rows.overflow || columns.overflow { return nil }
        return max(rows.partialValue, columns.partialValue, g.rowCount, g.columnCount)
    }

    /// Runs every route on `data`, compares them and runs the dot tests.
    func check(_ data: VerificationData) throws(VerificationError) -> DatasetReport {
        let geometry = data.kernel.geometry
        let matrix = try cholmod { () throws(CholmodError) in try SparseMatrix(convolution: data.kernel) }
        // |C| term by term: the matrix of |w|, whose entry sums |w_k| over the taps of C's entry (one tap,
        // |C[r, c]| itself, with zero padding; the routes add the taps of a copied element one by one).
        guard let magnitudeKernel = try? Kernel(data.kernel.values.map(abs), geometry: geometry) else {
            preconditionFailure("Verifier: |w| does not fit the geometry")
        }
        let absolute = try cholmod { () throws(CholmodError) in try SparseMatrix(convolution: magnitudeKernel) }
        // (|Cᵀ||y|)ᵢ: the sum of the magnitudes of the terms of (Cᵀy)ᵢ.
        let magnitudes = try cholmod { () throws(CholmodError) in try absolute.multiplyTransposed(DenseMatrix(column: data.y.map(abs))).values }
        if magnitudes.contains(where: { !$0.isFinite }) {
            throw .overflow(field: "y", quantity: "|Cᵀ|·|y|, the magnitude that bounds the rounding,")
        }
        let termCounts = Self.termCounts(geometry)
        let exact =
            RoundingBound.isIntegerValued(data.kernel.values) && RoundingBound.isIntegerValued(data.y)
            && RoundingBound.isIntegerValued(data.x)
            && (magnitudes.max() ?? 0) < RoundingBound.exactIntegerLimit
        let bounds = zip(termCounts, magnitudes).map { exact ? 0 : RoundingBound.difference(terms: $0, magnitude: $1) }

        let results = routes.map { route in run(route, data.y, data.kernel) }
        var comparisons = [RouteComparison]()
        if let reference = results.first {
            for result in results.dropFirst() {
                comparisons.append(compare(result, reference, bounds: bounds, length: geometry.columnCount))
            }
        }

        // Dot tests: the same y, and y = Cx.
        let cx = try cholmod { () throws(CholmodError) in try matrix.multiply(DenseMatrix(column: data.x)).values }
        let absCx = try cholmod { () throws(CholmodError) in try absolute.multiply(DenseMatrix(column: data.x.map(abs))).values }
        let maxRowTerms = geometry.inChannelsPerGroup * geometry.kernelVolume
        let maxColumnTerms = termCounts.max() ?? 0
        let dotTerms = max(maxRowTerms + matrix.rowCount, maxColumnTerms + matrix.columnCount)
        var dotTests = [DotTest]()
        let scale = dot(absCx, data.y.map(abs))
        if !scale.isFinite || absCx.contains(where: { !$0.isFinite }) {
            throw .overflow(field: "y", quantity: "|C||x|·|y|, the magnitude that bounds the dot test,")
        }
        for (route, result) in zip(routes, results) {
            dotTests.append(
                dotTest(
                    "⟨Cx, y⟩ = ⟨x, Cᵀy⟩ (\(route.name))", cx: cx, y: data.y, x: data.x, cty: result.values,
                    scale: scale, terms: dotTerms, exact: exact && scale < RoundingBound.exactIntegerLimit))
        }
        for route in routes {
            let ctcx = run(route, cx, data.kernel).values
            let magnitude = dot(absCx, cx.map(abs))
            let exactHere = exact && magnitude < RoundingBound.exactIntegerLimit
            dotTests.append(
                dotTest(
                    "⟨Cx, Cx⟩ = ⟨x, Cᵀ(Cx)⟩ (\(route.name))", cx: cx, y: cx, x: data.x, cty: ctcx,
                    scale: magnitude, terms: dotTerms, exact: exactHere))
        }
        return DatasetReport(
            name: data.name, data: data, exact: exact, results: results,
            comparisons: comparisons, dotTests: dotTests)
    }

    /// The terms of each component of Cᵀ·y as the routes add them: the taps
    /// that read each input element, nnz of its column of C with zero padding,
    /// and every tap that reads one of its copies otherwise.
    static func termCounts(_ geometry: ConvolutionGeometry) -> [Int] {
        var counts = [Int](repeating: 0, count: geometry.columnCount)
        MatrixLines(geometry).forEachColumn { column, entries in counts[column] = entries.count }
        return counts
    }

    private func run(_ route: TransposedConvolutionRoute, _ y: [Double], _ kernel: Kernel) -> RouteResult {
        do {
            return RouteResult(route: route.name, values: try route.apply(y, kernel), failure: nil)
        } catch {
            return RouteResult(route: route.name, values: [], failure: error.description)
        }
    }

    /// |aᵢ − bᵢ| ≤ boundᵢ for every component; the worst component is the one with the largest |aᵢ − bᵢ| / boundᵢ.
    private func compare(_ result: RouteResult, _ reference: RouteResult, bounds: [Double], length: Int) -> RouteComparison {
        func problem(_ text: String) -> RouteComparison {
            RouteComparison(
                route: result.route, reference: reference.route, largestDifference: .infinity,
                worstComponent: nil, differenceThere: .infinity, boundThere: 0, problem: text, passed: false)
        }
        if let failure = result.failure { return problem("the route failed: \(failure)") }
        if let failure = reference.failure { return problem("the reference failed: \(failure)") }
        guard result.values.count == length, reference.values.count == length else {
            return problem("lengths \(result.values.count) and \(reference.values.count), expected \(length)")
        }
        var largest = 0.0, worst: Int? = nil, worstRatio = -1.0, passed = true
        for i in 0..<length {
            let difference = abs(result.values[i] - reference.values[i])
            let within = difference <= bounds[i]  // false for NaN
            if !within { passed = false }
            let ratio = difference == 0 ? 0 : (bounds[i] > 0 && within ? difference / bounds[i] : .infinity)
            if difference.isNaN { largest = .nan } else if !largest.isNaN { largest = max(largest, difference) }
            if ratio > worstRatio || worst == nil { worstRatio = ratio; worst = i }
        }
        return RouteComparison(
            route: result.route, reference: reference.route, largestDifference: largest, worstComponent: worst,
            differenceThere: worst.map { abs(result.values[$0] - reference.values[$0]) } ?? 0,
            boundThere: worst.map { bounds[$0] } ?? 0, problem: nil, passed: passed)
    }

    private func dotTest(
        _ name: String, cx: [Double], y: [Double], x: [Double], cty: [Double],
        scale: Double, terms: Int, exact: Bool
    ) -> DotTest {
        let left = dot(cx, y)
        let right = cty.count == x.count ? dot(x, cty) : .nan
        let bound = exact ? 0 : RoundingBound.difference(terms: terms, magnitude: scale)
        return DotTest(name: name, left: left, right: right, difference: abs(left - right), bound: bound)
    }

    /// For each dimension, the output paddings a in 0…s−1 with which the
    /// transposed convolution (built by `TransposedConvolutionGeometry`)
    /// takes the convolution's natural output size back to its input size.
    /// The transposed size grows by exactly one with each unit of a, so only
    /// a* = (i + p_before + p_after − d(k − 1) − 1) mod s can restore it; a*
    /// and its neighbours in 0…s−1 are tried (three geometries, whatever the
    /// stride), so the check finds a* and shows its neighbours do not restore
    /// the size. While one dimension tries its candidates, the others use a*,
    /// so that the geometry exists and only the dimension under test varies.
    static func roundTrip(_ geometry: ConvolutionGeometry) -> ShapeRoundTrip {
        let rank = geometry.spatialRank
        var natural = [Int](), expected = [Int]()
        for d in 0..<rank {
            let reach =
                geometry.inputSize[d] + geometry.paddingBefore[d] + geometry.paddingAfter[d]
                - geometry.dilation[d] * (geometry.kernelSize[d] - 1) - 1
            natural.append(reach / geometry.stride[d] + 1)
            expected.append(reach % geometry.stride[d])
        }
        var restoring = [[Int]]()
        for d in 0..<rank {
            var found = [Int]()
            let candidates = [expected[d] - 1, expected[d], expected[d] + 1].filter { (0..<geometry.stride[d]).contains($0) }
            for a in candidates {
                var padding = expected
                padding[d] = a
                let back = try? TransposedConvolutionGeometry(
                    inputSize: natural, kernelSize: geometry.kernelSize, stride: geometry.stride,
                    dilation: geometry.dilation,
                    padding: .explicit(before: geometry.paddingBefore, after: geometry.paddingAfter),
                    outputPadding: padding)
                if back?.outputSize[d] == geometry.inputSize[d] { found.append(a) }
            }
            restoring.append(found)
        }
        return ShapeRoundTrip(inputSize: geometry.inputSize, convolutionOutput: natural, restoringPaddings: restoring)
    }
}

/// Runs a CHOLMOD step of the verification, reporting a failure as a `VerificationError`.
private func cholmod<T>(_ body: () throws(CholmodError) -> T) throws(VerificationError) -> T {
    do { return try body() } catch { throw .cholmod(error) }
}

private func dot(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for (u, v) in zip(a, b) { sum += u * v }
    return sum
}

private func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }
