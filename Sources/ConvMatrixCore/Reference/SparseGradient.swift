import _Differentiation

/// A gradient with respect to a long vector, kept as the list of its
/// contributions (index, value) and summed only when asked for.
///
/// Swift's own `Array<Double>.TangentVector` is dense: the derivative of
/// reading one element is a whole array of zeros with one entry set, and
/// automatic differentiation adds such arrays once per read, so a
/// convolution with n inputs and m reads costs O(n·m). Here the derivative
/// of reading element i is the single term (i, v), and sums append terms,
/// which keeps the backward pass O(m).
///
/// Storage is shared the way a Go slice shares its array: a value sees the
/// first `count` terms of its buffer, and `+` appends to the buffer only when
/// that value is the buffer's latest view (nobody appended after it), so
/// every value keeps meaning exactly the terms it was built from.
struct SparseGradient: AdditiveArithmetic, Differentiable {
    /// The derivative of a sum of gradients is a gradient of the same kind.
    typealias TangentVector = SparseGradient

    private var buffer: TermBuffer?
    private var count = 0

    /// The zero gradient: no terms.
    init() {}

    /// The gradient with the single contribution `value` at `index`.
    init(index: Int, value: Double) {
        buffer = TermBuffer([(index, value)])
        count = 1
    }

    private init(terms: [(index: Int, value: Double)]) {
        buffer = TermBuffer(terms)
        count = terms.count
    }

    /// The contributions, in the order they were added.
    var terms: ArraySlice<(index: Int, value: Double)> {
        buffer.map { $0.terms[0..<count] } ?? []
    }

    /// The dense gradient of length `length`: contributions to the same index summed in order.
    func dense(length: Int) -> [Double] {
        var result = [Double](repeating: 0, count: length)
        for term in terms { result[term.index] += term.value }
        return result
    }

    /// No contributions.
    static var zero: SparseGradient { SparseGradient() }

    /// All contributions of both; appends the smaller to the larger when that one may grow in place.
    static func + (lhs: SparseGradient, rhs: SparseGradient) -> SparseGradient {
        if rhs.count == 0 { return lhs }
        if lhs.count == 0 { return rhs }
        let (large, small) = lhs.count >= rhs.count ? (lhs, rhs) : (rhs, lhs)
        if let shared = large.buffer, shared.terms.count == large.count {
            shared.terms.append(contentsOf: small.terms)
            var result = large
            result.count = shared.terms.count
            return result
        }
        return SparseGradient(terms: Array(lhs.terms) + Array(rhs.terms))
    }

    /// The contributions of `lhs` and the negated contributions of `rhs`.
    static func - (lhs: SparseGradient, rhs: SparseGradient) -> SparseGradient {
        lhs + SparseGradient(terms: rhs.terms.map { ($0.index, -$0.value) })
    }

    /// Equal when every index receives the same total.
    static func == (lhs: SparseGradient, rhs: SparseGradient) -> Bool {
        var totals = [Int: Double]()
        for term in lhs.terms { totals[term.index, default: 0] += term.value }
        for term in rhs.terms { totals[term.index, default: 0] -= term.value }
        return totals.values.allSatisfy { $0 == 0 }
    }

    /// Adds `offset`'s contributions.
    mutating func move(by offset: SparseGradient) {
        self = self + offset
    }
}

/// The growable list behind `SparseGradient` values.
private final class TermBuffer {
    var terms: [(index: Int, value: Double)]
    init(_ terms: [(index: Int, value: Double)]) { self.terms = terms }
}

/// A vector of Float64 whose gradient is a `SparseGradient`: the input x of
/// the convolution that automatic differentiation differentiates.
struct DifferentiableSignal: Differentiable {
    /// The gradient type.
    typealias TangentVector = SparseGradient

    /// The entries, flattened as [C_in, spatial…].
    var values: [Double]

    /// A signal with the given entries.
    init(_ values: [Double]) { self.values = values }

    /// Moves every entry by its total contribution in `offset`.
    mutating func move(by offset: SparseGradient) {
        for term in offset.terms { values[term.index] += term.value }
    }

    /// Entry `index`. Its derivative is the projection's adjoint: a
    /// cotangent v comes back as the single contribution v at `index`.
    @differentiable(reverse)
    func element(_ index: Int) -> Double { values[index] }

    /// The derivative of `element`: its value and the pullback v ↦ (index, v).
    @derivative(of: element)
    func elementPullback(_ index: Int) -> (value: Double, pullback: (Double) -> SparseGradient) {
        (values[index], { v in SparseGradient(index: index, value: v) })
    }
}
