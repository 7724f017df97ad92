import ConvMatrixCore

/// What the spectrum means for one convolution, in numbers: Cᵀ against C⁺ on one input, and
/// ‖C‖₂ against the norm spectral normalisation divides by.
package struct SpectrumStory: Hashable, Sendable {
    /// ‖x‖ of the input used (uniform in [−1, 1], seed `inputSeed`).
    package let inputNorm: Double
    /// ‖x − Cᵀ(C·x)‖: what the transposed convolution leaves of x.
    package let transposeResidual: Double
    /// ‖x − C⁺(C·x)‖, with C⁺ = VΣ⁺Uᵀ from the dense SVD; nil when C is beyond the dense bound.
    /// It is 0 up to rounding when C has full column rank, and otherwise the part of x in C's null space.
    package let pseudoInverseResidual: Double?
    /// The numerical rank of C used for C⁺: singular values above max(rows, columns)·ε·σ_max
    /// (numpy's `matrix_rank` rule); nil with `pseudoInverseResidual`.
    package let rank: Int?
    /// ‖W‖₂ of the weight reshaped to C_out × (C_in/groups·k), what spectral normalisation as
    /// Miyato et al. (2018) implement it (and PyTorch's `spectral_norm`) divides by.
    package let reshapedWeightNorm: Double

    /// The seed of the input x.
    package static let inputSeed: UInt64 = 9

    /// The numbers for `kernel`'s C.
    ///
    /// - Parameters:
    ///   - kernel: weights and geometry.
    ///   - pseudoInverse: whether to compute C⁺ by the dense SVD with vectors (`memoryEstimate(_:)`).
    /// - Throws: `GeometryError.invalid` on `route` when CHOLMOD or LAPACK fails.
    package init(_ kernel: Kernel, pseudoInverse: Bool) throws(GeometryError) {
        let geometry = kernel.geometry
        let matrix = try runCholmod { () throws(CholmodError) in try SparseMatrix(convolution: kernel) }
        var random = SplitMix64(seed: Self.inputSeed)
        let x = (0..<geometry.columnCount).map { _ in random.signedUnit() }
        let back = try runCholmod { () throws(CholmodError) in try matrix.multiplyTransposed(matrix.multiply(DenseMatrix(column: x))).values }
        inputNorm = Self.norm(x)
        transposeResidual = Self.norm(zip(x, back).map { $0 - $1 })
        // Spectral normalisation's matrix: row-major [C_out, C_in/groups·k] is column-major Wᵀ, with the same values.
        let width = geometry.weightCount / max(geometry.outChannels, 1)
        var weights = kernel.values
        reshapedWeightNorm = try Lapack.singularValues(of: &weights, rows: width, columns: geometry.outChannels).values.first ?? 0
        guard pseudoInverse, Spectrum.denseRefusal(geometry) == nil else {
            (pseudoInverseResidual, rank) = (nil, nil)
            return
        }
        var dense = try Spectrum.denseMatrix(kernel)
        let (m, n) = (geometry.rowCount, geometry.columnCount)
        let svd = try Lapack.singularValues(of: &dense, rows: m, columns: n, rightVectors: true)
        let cutoff = Double(max(m, n)) * Double.ulpOfOne * (svd.values.first ?? 0)
        let r = svd.values.filter { $0 > cutoff }.count
        // C⁺(C·x) = Σ_{i<r} v_i (v_iᵀ x): the projection of x onto C's row space.
        let k = svd.values.count
        var projection = [Double](repeating: 0, count: n)
        for i in 0..<r {
            var dot = 0.0
            for j in 0..<n { dot += svd.vt[j * k + i] * x[j] }
            for j in 0..<n { projection[j] += dot * svd.vt[j * k + i] }
        }
        pseudoInverseResidual = Self.norm(zip(x, projection).map { $0 - $1 })
        rank = r
    }

    /// The Euclidean norm.
    static func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}

extension SpectrumStory {
    /// The peak memory of the story on `geometry`: the dense route's, plus U and Vᵀ (m·k and k·n doubles).
    package static func memoryEstimate(_ geometry: ConvolutionGeometry) -> MemoryEstimate {
        let dense = Spectrum.memoryEstimate(geometry, route: .dense)
        let (m, n) = (geometry.rowCount, geometry.columnCount)
        let vectors = Checked.saturating { () throws(GeometryError) in try Checked.multiply(min(m, n), m + n, "singular vectors") }
        return MemoryEstimate(Array(dense.parts.dropFirst()) + [MemoryEstimate.items("singular vectors U and Vᵀ", count: vectors, bytesEach: 8)])
    }
}
