import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// Deconvolution proper: recovering the input x of a convolution from its
/// output y = C·x, which the transposed convolution Cᵀ does not do.
///
/// The estimate is the Tikhonov-regularized least-squares solution
///
///     x̂ = argmin ‖C·x − y‖² + λ‖x‖² = (CᵀC + λI)⁻¹·Cᵀy,
///
/// computed with one sparse Cholesky factorization of CᵀC + λI
/// (`CholeskyFactor`) that serves every right-hand side. With λ = 0 and C of
/// full column rank, x̂ is the exact x whenever y = C·x. Cᵀy alone equals x
/// only when CᵀC = I (C has orthonormal columns): for a blur it is a second
/// blur, not an inverse.
///
/// C is rank-deficient when some input is read by no output (a stride larger
/// than the kernel's span skips it, or its weights are all zero: an empty
/// column of C) or when C has fewer rows than columns; then λ > 0 is needed,
/// and it sets the part of x that C cannot see to 0.
public struct Deconvolution: Sendable {
    /// λ relative to the largest diagonal entry of CᵀC when none is given: see `defaultLambda(for:)`.
    package static let defaultRelativeLambda = 1e-6

    /// The kernel of the convolution y = C·x.
    public let kernel: Kernel
    /// The matrix C.
    public let matrix: SparseMatrix
    /// The regularization weight λ used.
    public let lambda: Double
    /// Whether λ was chosen by `defaultLambda(for:)` rather than given.
    package let lambdaIsDefault: Bool
    /// Columns of C without a nonzero value: the inputs that no output reads, in column order.
    package let untouchedColumns: [Int]
    /// The factorization L·Lᵀ = P·(CᵀC + λI)·Pᵀ.
    public let factor: CholeskyFactor
    /// The memory the deconvolution needed at its peak, as estimated once the
    /// factor's size was known: C, the images, CᵀC + λI and the factor.
    package let memoryEstimate: MemoryEstimate

    /// Builds C for `kernel`, checks that the problem is solvable with this λ,
    /// and factorizes CᵀC + λI.
    ///
    /// `lambda` nil means `defaultLambda(for:)`. λ = 0 is refused with a
    /// message naming the untouched inputs when C has empty columns, and
    /// when C has fewer rows than columns.
    ///
    /// With `memoryLimit` (bytes), the work is refused before it starts when
    /// `memoryEstimate(for:samples:)` exceeds the limit, and again after the
    /// symbolic analysis when the Cholesky factor would not fit in what is
    /// left (`DeconvolutionError.memory`, naming the limit and the parts).
    ///
    /// - Parameters:
    ///   - kernel: the blur and its geometry; C is built from it.
    ///   - lambda: λ ≥ 0, the Tikhonov regularisation; nil for `defaultLambda(for:)`.
    ///   - ordering: the fill-reducing ordering of the Cholesky factorization.
    ///   - memoryLimit: the most bytes the work may use; nil for no limit.
    ///   - samples: the images that will be solved at once, for the memory estimate.
    /// - Throws: `DeconvolutionError` naming what makes the problem unsolvable (`.untouchedInputs`,
    ///   `.underdetermined`, `.singular`, `.invalidLambda`, `.badlyScaled`), or `.memory` and `.cholmod` when it
    ///   does not fit or CHOLMOD fails.
    /// - Complexity: O(nnz(C)) to build C, O(Σ_r nnz(row r of C)²) to form CᵀC, and the Cholesky factorization,
    ///   whose cost depends on the fill (see `CholeskyFactor`); memory as `memoryEstimate(for:samples:)` plus the
    ///   factor.
    public init(
        kernel: Kernel, lambda: Double? = nil, ordering: FillReducingOrdering = .automatic,
        memoryLimit: Int? = nil, samples: Int = 1
    ) throws(DeconvolutionError) {
        if let lambda, !(lambda.isFinite && lambda >= 0) { throw .invalidLambda(lambda) }
        let estimate = Self.memoryEstimate(for: kernel.geometry, samples: samples)
        if let memoryLimit {
            do throws(GeometryError) { try MemoryBudget.check(estimate, limit: memoryLimit) } catch { throw .memory(error) }
        }
        // Forming CᵀC + λI is over before the factorization starts: what stays is C and the images.
        let held = MemoryEstimate(estimate.parts.dropFirst().filter { $0.name != Self.formingPart })
        let matrix: SparseMatrix
        do throws(CholmodError) {
            matrix = try SparseMatrix(convolution: kernel)
        } catch { throw .cholmod(error) }
        let untouched = Self.emptyColumns(of: matrix)
        let largest = Self.largestColumnNormSquared(of: matrix)
        // Below 1e-280 the entries of CᵀC, λ and the factor would be subnormal or zero.
        // An all-zero kernel (largest = 0) blurs everything to 0: nothing could be recovered.
        if !largest.isFinite || largest < 1e-280 {
            throw .badlyScaled(largestColumnNormSquared: largest)
        }
        let chosen = lambda ?? Self.defaultLambda(for: matrix)
        if chosen == 0 {
            if !untouched.isEmpty {
                let named = untouched.prefix(8).map { InputPosition(column: $0, of: kernel.geometry) }
                throw .untouchedInputs(Array(named), total: untouched.count)
            }
            if matrix.rowCount < matrix.columnCount {
                throw .underdetermined(rows: matrix.rowCount, columns: matrix.columnCount)
            }
        }
        do throws(CholmodError) {
            factor = try CholeskyFactor(
                normalEquationsOf: matrix, shift: chosen, ordering: ordering,
                factorLimit: memoryLimit.map { $0 - held.totalBytes })
        } catch {
            if error.status == CholmodError.notPositiveDefinite.status { throw .singular(lambda: chosen, detail: error.message) }
            if error.status == CholmodError.overMemoryLimitStatus, let memoryLimit, let needed = error.neededBytes {
                let withFactor = MemoryEstimate(
                    Array(held.parts.dropFirst()) + [MemoryEstimate.Part("the Cholesky factor and CᵀC + λI", bytes: needed)])
                do throws(GeometryError) { try MemoryBudget.check(withFactor, limit: memoryLimit) } catch { throw .memory(error) }
            }
            throw .cholmod(error)
        }
        self.memoryEstimate = MemoryEstimate(
            Array(held.parts.dropFirst()) + [
                MemoryEstimate.Part(
                    "the Cholesky factor and CᵀC + λI",
                    bytes: CholeskyFactor.factorBytes(
                        nonzeros: factor.factorNonzeros, dimension: factor.dimension, normalMatrixNonzeros: factor.normalMatrixNonzeros))
            ])
        self.kernel = kernel
        self.matrix = matrix
        self.lambda = chosen
        self.lambdaIsDefault = lambda == nil
        self.untouchedColumns = untouched
    }

