/// How the rows and columns of a printed matrix flatten a tensor
/// [channels, spatial…] into one index.
///
/// - `rowMajor`: the last spatial index varies fastest (NumPy, PyTorch,
///   TensorFlow; `x.flatten()`), the order of every framework and of C.
/// - `columnMajor`: the first spatial index varies fastest (MATLAB's `X(:)`,
///   Fortran, Julia), the order of MATLAB's `convmtx2`. Channels stay the
///   slowest index in both, as they are for an H×W×C array in MATLAB.
public enum MatrixOrder: String, Sendable, CaseIterable {
    /// The last index fastest: NumPy, PyTorch, TensorFlow.
    case rowMajor = "row-major"
    /// The first spatial index fastest: MATLAB, Fortran, Julia.
    case columnMajor = "column-major"
}

/// One channel block of a matrix: the rows of one output channel against
/// the columns of one input channel (of the printed operator: for Cᵀ the
/// transposed convolution's own channels).
public struct ChannelBlock: Hashable, Sendable {
    /// The output channel whose rows are printed.
    public var output: Int
    /// The input channel whose columns are printed.
    public var input: Int

    /// The block of rows of output channel `output` and columns of input channel `input`.
    ///
    /// - Parameters:
    ///   - output: the output channel whose rows are shown, from 0.
    ///   - input: the input channel whose columns are shown, from 0.
    public init(output: Int, input: Int) {
        self.output = output
        self.input = input
    }
}

extension MatrixOrder {
    /// The spatial coordinates of index `index` of a walk over `shape` in this order.
    ///
    /// - Parameters:
    ///   - index: a spatial index, 0 ..< Π shape.
    ///   - shape: the spatial size walked.
    /// - Returns: one coordinate per dimension.
    package func coordinates(of index: Int, in shape: [Int]) -> [Int] {
        switch self {
        case .rowMajor: return rowMajorCoordinates(of: index, in: shape)
        case .columnMajor: return rowMajorCoordinates(of: index, in: shape.reversed()).reversed()
        }
    }

    /// The index of `coordinates` in a walk over `shape` in this order (the inverse of `coordinates(of:in:)`).
    ///
    /// - Parameters:
    ///   - coordinates: one coordinate per dimension, each inside `shape`.
    ///   - shape: the spatial size walked.
    /// - Returns: the spatial index, 0 ..< Π shape.
    package func index(of coordinates: [Int], in shape: [Int]) -> Int {
        let dimensions = self == .rowMajor ? Array(shape.indices) : shape.indices.reversed()
        return dimensions.reduce(0) { flat, d in flat * shape[d] + coordinates[d] }
    }

    /// The row-major index, within its channel, of the element that printed
    /// row (or column) `printed` stands for, when a side of spatial size
    /// `size` is printed in this order: `printed mod volume` row-major itself,
    /// and column-major (MATLAB's `X(:)`, the first index fastest) the same
    /// position with its coordinates read the other way round. A 3×2 output
    /// printed column-major has rows (0,0), (1,0), (2,0), (0,1), (1,1), (2,1),
    /// the row-major elements 0, 2, 4, 1, 3, 5.
    ///
    /// - Parameters:
    ///   - printed: a printed row or column, counted over all channels.
    ///   - size: the spatial size of that side (every entry at least 1).
    /// - Returns: the element's row-major index in `0..<size.product`.
    package func rowMajorIndex(ofPrinted printed: Int, size: [Int]) -> Int {
        MatrixOrder.rowMajor.index(of: coordinates(of: printed % size.reduce(1, *), in: size), in: size)
    }
}
