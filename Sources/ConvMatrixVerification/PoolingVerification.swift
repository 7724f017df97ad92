import ConvMatrixCore
import ConvMatrixPooling

/// Checks a pooling layer's matrix against the layer itself, in the
/// verifier's style: the forward pass through the matrix (CHOLMOD) against
/// a direct loop over the windows, the backward pass through the transpose
/// against a direct loop that sends each output's gradient back into its
/// window (to the chosen maximum, or spread over the window for average
/// pooling), and the dot test ⟨Px, g⟩ = ⟨x, Pᵀg⟩. For max pooling P is
/// S(x), taken at the x it is applied to: the backward pass of a
/// non-linear layer is still "the transpose", of the matrix that holds at x.
///
/// Bounds come from `RoundingBound`: each component of a sum of K terms may
/// differ between two routes by 2γ_K times the sum of its terms' magnitudes.
public struct PoolingVerification: Sendable {
    /// One comparison of the matrix route with the direct loop.
    package struct Check: Sendable {
        /// What is compared.
        package let name: String
        /// max |aᵢ − bᵢ|, and the bound at the component closest to its bound.
        package let largestDifference: Double
        /// Whether every component is within its bound.
        package let passed: Bool

        /// "forward …: identical PASS" or the largest difference.
        package var summary: String {
            let verdict = passed ? "PASS" : "FAIL"
            return largestDifference == 0
                ? "\(name): identical \(verdict)" : "\(name): max |Δ| = \(reportNumber(largestDifference)) within the rounding bound \(verdict)"
        }
    }

    /// The pooling matrix at x (not transposed).
    package let matrix: PoolingMatrix
    /// The input x and the gradient g arriving at the output.
    package let x: [Double], g: [Double]
    /// P·x through CHOLMOD and by the direct loop.
    package let forward: Check
    /// Pᵀ·g through CHOLMOD and by the direct loop.
    package let backward: Check
    /// ⟨Px, g⟩ = ⟨x, Pᵀg⟩.
    package let dotTest: DotTest

    /// True when every check passed.
    public var passed: Bool { forward.passed && backward.passed && dotTest.passed }