    /// The memory of a deconvolution of `samples` images before its Cholesky
    /// factor (which only the symbolic analysis can size): building C;
    /// forming CᵀC + λI, whose columns hold at most C_in/groups · Π(2k_j − 1)
    /// entries (two windows overlap in 2k − 1 offsets per dimension), in
    /// CHOLMOD's Cᵀ, product, shifted sum and upper triangle at once
    /// (16·nnz(C) + 40·nnz(CᵀC)); and the images (x, y, x̂, Cᵀy and CHOLMOD's
    /// copies, 64 bytes per sample and row or column).
    ///
    /// - Parameters:
    ///   - geometry: the convolution that blurs.
    ///   - samples: the images solved at once.
    /// - Returns: the estimate without the factor, checked before anything is built.
    package static func memoryEstimate(for geometry: ConvolutionGeometry, samples: Int = 1) -> MemoryEstimate {
        let normal = Checked.saturating { () throws(GeometryError) in
            try Checked.product([geometry.columnCount, geometry.inChannelsPerGroup] + geometry.kernelSize.map { 2 * $0 - 1 }, "CᵀC")
        }
        let forming = Checked.saturating { () throws(GeometryError) in
            try Checked.add(try Checked.multiply(16, geometry.nonzeroCount, "forming"), try Checked.multiply(40, normal, "forming"), "forming")
        }
        let images = Checked.saturating { () throws(GeometryError) in
            try Checked.product([64, max(samples, 1), try Checked.add(geometry.rowCount, geometry.columnCount, "images")], "images")
        }
        return MemoryEstimate(
            MemoryEstimate.building(geometry) + [
                MemoryEstimate.Part(formingPart, bytes: forming), MemoryEstimate.Part("the images", bytes: images),
            ], nonzeroCount: geometry.nonzeroCount)
    }

    /// The name of the estimate's part for forming CᵀC + λI.
    static let formingPart = "forming CᵀC + λI"

    /// The default λ = 10⁻⁶ · maxⱼ ‖C·eⱼ‖², the largest diagonal entry of CᵀC
    /// (10⁻⁶ itself when C is zero).
    ///
    /// It scales with the kernel (doubling the weights quadruples CᵀC and λ
    /// alike, so x̂ does not change), is small enough that well-conditioned
    /// problems are solved to about six digits, and makes rank-deficient ones
    /// solvable: directions that C does not see are set to 0.
    ///
    /// - Parameter matrix: C, the numeric convolution matrix.
    /// - Returns: λ, positive.
    package static func defaultLambda(for matrix: SparseMatrix) -> Double {
        let largest = largestColumnNormSquared(of: matrix)
        return defaultRelativeLambda * (largest > 0 ? largest : 1)
    }

