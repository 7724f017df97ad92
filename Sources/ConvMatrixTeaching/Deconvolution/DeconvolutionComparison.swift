import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// The side-by-side answer to "does the transposed convolution give back the
/// original image?": blur a known x with C, then recover it twice, by
/// deconvolution x̂ = (CᵀC + λI)⁻¹·Cᵀy and by the transposed convolution Cᵀy.
/// Given only a blurred y (x unknown), the same is done without the errors against x.
///
/// All norms are Euclidean (Frobenius over a batch): ‖v‖ = √(Σ vᵢ²).
public struct DeconvolutionComparison: Sendable {
    /// The known input x, one sample per column; nil when only y was given.
    package let clean: DenseMatrix?
    /// y = C·x, or the y that was given.
    public let blurred: DenseMatrix
    /// x̂ = (CᵀC + λI)⁻¹·Cᵀy.
    public let recovered: DenseMatrix
    /// Cᵀy, the transposed convolution of y.
    public let transposed: DenseMatrix
    /// Seconds for the solve (Cᵀy and the two triangular solves), not the factorization.
    package let solveSeconds: Double
    /// Processor seconds for the same solve, summed over threads.
    package let solveProcessorSeconds: Double

    /// Convolves `clean` with the deconvolution's C and recovers it both ways.
    ///
    /// - Parameters:
    ///   - clean: the original images, one per column, so the errors of both ways can be measured.
    ///   - deconvolution: the factorized problem.
    /// - Throws: `DeconvolutionError` from the products and the solve (wrong sizes, overflow, CHOLMOD).
    public init(clean: DenseMatrix, deconvolution: Deconvolution) throws(DeconvolutionError) {
        try self.init(clean: clean, blurred: deconvolution.convolve(clean), deconvolution: deconvolution)
    }

    /// Recovers an unknown x from a given `blurred` y both ways (one sample per column).
    ///
    /// - Parameters:
    ///   - blurred: the observed images y, one per column.
    ///   - deconvolution: the factorized problem.
    /// - Throws: `DeconvolutionError` from the products and the solve (wrong sizes, overflow, CHOLMOD).
    public init(blurred: DenseMatrix, deconvolution: Deconvolution) throws(DeconvolutionError) {
        try self.init(clean: nil, blurred: blurred, deconvolution: deconvolution)
    }

    private init(clean: DenseMatrix?, blurred: DenseMatrix, deconvolution: Deconvolution) throws(DeconvolutionError) {
        let clock = ContinuousClock()
        self.clean = clean
        self.blurred = blurred
        let start = clock.now
        let processorStart = processorSeconds()
        recovered = try deconvolution.recover(blurred)
        solveProcessorSeconds = processorSeconds() - processorStart
        let duration = clock.now - start
        solveSeconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        transposed = try deconvolution.transposedConvolution(blurred)
        reconvolvedRecovered = try deconvolution.convolve(recovered, naming: "C·x̂ (for the residual)")
        reconvolvedTransposed = try deconvolution.convolve(transposed, naming: "C·Cᵀy (for the residual of the transposed convolution)")
    }

    private let reconvolvedRecovered: DenseMatrix
    private let reconvolvedTransposed: DenseMatrix

    /// ‖x‖, when x is known.
    package var cleanNorm: Double? { clean.map { euclideanNorm($0.values) } }
    /// ‖x − x̂‖: how far deconvolution lands from the truth, when x is known.
    public var recoveredError: Double? { clean.map { euclideanDistance($0.values, recovered.values) } }
    /// ‖x − Cᵀy‖: how far the transposed convolution lands from the truth, when x is known.
    public var transposedError: Double? { clean.map { euclideanDistance($0.values, transposed.values) } }
    /// ‖C·x̂ − y‖: the deconvolution's residual (0 for an exact solve, about λ‖x̂‖/σ otherwise).
    package var recoveredResidual: Double { euclideanDistance(reconvolvedRecovered.values, blurred.values) }
    /// ‖C·Cᵀy − y‖: the transposed convolution's residual.
    package var transposedResidual: Double { euclideanDistance(reconvolvedTransposed.values, blurred.values) }
}

/// ‖v‖ = √(Σ vᵢ²), scaled to avoid overflow and underflow.
func euclideanNorm(_ v: [Double]) -> Double {
    let scale = v.reduce(0) { max($0, abs($1)) }
    guard scale > 0, scale.isFinite else { return scale }
    let sum = v.reduce(0) { $0 + ($1 / scale) * ($1 / scale) }
    return scale * sum.squareRoot()
}

/// ‖a − b‖ for two arrays of the same length.
func euclideanDistance(_ a: [Double], _ b: [Double]) -> Double {
    euclideanNorm(zip(a, b).map { $0 - $1 })
}
