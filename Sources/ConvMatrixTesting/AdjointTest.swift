import Testing
import ConvMatrix

/// The dot test of a pair of functions claimed to be a linear map A and its
/// transpose Aᵀ (the way PyLops' `dottest` is used): for random x and y,
/// ⟨A·x, y⟩ must equal ⟨x, Aᵀ·y⟩ up to rounding.
///
/// The allowed difference is the rounding bound of the two inner products,
///
///     2γ_K · Σᵢⱼ |yᵢ||Aᵢⱼ||xⱼ|,   K = max row length + m, max column length + n (whichever is larger),
///
/// the bound `Verifier` uses for C and Cᵀ, with γ_K = K·u/(1 − K·u) and
/// u = 2⁻⁵³ (`OracleTolerance` for another format). The magnitudes |A| are
/// what a generic test cannot know: either the caller passes
/// `magnitudes`, a function computing |A|·v (for a convolution: the same
/// convolution with |w|), or the test finds |A| by applying `forward` to the
/// n unit vectors (each product then has one nonzero term and is exact).
public struct AdjointTest: Sendable, CustomStringConvertible {
    /// ⟨A·x, y⟩.
    package let forwardProduct: Double
    /// ⟨x, Aᵀ·y⟩.
    package let transposeProduct: Double
    /// The allowed |⟨A·x, y⟩ − ⟨x, Aᵀ·y⟩|.
    package let bound: Double
    /// Why the test could not compare the products (a result of the wrong length), or nil.
    package let problem: String?

    /// True when both products were computed and agree within the bound.
    public var passed: Bool { problem == nil && abs(forwardProduct - transposeProduct) <= bound }

    /// One line: both products, their difference and the bound, and the verdict.
    public var description: String {
        if let problem { return "dot test: \(problem)" }
        let difference = abs(forwardProduct - transposeProduct)
        return "dot test ⟨A·x, y⟩ = ⟨x, Aᵀ·y⟩: \(JSONWriting.number(forwardProduct)) vs \(JSONWriting.number(transposeProduct)), "
            + "|difference| \(JSONWriting.number(difference)) \(passed ? "≤" : ">") allowed \(JSONWriting.number(bound))"
            + (passed ? "" : ": the two functions are not a linear map and its transpose")
    }

    /// Runs the dot test: the products, the bound and the verdict.
    ///
    /// - Parameters:
    ///   - n: `inputCount`, the length of A's input x.
    ///   - m: `outputCount`, the length of A's output y.
    ///   - seed: the seed of x and y (uniform in [−1, 1)) unless they are given.
    ///   - x: A's input, instead of drawn numbers.
    ///   - y: Aᵀ's input, instead of drawn numbers.
    ///   - tolerance: the functions' arithmetic (default `.float64`).
    ///   - forward: the claimed A, from n numbers to m.
    ///   - transpose: the claimed Aᵀ, from m numbers to n.
    ///   - magnitudes: |A|·v for v ≥ 0, when known; without it |A| is found with n calls of `forward`.
    /// - Throws: what the functions throw.
    /// - Complexity: one call of `forward` and `transpose`, plus one of
    ///   `magnitudes` or n more of `forward`; O(n + m) memory besides.
    public init(
        inputCount n: Int, outputCount m: Int, seed: UInt64 = 1, x: [Double]? = nil, y: [Double]? = nil,
        tolerance: OracleTolerance = .float64,
        forward: ([Double]) throws -> [Double],
        transpose: ([Double]) throws -> [Double],
        magnitudes: (([Double]) throws -> [Double])? = nil
    ) throws {
        var random = SplitMix64(seed: seed)
        let x = x ?? (0..<n).map { _ in random.signedUnit() }
        let y = y ?? (0..<m).map { _ in random.signedUnit() }
        func failing(_ problem: String) -> (Double, Double, Double, String?) { (.nan, .nan, 0, problem) }
        let outcome: (Double, Double, Double, String?)
        if x.count != n || y.count != m {
            outcome = failing("x has \(x.count) numbers and y \(y.count), but A maps \(n) numbers to \(m)")
        } else {
            let ax = try forward(x), aty = try transpose(y)
            if ax.count != m {
                outcome = failing("forward returned \(ax.count) numbers for an input of \(n); it must return \(m)")
            } else if aty.count != n {
                outcome = failing("transpose returned \(aty.count) numbers for an input of \(m); it must return \(n)")
            } else {
                var scale = 0.0, terms = n + m
                let absoluteX = x.map(abs), absoluteY = y.map(abs)
                if let magnitudes {
                    scale = dot(try magnitudes(absoluteX), absoluteY)
                } else {
                    var rowLengths = [Int](repeating: 0, count: m), longestColumn = 0
                    var unit = [Double](repeating: 0, count: n)
                    for j in 0..<n {
                        unit[j] = 1
                        let column = try forward(unit)
                        unit[j] = 0
                        var length = 0
                        for i in 0..<min(m, column.count) where column[i] != 0 {
                            scale += absoluteY[i] * abs(column[i]) * absoluteX[j]
                            rowLengths[i] += 1
                            length += 1
                        }
                        longestColumn = max(longestColumn, length)
                    }
                    terms = max((rowLengths.max() ?? 0) + m, longestColumn + n)
                }
                outcome = (dot(ax, y), dot(x, aty), tolerance.bound(terms: terms, magnitude: scale), nil)
            }
        }
        (forwardProduct, transposeProduct, bound, problem) = outcome
    }
}

