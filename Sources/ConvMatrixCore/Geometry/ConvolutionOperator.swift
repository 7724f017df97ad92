/// One linear map of ConvMatrix: a convolution y = C·x, or a transposed
/// convolution z = Cᵀ·y. Everything that prints, draws, compares or
/// verifies a matrix takes this value, so "C or Cᵀ" is decided in one place.
///
/// Both cases are built from the same matrix C: the convolution's own, or
/// for a transposed convolution the C of the convolution it transposes
/// (`TransposedConvolutionGeometry.convolution`). The operator's matrix is
/// C itself or Cᵀ; its rows are the operator's outputs and its columns its
/// inputs, each flattened as [channels, spatial…] in row-major order.
public enum ConvolutionOperator: Hashable, Sendable {
    /// y = C·x.
    case convolution(ConvolutionGeometry)
    /// z = Cᵀ·y, where C is the matrix of `geometry.convolution`.
    case transposed(TransposedConvolutionGeometry)

    /// The transposed convolution whose matrix is Cᵀ for the convolution
    /// `geometry` (see `TransposedConvolutionGeometry(transposing:)`).
    ///
    /// - Parameter geometry: the convolution whose C is transposed.
    /// - Returns: `.transposed` of `TransposedConvolutionGeometry(transposing: geometry)`; it exists for every convolution, so nothing is thrown.
    public static func transposing(_ geometry: ConvolutionGeometry) -> ConvolutionOperator {
        .transposed(TransposedConvolutionGeometry(transposing: geometry))
    }

    /// The convolution whose matrix C is built: the operator itself, or the
    /// convolution a transposed operator transposes.
    public var convolution: ConvolutionGeometry {
        switch self {
        case .convolution(let geometry): return geometry
        case .transposed(let geometry): return geometry.convolution
        }
    }

    /// True for a transposed convolution (the matrix is Cᵀ).
    public var isTransposed: Bool {
        if case .transposed = self { return true }
        return false
    }

    /// "convolution" or "transposed convolution".
    package var name: String { isTransposed ? "transposed convolution" : "convolution" }

    /// "C" or "Cᵀ".
    public var matrixName: String { isTransposed ? "Cᵀ" : "C" }

    /// "y = C·x" or "z = Cᵀ·y": the letters the rows and columns are labelled with.
    public var equation: String { "\(outputLetter) = \(matrixName)·\(inputLetter)" }

    /// The letter of the operator's input: x for a convolution, y for a transposed one.
    package var inputLetter: String { isTransposed ? "y" : "x" }

    /// The letter of the operator's output: y for a convolution, z for a transposed one.
    package var outputLetter: String { isTransposed ? "z" : "y" }

    /// Rows of the operator's matrix: outputs, channels × spatial positions.
    public var rowCount: Int { isTransposed ? convolution.columnCount : convolution.rowCount }

    /// Columns of the operator's matrix: inputs, channels × spatial positions.
    public var columnCount: Int { isTransposed ? convolution.rowCount : convolution.columnCount }

    /// Spatial size of the operator's input.
    public var inputSize: [Int] { isTransposed ? convolution.outputSize : convolution.inputSize }

    /// Spatial size of the operator's output.
    public var outputSize: [Int] { isTransposed ? convolution.inputSize : convolution.outputSize }

    /// Channels of the operator's input.
    public var inChannels: Int { isTransposed ? convolution.outChannels : convolution.inChannels }

    /// Channels of the operator's output.
    public var outChannels: Int { isTransposed ? convolution.inChannels : convolution.outChannels }

    /// The operator's input shape, [channels, spatial…].
    package var inputShape: [Int] { [inChannels] + inputSize }

    /// The operator's output shape, [channels, spatial…].
    public var outputShape: [Int] { [outChannels] + outputSize }

    /// Where entry (`row`, `column`) of C appears in the operator's matrix: the
    /// same place for a convolution, the mirrored one for Cᵀ (mirroring is its
    /// own inverse, so the same call maps an entry of Cᵀ back to C).
    ///
    /// - Returns: the row and column in the operator's matrix.
    /// - Parameters:
    ///   - row: a row of C.
    ///   - column: a column of C.
    public func position(ofMatrixEntry row: Int, _ column: Int) -> (row: Int, column: Int) {
        isTransposed ? (column, row) : (row, column)
    }
}
