import ConvMatrixCore

/// One way of computing the transposed convolution z = Cᵀ·y of a kernel's
/// convolution, as a value, so that a verifier can be handed any set of
/// routes, including a deliberately wrong one in a test.
public struct TransposedConvolutionRoute: Sendable {
    /// Short name used in reports ("matrix", "scatter", …).
    public let name: String
    /// One line saying how the route computes Cᵀ·y.
    public let summary: String
    /// Computes Cᵀ·y: `y` in the convolution's output layout [C_out, o…],
    /// the result in its input layout [C_in, i…].
    public let apply: @Sendable (_ y: [Double], _ kernel: Kernel) throws(CholmodError) -> [Double]

    /// A route from its name, a one-line summary and the computation.
    ///
    /// - Parameters:
    ///   - name: a short name shown in reports ("matrix", "scatter").
    ///   - summary: one line saying how the route computes Cᵀ·y.
    ///   - apply: the computation, from y and the kernel to z = Cᵀ·y.
    public init(name: String, summary: String, apply: @escaping @Sendable (_ y: [Double], _ kernel: Kernel) throws(CholmodError) -> [Double]) {
        self.name = name
        self.summary = summary
        self.apply = apply
    }

    /// Cᵀ·y with SuiteSparse: the explicit matrix, multiplied transposed.
    /// The corresponding CHOLMOD routine is `cholmod_l_sdmult` with its transpose flag.
    public static let matrix = TransposedConvolutionRoute(
        name: "matrix", summary: "Cᵀ·y with CHOLMOD (cholmod_l_sdmult, transposed)"
    ) { y, kernel throws(CholmodError) in
        try SparseMatrix(convolution: kernel).multiplyTransposed(DenseMatrix(column: y)).values
    }

    /// The d2l picture: each element of y times the whole kernel, written at stride spacing and summed.
    public static let scatter = TransposedConvolutionRoute(
        name: "scatter", summary: "each y element times the kernel, added at stride spacing (d2l)"
    ) { y, kernel in
        scatterTransposedConvolution(y, kernel: kernel)
    }

    /// Dumoulin & Visin's equivalent direct convolution (see `ZeroInsertion`).
    public static let zeroInsertion = TransposedConvolutionRoute(
        name: "zero-insertion", summary: "zeros inserted, padded, stride-1 conv with the flipped kernel"
    ) { y, kernel in
        zeroInsertionTransposedConvolution(y, kernel: kernel)
    }

    /// The convolution's backward pass by automatic differentiation.
    public static let backwardPass = TransposedConvolutionRoute(
        name: "backward pass", summary: "∇ₓ⟨y, conv(x)⟩ by Swift automatic differentiation"
    ) { y, kernel in
        backwardPassTransposedConvolution(y, kernel: kernel)
    }

    /// This route made deliberately wrong, for showing that the verifier
    /// catches a broken route: component 0 of its result is moved by
    /// 2⁻²⁰·(1 + |z₀|), far more than rounding could explain.
    public var broken: TransposedConvolutionRoute {
        let apply = self.apply
        return TransposedConvolutionRoute(name: name, summary: summary + " (deliberately broken)") { y, kernel throws(CholmodError) in
            var z = try apply(y, kernel)
            if !z.isEmpty { z[0] += 0x1p-20 * (1 + abs(z[0])) }
            return z
        }
    }

    /// The four independent routes; the first is the reference the others are compared with.
    public static let all: [TransposedConvolutionRoute] = [.matrix, .scatter, .zeroInsertion, .backwardPass]
}
