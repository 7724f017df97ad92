import ConvMatrixCore

/// One way of computing the weight gradient ∂L/∂w of a convolution, as a value, so that the
/// verifier can be handed a deliberately wrong one in a test. The verifier holds it against the
/// direct loop (`directWeightGradient`) and through the dot test ⟨C(w)x, g⟩ = ⟨w, Xᵀg⟩.
package struct WeightGradientRoute: Sendable {
    /// Short name used in reports ("matrix Xᵀg").
    package let name: String
    /// Computes ∂L/∂w for the input `x` [C_in, i…] and the gradient `g` arriving at the output
    /// [C_out, o…], in PyTorch's weight order [C_out, C_in/groups, k…].
    package let apply: @Sendable (_ x: [Double], _ g: [Double], _ geometry: ConvolutionGeometry) throws(CholmodError) -> [Double]

    /// A route from its name and the computation.
    ///
    /// - Parameters:
    ///   - name: a short name shown in reports.
    ///   - apply: the computation, from x, g and the convolution to ∂L/∂w.
    package init(
        name: String, apply: @escaping @Sendable (_ x: [Double], _ g: [Double], _ geometry: ConvolutionGeometry) throws(CholmodError) -> [Double]
    ) {
        self.name = name
        self.apply = apply
    }

    /// ∂L/∂w = Xᵀ·g with SuiteSparse, X = X(x) the im2col matrix of the input (`WeightMatrix`), as
    /// `convmat run` computes `conv_weight_grad`. The corresponding CHOLMOD routine is
    /// `cholmod_l_sdmult` with its transpose flag.
    package static let matrix = WeightGradientRoute(name: "matrix Xᵀg") { x, g, geometry throws(CholmodError) in
        try SparseMatrix(weightMatrix: WeightMatrix(geometry: geometry), inputs: DenseMatrix(column: x)).multiplyTransposed(DenseMatrix(column: g)).values
    }

    /// This route made deliberately wrong, to show that the verifier catches it (`convmat verify
    /// --break-route weight-gradient`): component 0 of ∂L/∂w is moved by 2⁻²⁰·(1 + |v₀|), far more
    /// than rounding could explain.
    package var broken: WeightGradientRoute {
        let apply = self.apply
        return WeightGradientRoute(name: name + " (deliberately broken)") { x, g, geometry throws(CholmodError) in
            var dw = try apply(x, g, geometry)
            if !dw.isEmpty { dw[0] += 0x1p-20 * (1 + abs(dw[0])) }
            return dw
        }
    }
}
