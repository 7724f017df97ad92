import ConvMatrixCore

/// One verification: the operation and the seed its data are drawn from,
/// so that any case (in particular a failing one from a random sweep) can
/// be replayed by pasting `command`.
public struct VerificationCase: Hashable, Sendable {
    /// The operation whose matrix C is verified.
    public var convolutionOperator: ConvolutionOperator
    /// The seed of the data (weights, y, x).
    public var seed: UInt64

    /// A case for `convolutionOperator` with data drawn from `seed`.
    ///
    /// - Parameters:
    ///   - convolutionOperator: the convolution or transposed convolution to verify.
    ///   - seed: the seed of the kernel and data, printed so the case can be replayed.
    public init(_ convolutionOperator: ConvolutionOperator, seed: UInt64) {
        self.convolutionOperator = convolutionOperator
        self.seed = seed
    }
}