    /// Verifies `kind` pooling of `geometry` at input `x` with output gradient `g`.
    ///
    /// - Throws: `GeometryError` naming `values` or `y` when x or g has the
    ///   wrong length or a value that is not finite; `VerificationError` when
    ///   CHOLMOD fails or a magnitude leaves Float64.
    /// - Parameters:
    ///   - kind: average or max pooling.
    ///   - geometry: the pooling layer.
    ///   - x: the layer's input, channels × Π i values.
    ///   - g: the gradient at the layer's output, channels × Π o values.
    /// - Complexity: O(outputs × window volume) time for the forward product and the direct loops,
    ///   O(nnz × window volume) for the product with the transpose (`PoolingMatrix.multiply(_:)`);
    ///   O(inputs + outputs) memory.
    public init(_ kind: PoolingMatrix.Kind, geometry: PoolingGeometry, x: [Double], g: [Double]) throws(VerificationError) {
        let matrix: PoolingMatrix
        do throws(GeometryError) {
            matrix = kind == .average ? PoolingMatrix(averaging: geometry) : try PoolingMatrix(selectingMaximaOf: x, geometry: geometry)
            guard x.count == geometry.columnCount else {
                throw .invalid(
                    field: "values",
                    reason: "has \(x.count) numbers but the input \(geometry.channels)×\(formatSize(geometry.inputSize)) needs \(geometry.columnCount)")
            }
            guard g.count == geometry.rowCount else {
                throw .invalid(
                    field: "y",
                    reason: "has \(g.count) numbers but the pooling output \(geometry.channels)×\(formatSize(geometry.outputSize)) needs \(geometry.rowCount)")
            }
            if let bad = (x + g).firstIndex(where: { !$0.isFinite }) {
                throw .invalid(field: bad < x.count ? "values[\(bad)]" : "y[\(bad - x.count)]", reason: "is not a finite number")
            }
        } catch {
            throw .geometry(error)
        }
        self.matrix = matrix
        self.x = x
        self.g = g
        // The matrix in CHOLMOD, column by column (the columns of P are the rows of Pᵀ).
        var starts = [0], rows = [Int](), values = [Double]()
        matrix.transposed().forEachRow { _, entries in
            for entry in entries { rows.append(entry.column); values.append(1 / Double(entry.divisor)) }
            starts.append(rows.count)
        }
        let sparse: SparseMatrix
        let px: [Double], ptg: [Double]
        do throws(CholmodError) {
            sparse = try SparseMatrix(rowCount: geometry.rowCount, columnCount: geometry.columnCount, columnStarts: starts, rowIndices: rows, values: values)
            px = try sparse.multiply(DenseMatrix(column: x)).values
            ptg = try sparse.multiplyTransposed(DenseMatrix(column: g)).values
        } catch {
            throw .cholmod(error)
        }
        let direct = Self.directLoops(kind, geometry: geometry, x: x, g: g)
        // Magnitudes of the terms of each component, and how many terms it has.
        let absolute = try? SparseMatrix(
            rowCount: geometry.rowCount, columnCount: geometry.columnCount, columnStarts: starts, rowIndices: rows, values: values.map(abs))
        guard let absolute,
            let forwardMagnitude = try? absolute.multiply(DenseMatrix(column: x.map(abs))).values,
            let backwardMagnitude = try? absolute.multiplyTransposed(DenseMatrix(column: g.map(abs))).values
        else {
            throw .overflow(field: "values", quantity: "the magnitudes that bound the rounding")
        }
        if (forwardMagnitude + backwardMagnitude).contains(where: { !$0.isFinite }) {
            throw .overflow(field: "values", quantity: "|P|·|x| or |Pᵀ|·|g|, the magnitudes that bound the rounding,")
        }
        let window = geometry.windowVolume
        let perColumn = (0..<geometry.columnCount).map { starts[$0 + 1] - starts[$0] }
        func compare(_ name: String, _ a: [Double], _ b: [Double], terms: (Int) -> Int, magnitude: [Double]) -> Check {
            var largest = 0.0, passed = a.count == b.count
            for i in 0..<min(a.count, b.count) {
                let difference = abs(a[i] - b[i])
                largest = max(largest, difference)
                if !(difference <= RoundingBound.difference(terms: terms(i), magnitude: magnitude[i])) { passed = false }
            }
            return Check(name: name, largestDifference: largest, passed: passed)
        }
        let letter = matrix.matrixName
        let what = kind == .average ? "the average of each window (direct loop)" : "the maximum of each window (direct loop)"
        forward = compare("forward: \(letter)·x through the matrix = \(what)", px, direct.forward, terms: { _ in window }, magnitude: forwardMagnitude)
        let routed =
            kind == .average
            ? "each gradient spread over its window, divided by |window| (direct loop)" : "each gradient sent back to its window's maximum (direct loop)"
        backward = compare(
            "backward: \(letter)ᵀ·g through the matrix = \(routed)", ptg, direct.backward, terms: { perColumn[$0] }, magnitude: backwardMagnitude)
        let left = zip(px, g).reduce(0) { $0 + $1.0 * $1.1 }
        let right = zip(x, ptg).reduce(0) { $0 + $1.0 * $1.1 }
        let scale = zip(forwardMagnitude, g).reduce(0) { $0 + $1.0 * abs($1.1) }
        let terms = max(window + geometry.rowCount, (perColumn.max() ?? 0) + geometry.columnCount)
        dotTest = DotTest(
            name: "⟨\(letter)x, g⟩ = ⟨x, \(letter)ᵀg⟩", left: left, right: right, difference: abs(left - right),
            bound: RoundingBound.difference(terms: terms, magnitude: scale))
    }

