import ConvMatrix

/// An implementation's output judged against the oracle: C·x or Cᵀ·y
/// computed with SuiteSparse, element by element within the rounding bound
/// (`OracleTolerance`).
public struct OracleComparison: Sendable, CustomStringConvertible {
    /// One element outside its bound.
    public struct Difference: Hashable, Sendable {
        /// Position in the flat output (row-major, in the case's layout).
        public let flatIndex: Int
        /// The same position as a multi-index of the output shape, e.g. [0, 1, 2, 0].
        public let index: [Int]
        /// C's value.
        public let expected: Double
        /// The implementation's value.
        public let actual: Double
        /// The largest |actual − expected| the rounding bound allows there.
        public let bound: Double
        /// The products summed for this element (nonzeros of its row of C, or column for Cᵀ).
        package let terms: Int
    }

    /// The case the output was computed for.
    package let testCase: ConvolutionTestCase
    /// The right answer, through C, in the case's layout.
    package let expected: Tensor
    /// The implementation's output, flat.
    package let actual: [Double]
    /// The allowed difference of every element.
    package let bounds: [Double]
    /// The first element (in flat order) outside its bound, or nil.
    public let firstDifference: Difference?
    /// How many elements are outside their bounds.
    package let differenceCount: Int
    /// Why the output could not be compared element by element (wrong length or shape), or nil.
    package let shapeProblem: String?

    /// True when the output has the right shape and every element is within its bound.
    public var passed: Bool { shapeProblem == nil && firstDifference == nil }

    /// What went wrong, in a few lines (or one line saying it passed): the
    /// case, the first differing element with both values and the bound,
    /// and what the bound is.
    public var description: String {
        let name = testCase.operation == .conv ? "C·x" : testCase.operation == .convWeightGrad ? "Xᵀ·g" : "Cᵀ·y"
        if let shapeProblem {
            return "\(testCase.operation.rawValue) output \(shapeProblem)\ncase: \(testCase)"
        }
        guard let first = firstDifference else {
            return "\(testCase.operation.rawValue) output agrees with \(name) in all \(actual.count) elements"
        }
        let position = first.index.map(String.init).joined(separator: ", ")
        let axes = testCase.layout == .pytorch ? "N, C, spatial…" : "N, spatial…, C"
        return """
            \(testCase.operation.rawValue) output differs from \(name) (ConvMatrix) in \(differenceCount) of \(actual.count) elements; \
            the first is output[\(position)] ([\(axes)], flat index \(first.flatIndex)): \
            expected \(JSONWriting.number(first.expected)), got \(JSONWriting.number(first.actual)), \
            |difference| \(JSONWriting.number(abs(first.actual - first.expected))) > allowed \(JSONWriting.number(first.bound)) \
            (\(first.terms == 0 ? "no product reaches this element, so it is exactly 0" : "the rounding bound of a sum of \(first.terms) product\(first.terms == 1 ? "" : "s")"))
            case: \(testCase)
            """
    }
}

extension ConvolutionTestCase {
    /// The correct output, computed through C: C·x for `conv`, Cᵀ·y for the
    /// transposed operations (CHOLMOD's `cholmod_l_sdmult`), in the case's layout.
    ///
    /// - Returns: the output tensor, of shape `outputShape`.
    /// - Throws: `CholmodError` when CHOLMOD cannot hold C (out of memory).
    /// - Complexity: O(nnz(C)·N).
    public func expectedOutput() throws(CholmodError) -> Tensor {
        if operation == .convWeightGrad { return inLayout(try weightGradient()) }
        let matrix = try SparseMatrix(convolution: kernel)
        let operand = convolutionCase.operand
        let values = operation == .conv ? try matrix.multiply(operand).values : try matrix.multiplyTransposed(operand).values
        return inLayout(convolutionCase.addingBias(to: values))
    }