extension ConvolutionTestCase {
    /// The dot test of an implementation's convolution and transposed
    /// convolution (or input gradient) with this case's kernel, in the
    /// case's layout, recording an issue when it fails.
    ///
    /// `forward` maps the convolution's input (shape [N, C_in, i…] or
    /// [N, i…, C_in]) to its output, `transpose` the output back; the
    /// magnitudes come from C with |w|, so the test costs one call of each.
    ///
    /// - Parameters:
    ///   - seed: the seed of x and y.
    ///   - tolerance: the implementation's arithmetic.
    ///   - sourceLocation: where the issue is attributed.
    ///   - forward: the implementation's convolution, flat in the case's layout.
    ///   - transpose: the implementation's transpose of it.
    /// - Returns: the dot test.
    /// - Throws: what the functions throw.
    /// - Complexity: one call of `forward` and one of `transpose`, plus building C once (O(nnz(C))) for the magnitudes; O(nnz(C) + n + m) memory.
    @discardableResult
    public func verifyAdjoint(
        seed: UInt64 = 1, tolerance: OracleTolerance = .float64,
        sourceLocation: SourceLocation = #_sourceLocation,
        forward: ([Double]) throws -> [Double],
        transpose: ([Double]) throws -> [Double]
    ) throws -> AdjointTest {
        let g = convolution
        let absoluteCase = try? ConvolutionTestCase(
            operation: .conv, layout: layout, kernel: (try? Kernel(kernel.values.map(abs), geometry: g)) ?? kernel,
            operand: DenseMatrix(zerosWithRows: g.columnCount, columns: batchSize))
        let test = try AdjointTest(
            inputCount: g.columnCount * batchSize, outputCount: g.rowCount * batchSize, seed: seed, tolerance: tolerance,
            forward: forward, transpose: transpose,
            magnitudes: { v in try absoluteCase?.applying(toLayout: v) ?? [] })
        if !test.passed {
            Issue.record("\(test)\ncase: \(self)", sourceLocation: sourceLocation)
        }
        return test
    }

    /// C·v for a `conv` case, v and the result flat in the case's layout (the operand of the case is ignored).
    func applying(toLayout v: [Double]) throws(CholmodError) -> [Double] {
        let g = convolution
        let rank = g.spatialRank
        let shape = layout == .pytorch ? [batchSize, g.inChannels] + g.inputSize : [batchSize] + g.inputSize + [g.inChannels]
        let pytorch = layout == .pytorch ? v : Tensor(shape: shape, data: v).permuted([0, rank + 1] + Array(1...rank)).data
        let result = try SparseMatrix(convolution: kernel).multiply(
            DenseMatrix(rowCount: g.columnCount, columnCount: batchSize, values: pytorch)
        ).values
        return inLayout(result).data
    }
}

private func dot(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for (p, q) in zip(a, b) { sum += p * q }
    return sum
}
