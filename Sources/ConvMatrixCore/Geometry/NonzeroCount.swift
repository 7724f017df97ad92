/// The number of nonzeros of C in closed form, in O(log) time per
/// dimension and overflow-checked, so that a memory estimate for an absurd
/// geometry costs nothing.
///
/// In one dimension with input size i, output size n, kernel size K,
/// stride s, dilation d and padding p before, output o reads the taps
/// 0 ≤ k < K with 0 ≤ o·s − p + k·d ≤ i − 1, that is
///
///     k_lo(o) = max(0, ⌈(p − o·s)/d⌉) ≤ k ≤ k_hi(o) = min(K − 1, ⌊(i − 1 + p − o·s)/d⌋),
///
/// and the dimension contributes P = Σ_{o=0}^{n−1} max(0, k_hi(o) − k_lo(o) + 1)
/// (tap, output) pairs (with a `PaddingMode` other than zeros, P also counts
/// the input elements the padding copies: NonzeroCount+PaddingMode.swift). Both bounds fall as o grows, so the outputs where a
/// clamp is active form a prefix or a suffix: P splits into at most three
/// ranges of o, on each of which it is a sum of ⌊(a·o + b)/m⌋ terms, summed
/// with the floor-sum recursion. The matrix then has
///
///     nnz(C) = C_out · (C_in / groups) · Π_j P_j.
package enum NonzeroCount {
    /// nnz(C) for `geometry`, or `GeometryError.overflow` if it does not fit into 64 bits.
    ///
    /// - Parameter geometry: a checked convolution.
    /// - Returns: nnz(C), the number of structural nonzeros, computed without building C.
    /// - Throws: `GeometryError.overflow` when the count does not fit into 64 bits; with a padding mode other
    ///   than zeros, `GeometryError.invalid` for a kernel so long that too many windows cross an edge.
    /// - Complexity: O(rank · log(max(i, s))) time for the floor sums, O(1) memory: it does not depend on the
    ///   size of C, so a memory estimate can refuse a huge C before it exists. A padding mode other than zeros
    ///   adds O(1) per window that crosses an edge of the data, at most O(d·(k − 1)/s) per dimension.
    package static func of(_ geometry: ConvolutionGeometry) throws(GeometryError) -> Int {
        var count = try Checked.multiply(geometry.outChannels, geometry.inChannelsPerGroup, "number of nonzeros", field: "out_channels")
        for d in 0..<geometry.spatialRank {
            let pairs = try pairsInDimension(
                mode: geometry.paddingMode, input: geometry.inputSize[d], output: geometry.outputSize[d], kernel: geometry.kernelSize[d],
                stride: geometry.stride[d], dilation: geometry.dilation[d], paddingBefore: geometry.paddingBefore[d],
                paddingAfter: geometry.paddingAfter[d], dimension: d)
            guard let fitting = Int(exactly: pairs) else { throw .overflow(field: "kernel", quantity: "number of nonzeros") }
            count = try Checked.multiply(count, fitting, "number of nonzeros", field: "input")
        }
        return count
    }

    /// P for one dimension: the (output, tap) pairs whose input position lies
    /// inside the unpadded input (formula in the type's documentation).
    package static func pairsInDimension(input i: Int, output n: Int, kernel k: Int, stride s: Int, dilation d: Int, paddingBefore p: Int) -> Int128 {
        let i = Int128(i), n = Int128(n), kMax = Int128(k) - 1, s = Int128(s), d = Int128(d), p = Int128(p)
        // Outputs outside [first, end) read no tap at all.
        let first = max(0, ceilingDivide(p - kMax * d, s))
        let end = min(n, floorDivide(i - 1 + p, s) + 1)
        if first >= end { return 0 }
        // Below fullHigh the upper bound is clamped to K − 1; from zeroLow on the lower bound is clamped to 0.
        let fullHigh = floorDivide(i - 1 + p - kMax * d, s) + 1
        let zeroLow = ceilingDivide(p, s)
        let cuts = [first, end, min(max(fullHigh, first), end), min(max(zeroLow, first), end)].sorted()
        var total: Int128 = 0
        for (lower, upper) in zip(cuts, cuts.dropFirst()) where lower < upper {
            let length = upper - lower
            let high = lower < fullHigh ? kMax * length : sumOfFloors(from: lower, to: upper, slope: -s, offset: i - 1 + p, divisor: d)
            // ⌈(p − o·s)/d⌉ = −⌊(o·s − p)/d⌋
            let low = lower >= zeroLow ? 0 : -sumOfFloors(from: lower, to: upper, slope: s, offset: -p, divisor: d)
            total += high - low + length
        }
        return total
    }

    /// Σ_{o=lower}^{upper−1} ⌊(slope·o + offset)/divisor⌋ for any signs of slope and offset, divisor > 0.
    static func sumOfFloors(from lower: Int128, to upper: Int128, slope a: Int128, offset b: Int128, divisor m: Int128) -> Int128 {
        let n = upper - lower
        // Shift to t = o − lower, and reverse t when the slope is negative.
        var slope = a, offset = a * lower + b
        if slope < 0 {
            offset += slope * (n - 1)
            slope = -slope
        }
        let whole = floorDivide(offset, m)
        return whole * n + floorSum(count: n, divisor: m, slope: slope, offset: offset - whole * m)
    }

    /// Σ_{t=0}^{n−1} ⌊(a·t + b)/m⌋ for a, b ≥ 0 and m > 0, by the Euclid-like
    /// floor-sum recursion (the one in AtCoder Library): take out ⌊a/m⌋ and
    /// ⌊b/m⌋, then swap the roles of a and m on the remaining lattice points.
    static func floorSum(count: Int128, divisor: Int128, slope: Int128, offset: Int128) -> Int128 {
        var n = count, m = divisor, a = slope, b = offset
        var result: Int128 = 0
        while true {
            if a >= m {
                result += (n * (n - 1) / 2) * (a / m)
                a %= m
            }
            if b >= m {
                result += n * (b / m)
                b %= m
            }
            let top = a * n + b
            if top < m { return result }
            n = top / m
            b = top % m
            swap(&m, &a)
        }
    }

    /// ⌊a/b⌋ for b > 0.
    static func floorDivide(_ a: Int128, _ b: Int128) -> Int128 {
        let q = a / b
        return (a % b != 0 && a < 0) ? q - 1 : q
    }

    /// ⌈a/b⌉ for b > 0.
    static func ceilingDivide(_ a: Int128, _ b: Int128) -> Int128 {
        -floorDivide(-a, b)
    }

    /// Calls `body(o, x)` for every (output, input) pair of one dimension
    /// where a kernel tap lands inside the input, x = o·s − p + k·d with
    /// 0 ≤ x < i, 0 ≤ o < n and 0 ≤ k < K — the per-dimension factor of C's
    /// nonzeros. It walks whichever side is shorter, so the cost is
    /// O(min(n, i) + P) whatever the padding, stride or dilation:
    ///
    /// - outputs: for output o the taps with x inside form one run
    ///   k_lo(o)…k_hi(o) (see the type's documentation);
    /// - inputs: for input x the taps k with x + p − k·d ≡ 0 (mod s) form an
    ///   arithmetic progression of step s / gcd(s, d), found by solving the
    ///   congruence k·(d/g) ≡ (x + p)/g (mod s/g), g = gcd(s, d), within
    ///   ⌈(x + p − (n − 1)·s)/d⌉ ≤ k ≤ ⌊(x + p)/d⌋.
    ///
    /// Pairs come in no promised order.
    package static func forEachPair(
        input i: Int, output n: Int, kernel K: Int, stride s: Int, dilation d: Int, paddingBefore p: Int,
        _ body: (_ output: Int, _ input: Int) -> Void
    ) {
        let i128 = Int128(i), n128 = Int128(n), K128 = Int128(K), s128 = Int128(s), d128 = Int128(d), p128 = Int128(p)
        if n <= i {
            for o in 0..<n {
                let shift = Int128(o) * s128 - p128
                let low = max(0, ceilingDivide(-shift, d128)), high = min(K128 - 1, floorDivide(i128 - 1 - shift, d128))
                guard low <= high else { continue }
                for k in low...high { body(o, Int(shift + k * d128)) }
            }
            return
        }
        let g = greatestCommonDivisor(s128, d128)
        let modulus = s128 / g
        let inverse = modularInverse(d128 / g, modulus)
        for x in 0..<i {
            let t = Int128(x) + p128
            guard t % g == 0 else { continue }
            let residue = ((t / g) % modulus) * inverse % modulus
            let low = max(0, ceilingDivide(t - (n128 - 1) * s128, d128)), high = min(K128 - 1, floorDivide(t, d128))
            guard low <= high else { continue }
            // The first k ≥ low with k ≡ residue (mod s/g).
            var k = low + ((residue - low) % modulus + modulus) % modulus
            while k <= high {
                body(Int((t - k * d128) / s128), x)
                k += modulus
            }
        }
    }

    /// The steps `forEachPair` takes before it finds its pairs: min(n, i).
    package static func pairSearchLength(input i: Int, output n: Int) -> Int { min(i, n) }

    /// gcd(a, b) for a, b > 0.
    static func greatestCommonDivisor(_ a: Int128, _ b: Int128) -> Int128 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    /// The inverse of a modulo m (a and m coprime, m ≥ 1), by the extended Euclidean algorithm; 0 when m = 1.
    static func modularInverse(_ a: Int128, _ m: Int128) -> Int128 {
        if m == 1 { return 0 }
        var (oldR, r) = (a % m, m)
        var (oldX, x): (Int128, Int128) = (1, 0)
        while r != 0 {
            let q = oldR / r
            (oldR, r) = (r, oldR - q * r)
            (oldX, x) = (x, oldX - q * x)
        }
        return (oldX % m + m) % m
    }
}