    /// Judges an implementation's output against C, element by element.
    ///
    /// Element i may differ from C's value by `tolerance.bound(terms: Kᵢ,
    /// magnitude: (|C||x|)ᵢ)` — the rounding bound of a sum of Kᵢ products,
    /// Kᵢ being the nonzeros of row i of C (column i for the transposed
    /// operations, with |C|ᵀ|y|) — and by nothing more; NaN and infinities
    /// never agree.
    ///
    /// - Parameters:
    ///   - output: the implementation's output, flat, row-major in the case's layout.
    ///   - shape: the output's shape, when the implementation reports one; it must equal `outputShape`.
    ///   - tolerance: the implementation's arithmetic (default `.float64`).
    /// - Returns: the comparison; `passed` says whether it agrees.
    /// - Throws: `CholmodError` when CHOLMOD cannot hold C.
    /// - Complexity: O(nnz(C)·N): two sparse products and one pass over the output.
    public func compare(
        _ output: [Double], shape: [Int]? = nil,
        tolerance: OracleTolerance = .float64
    ) throws(CholmodError) -> OracleComparison {
        let values: [Double]
        if operation == .convWeightGrad {
            values = try weightGradient()
        } else {
            let matrix = try SparseMatrix(convolution: kernel)
            let operand = convolutionCase.operand
            values = convolutionCase.addingBias(to: operation == .conv ? try matrix.multiply(operand).values : try matrix.multiplyTransposed(operand).values)
        }
        // Kᵢ and (|C||x|)ᵢ (|C|ᵀ|y|, |X|ᵀ|g|), with a bias as one more term.
        let (terms, magnitudes) = try convolutionCase.roundingTerms()
        let bounds = zip(terms, magnitudes).map { tolerance.bound(terms: $0, magnitude: $1) }
        return judge(output, shape: shape, values: values, bounds: bounds, terms: terms)
    }

    /// X(x)ᵀ·g in PyTorch's weight order.
    func weightGradient() throws(CholmodError) -> [Double] {
        let g = convolutionCase.gradOutput?.values ?? []
        let x = try SparseMatrix(weightMatrix: WeightMatrix(geometry: kernel.geometry), inputs: convolutionCase.operand)
        return try x.multiplyTransposed(DenseMatrix(rowCount: g.count, columnCount: 1, values: g)).values
    }

    /// The comparison of `output` with `values`, `bounds` and `terms` given in PyTorch order.
    func judge(_ output: [Double], shape: [Int]?, values: [Double], bounds: [Double], terms: [Int]) -> OracleComparison {
        let expected = inLayout(values)
        let layoutBounds = inLayout(bounds).data
        let layoutTerms = layout == .pytorch ? terms : inLayout(terms.map(Double.init)).data.map { Int($0) }

        if let shape, shape != outputShape {
            return OracleComparison(
                testCase: self, expected: expected, actual: output, bounds: layoutBounds, firstDifference: nil,
                differenceCount: 0, shapeProblem: "has shape \(shape), but the right shape is \(outputShape)")
        }
        guard output.count == expected.data.count else {
            return OracleComparison(
                testCase: self, expected: expected, actual: output, bounds: layoutBounds, firstDifference: nil,
                differenceCount: 0, shapeProblem: "has \(output.count) elements, but the right shape \(outputShape) has \(expected.data.count)")
        }
        var first: OracleComparison.Difference?
        var count = 0
        for i in 0..<output.count {
            let difference = abs(output[i] - expected.data[i])
            if difference <= layoutBounds[i] { continue }  // false for NaN
            count += 1
            if first == nil {
                first = OracleComparison.Difference(
                    flatIndex: i, index: rowMajorCoordinates(of: i, in: outputShape), expected: expected.data[i], actual: output[i],
                    bound: layoutBounds[i], terms: layoutTerms[i])
            }
        }
        return OracleComparison(
            testCase: self, expected: expected, actual: output, bounds: layoutBounds,
            firstDifference: first, differenceCount: count, shapeProblem: nil)
    }

    /// Values of the output in PyTorch order ([N, C, spatial…]) as a tensor in the case's layout.
    func inLayout(_ values: [Double]) -> Tensor { convolutionCase.resultTensor(values) }
}
