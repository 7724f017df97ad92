import ConvMatrixCore
import ConvMatrixVerification

/// What the rounding bound of a case's answer is made of, element by element: how many terms each
/// element of the result sums, and the sum of their magnitudes. `convmat cases` writes the Float64
/// bound as `"expected.tolerance"` (`CaseGenerator`); ConvMatrixTesting's oracle scales it by the
/// implementation's arithmetic (`OracleTolerance`).
extension ConvolutionCase {
    /// Per element of `evaluate()`'s result, in PyTorch order ([N, C, spatial…], or the weight's
    /// [C_out, C_in/groups, k…] for `conv_weight_grad`): Kᵢ, the terms its sum adds, and
    /// (|A||v|)ᵢ, the sum of their magnitudes.
    ///
    /// - `conv`: A = C, v = x; Kᵢ is the taps of row i of C (every tap on a copy, under a padding
    ///   mode that copies, since an entry of C then sums several taps).
    /// - `conv_transpose`, `conv_input_grad`: A = Cᵀ, v = y; Kᵢ the taps of column i.
    /// - `conv_weight_grad`: A = Xᵀ with X the im2col matrix of the stacked batch, v = g; Kᵢ the
    ///   output positions weight entry i reads an input at, times the batch.
    /// - A `bias` is one more term, |bias[c]| in the magnitude.
    ///
    /// A sum of K products computed in any order in Float64 is within γ_K·(|A||v|)ᵢ of the exact
    /// value (Higham, §3.1), so two such computations differ by at most
    /// `RoundingBound.difference(terms: Kᵢ, magnitude: (|A||v|)ᵢ)`.
    ///
    /// - Returns: the terms and magnitudes, one of each per element of the result.
    /// - Throws: `CholmodError` when CHOLMOD cannot hold the matrix.
    /// - Complexity: O(nnz(C)·N): one sparse product and one walk over C's rows.
    package func roundingTerms() throws(CholmodError) -> (terms: [Int], magnitudes: [Double]) {
        let absoluteOperand = DenseMatrix(rowCount: operand.rowCount, columnCount: operand.columnCount, values: operand.values.map(abs))
        if operation == .convWeightGrad {
            let weights = WeightMatrix(geometry: geometry)
            let g = gradOutput?.values ?? []
            let x = try SparseMatrix(weightMatrix: weights, inputs: absoluteOperand)
            let magnitudes = try x.multiplyTransposed(DenseMatrix(rowCount: g.count, columnCount: 1, values: g.map(abs))).values
            let terms = (0..<geometry.weightCount).map { (weights.columnStarts[$0 + 1] - weights.columnStarts[$0]) * batchSize }
            return (terms, magnitudes)
        }
        // |C| term by term: the matrix of |w|, whose entries sum |w_k| over the taps that copies in the
        // padding gather into one entry (|C| itself with zero padding).
        guard let magnitudeKernel = try? Kernel(kernel.values.map(abs), geometry: geometry) else {
            preconditionFailure("ConvolutionCase: |w| does not fit the geometry")
        }
        let absolute = try SparseMatrix(convolution: magnitudeKernel)
        let forward = operation == .conv
        let magnitudes = addingBias(
            to: forward ? try absolute.multiply(absoluteOperand).values : try absolute.multiplyTransposed(absoluteOperand).values,
            magnitudes: true)
        // Terms per element of one sample: the taps that read an input element, per row of C (conv) or per
        // column (Cᵀ) — its nonzeros with zero padding, every tap on a copy with another padding mode.
        var termsPerElement = [Int](repeating: 0, count: forward ? geometry.rowCount : geometry.columnCount)
        let walked: ConvolutionOperator = forward ? .convolution(geometry) : .transposing(geometry)
        walked.forEachMatrixRow { line, entries in termsPerElement[line] = entries.count }
        let biasTerm = bias == nil ? 0 : 1
        let terms = (0..<magnitudes.count).map { termsPerElement[$0 % termsPerElement.count] + biasTerm }
        return (terms, magnitudes)
    }

    /// The largest difference from `evaluate()`'s result that a correct Float64 implementation may
    /// show, element by element in the case's layout: `RoundingBound.difference` of `roundingTerms()`
    /// — 2γ_K·(|A||v|)ᵢ, enlarged by 1 + 4γ_K because the magnitude is itself rounded. Zero where no
    /// product reaches an element.
    ///
    /// - Returns: the bounds, shaped like the result.
    /// - Throws: `CaseError.computation` when CHOLMOD cannot hold the matrix.
    package func roundingBound() throws(CaseError) -> Tensor {
        let parts: (terms: [Int], magnitudes: [Double])
        do throws(CholmodError) {
            parts = try roundingTerms()
        } catch {
            throw .computation(error.description)
        }
        let bounds = zip(parts.terms, parts.magnitudes).map { RoundingBound.difference(terms: $0, magnitude: $1) }
        return resultTensor(bounds)
    }

    /// Values shaped like the result, given in PyTorch's order ([N, C, spatial…], or the weight's
    /// [C_out, C_in/groups, k…] for `conv_weight_grad`), as a tensor in the case's layout.
    ///
    /// - Parameter values: one value per element of the result, in PyTorch's order.
    /// - Returns: the tensor the case's document or oracle shows.
    package func resultTensor(_ values: [Double]) -> Tensor {
        if operation == .convWeightGrad {
            let pytorch = Tensor(shape: geometry.weightShape, data: values)
            return layout == .pytorch ? pytorch : pytorch.permuted(Array(2..<(geometry.spatialRank + 2)) + [1, 0])
        }
        let channels = operation == .conv ? geometry.outChannels : geometry.inChannels
        let spatial = operation == .conv ? geometry.outputSize : geometry.inputSize
        let pytorch = Tensor(shape: [batchSize, channels] + spatial, data: values)
        return layout == .pytorch ? pytorch : pytorch.permuted([0] + Array(2..<(spatial.count + 2)) + [1])
    }
}