    /// maxⱼ ‖C·eⱼ‖² = maxⱼ Σᵢ Cᵢⱼ², the largest diagonal entry of CᵀC.
    static func largestColumnNormSquared(of matrix: SparseMatrix) -> Double {
        let (starts, _, values) = matrix.compressedColumns
        var largest = 0.0
        for column in 0..<matrix.columnCount {
            var sum = 0.0
            for n in starts[column]..<starts[column + 1] { sum += values[n] * values[n] }
            largest = max(largest, sum)
        }
        return largest
    }

    /// The inputs that no output reads, as (channel, position).
    package var untouchedInputs: [InputPosition] {
        untouchedColumns.map { InputPosition(column: $0, of: kernel.geometry) }
    }

    /// The blurred y = C·x, one sample per column.
    ///
    /// - Parameter x: the clean images, `columnCount` rows each.
    /// - Returns: y = C·x, one column per image.
    /// - Throws: `DeconvolutionError.wrongSize` naming `x` when its rows differ from C's columns, `.overflow`
    ///   when the result leaves Float64, `.cholmod` when CHOLMOD fails.
    /// - Complexity: O(nnz(C) · samples) time, O(rows · samples) memory.
    public func convolve(_ x: DenseMatrix) throws(DeconvolutionError) -> DenseMatrix {
        try convolve(x, naming: "the blurred y = C·x")
    }

    /// C·x, refusing a result that overflows with a message naming it `quantity`.
    func convolve(_ x: DenseMatrix, naming quantity: String) throws(DeconvolutionError) -> DenseMatrix {
        guard x.rowCount == matrix.columnCount else {
            throw .wrongSize(field: "x", count: x.rowCount, expected: matrix.columnCount)
        }
        let y: DenseMatrix
        do throws(CholmodError) { y = try matrix.multiply(x) } catch { throw .cholmod(error) }
        guard y.values.allSatisfy(\.isFinite) else { throw .overflow(quantity: quantity) }
        return y
    }

    /// The transposed convolution Cᵀ·y, one sample per column: what a
    /// ConvTranspose layer with the same kernel gives, not an inverse.
    ///
    /// - Parameter y: blurred images, `rowCount` rows each.
    /// - Returns: Cᵀ·y, one column per image.
    /// - Throws: `DeconvolutionError.wrongSize` naming `y` when its rows differ from C's rows, `.overflow` when
    ///   the result leaves Float64, `.cholmod` when CHOLMOD fails.
    /// - Complexity: O(nnz(C) · samples) time, O(columns · samples) memory.
    public func transposedConvolution(_ y: DenseMatrix) throws(DeconvolutionError) -> DenseMatrix {
        guard y.rowCount == matrix.rowCount else {
            throw .wrongSize(field: "y", count: y.rowCount, expected: matrix.rowCount)
        }
        let result: DenseMatrix
        do throws(CholmodError) { result = try matrix.multiplyTransposed(y) } catch { throw .cholmod(error) }
        guard result.values.allSatisfy(\.isFinite) else { throw .overflow(quantity: "the transposed convolution Cᵀy") }
        return result
    }

    /// x̂ = (CᵀC + λI)⁻¹·Cᵀy for every column of `y`.
    ///
    /// - Parameter y: blurred images, `rowCount` rows each.
    /// - Returns: x̂, one column per image.
    /// - Throws: what `transposedConvolution(_:)` throws, `.cholmod` when the solve fails and `.overflow` when x̂ leaves Float64.
    /// - Complexity: O((nnz(C) + nnz(L)) · samples) time: one product with Cᵀ and two triangular solves per image; O(columns · samples) memory.
    public func recover(_ y: DenseMatrix) throws(DeconvolutionError) -> DenseMatrix {
        let right = try transposedConvolution(y)
        let solution: DenseMatrix
        do throws(CholmodError) { solution = try factor.solve(right) } catch { throw .cholmod(error) }
        guard solution.values.allSatisfy(\.isFinite) else { throw .overflow(quantity: "the deconvolution x̂") }
        return solution
    }

    private static func emptyColumns(of matrix: SparseMatrix) -> [Int] {
        let (starts, _, values) = matrix.compressedColumns
        return (0..<matrix.columnCount).filter { column in
            values[starts[column]..<starts[column + 1]].allSatisfy { $0 == 0 }
        }
    }
}