    /// The layer computed without its matrix: each window's maximum (the
    /// first of equal values in row-major order; padding never wins) or its
    /// sum divided by PyTorch's count, and the gradient sent back the same way.
    static func directLoops(_ kind: PoolingMatrix.Kind, geometry g: PoolingGeometry, x: [Double], g gradient: [Double]) -> (
        forward: [Double], backward: [Double]
    ) {
        var forward = [Double](repeating: 0, count: g.rowCount)
        var backward = [Double](repeating: 0, count: g.columnCount)
        let rank = g.spatialRank
        var row = 0
        for channel in 0..<g.channels {
            var q = [Int](repeating: 0, count: rank)
            repeat {
                var low = [Int](), high = [Int](), count = 1
                for d in 0..<rank {
                    let start = q[d] * g.stride[d] - g.padding[d]
                    let end = min(start + min(g.kernelSize[d], g.inputSize[d] + g.padding[d] - start), g.inputSize[d] + g.padding[d])
                    count *= end - start
                    low.append(max(start, 0))
                    high.append(min(end, g.inputSize[d]))
                }
                var members = [Int]()
                var p = low
                if !(0..<rank).contains(where: { low[$0] >= high[$0] }) {
                    repeat {
                        var index = channel
                        for d in 0..<rank { index = index * g.inputSize[d] + p[d] }
                        members.append(index)
                        var d = rank - 1
                        while d >= 0 { p[d] += 1; if p[d] < high[d] { break }; p[d] = low[d]; d -= 1 }
                        if d < 0 { break }
                    } while true
                }
                if kind == .maximum {
                    var best = members.first ?? 0
                    for m in members where x[m] > x[best] { best = m }
                    forward[row] = x[best]
                    backward[best] += gradient[row]
                } else {
                    forward[row] = members.reduce(0) { $0 + x[$1] } / Double(count)
                    for m in members { backward[m] += gradient[row] / Double(count) }
                }
                row += 1
                var d = rank - 1
                while d >= 0 { q[d] += 1; if q[d] < g.outputSize[d] { break }; q[d] = 0; d -= 1 }
                if d < 0 { break }
            } while true
        }
        return (forward, backward)
    }

    /// The report: the layer, x, the selection or the divisors, g, each check and a final PASS or FAIL.
    ///
    /// - Parameter brief: true for the checks and the verdict alone, without the vectors.
    /// - Returns: several lines, without a trailing newline.
    public func text(brief: Bool) -> String {
        let geometry = matrix.geometry
        var lines = [String]()
        if !brief {
            lines.append(
                "\(matrix.kind == .average ? "average" : "max") pooling: input \(geometry.channels)×\(formatSize(geometry.inputSize)) → output \(geometry.channels)×\(formatSize(geometry.outputSize)) [channels×spatial], kernel \(formatSize(geometry.kernelSize)), stride \(formatSize(geometry.stride)), padding \(formatSize(geometry.padding)), ceil_mode \(geometry.ceilMode ? "on" : "off")"
            )
            lines.append("  x = [" + x.map(formatNumber).joined(separator: ", ") + "]")
            lines.append("  g = [" + g.map(formatNumber).joined(separator: ", ") + "]  (the gradient arriving at the output)")
            if matrix.kind == .maximum {
                var choices = [String]()
                matrix.forEachRow { row, entries in
                    if let entry = entries.first { choices.append("y\(row)←x\(entry.column)") }
                }
                lines.append("  S(x) picks, per output (flat indices): " + choices.joined(separator: " "))
            }
        }
        for check in [forward, backward] { lines.append((check.passed ? "  ok   " : "  FAIL ") + check.summary) }
        lines.append((dotTest.passed ? "  ok   " : "  FAIL ") + dotTest.summary)
        lines.append(passed ? "PASS" : "FAIL")
        return lines.joined(separator: "\n")
    }
}
