/// The per-dimension factor of nnz(C) when the padding holds copies of input
/// elements (`PaddingMode` reflect, replicate, circular).
///
/// In one dimension, output o reads the K padded positions q_k = o·s + k·d,
/// 0 ≤ k < K, and C has an entry (o, x) for every distinct input element x
/// among their sources. The taps fall into three runs: before the data
/// (q < p_before), inside it, and after it (q ≥ p_before + i). Each run's
/// sources form an arithmetic progression of step d — inside x = q − p_before,
/// reflected x = p_before − q or 2(i − 1) + p_before − q, wrapped
/// x = q − p_before ± i — or, under replicate, a single edge element. So
///
///     distinct(o) = |I ∪ B ∪ A| = |I| + |B| + |A| − |I∩B| − |I∩A| − |B∩A| + |I∩B∩A|,
///
/// each intersection of two progressions of one step again a progression.
/// Summed over the outputs, P = P_zeros + Σ_o (distinct(o) − |I(o)|), where
/// P_zeros counts the taps inside the data (`NonzeroCount.pairsInDimension`).
/// Only windows that reach into the padding add anything: a window wholly in
/// one padding adds K (reflect, circular: the map is one-to-one there) or 1
/// (replicate), counted in closed form; a window across an edge of the data
/// is counted alone, at most (K − 1)·d/s + 1 of them per edge.
extension NonzeroCount {
    /// The most windows across an edge of the data that one dimension's count visits.
    package static let edgeWindowLimit = 1 << 24

    /// P for one dimension under `mode`: the distinct (output, input) pairs.
    ///
    /// - Parameters:
    ///   - mode: what fills the padding.
    ///   - i: the input's size in this dimension.
    ///   - n: the output's size.
    ///   - k: the kernel's taps.
    ///   - s: the stride.
    ///   - d: the dilation.
    ///   - p: the padding before the data.
    ///   - after: the padding after the data.
    ///   - dimension: the dimension, for the refusal.
    /// - Returns: the count, exactly.
    /// - Throws: `GeometryError.invalid` naming `kernel[dimension]` when more than `edgeWindowLimit`
    ///   windows reach across an edge.
    package static func pairsInDimension(
        mode: PaddingMode, input i: Int, output n: Int, kernel k: Int, stride s: Int, dilation d: Int,
        paddingBefore p: Int, paddingAfter after: Int, dimension: Int
    ) throws(GeometryError) -> Int128 {
        let inside = pairsInDimension(input: i, output: n, kernel: k, stride: s, dilation: d, paddingBefore: p)
        if mode == .zeros || (p == 0 && after == 0) { return inside }
        let i = Int128(i), n = Int128(n), K = Int128(k), s = Int128(s), d = Int128(d), p = Int128(p)
        let reach = (K - 1) * d
        // Windows wholly before the data (o·s + reach < p) or wholly after it (o·s ≥ p + i).
        let wholeBefore = min(n, max(0, ceilingDivide(p - reach, s)))
        let wholeAfter = n - min(n, max(0, ceilingDivide(p + i, s)))
        let perWholeWindow: Int128 = mode == .replicate ? 1 : K
        var total = inside + (wholeBefore + wholeAfter) * perWholeWindow
        // Windows across the first edge (o·s < p ≤ o·s + reach) or the last (o·s < p + i ≤ o·s + reach).
        let first = (wholeBefore, min(n, max(0, ceilingDivide(p, s))))
        let last = (min(n, max(0, ceilingDivide(p + i - reach, s))), min(n, max(0, ceilingDivide(p + i, s))))
        var ranges = [first, last].filter { $0.0 < $0.1 }.sorted { $0.0 < $1.0 }
        if ranges.count == 2 && ranges[1].0 <= ranges[0].1 { ranges = [(ranges[0].0, max(ranges[0].1, ranges[1].1))] }
        let visited = ranges.reduce(Int128(0)) { $0 + $1.1 - $1.0 }
        if visited > Int128(edgeWindowLimit) {
            throw .invalid(
                field: "kernel[\(dimension)]",
                reason:
                    "spans so far that \(visited) windows of dimension \(dimension) reach across an edge of the input; with \(field: "padding_mode") \(mode.rawValue) ConvMatrix counts C's entries for at most \(edgeWindowLimit) such windows; use a smaller kernel or dilation, or a larger stride"
            )
        }
        for (lower, upper) in ranges {
            var o = lower
            while o < upper {
                let window = EdgeWindow(start: o * s, input: i, kernel: K, dilation: d, paddingBefore: p)
                total += window.distinctSources(mode) - window.inside.count
                o += 1
            }
        }
        return total
    }
}

/// The sources of one window's taps, run by run (see `NonzeroCount`'s padding-mode extension).
private struct EdgeWindow {
    /// The taps inside the data, as input positions.
    let inside: Progression
    /// The taps before the data: their number and their padded positions' progression.
    let before: Progression
    /// The taps after the data.
    let after: Progression
    let input: Int128, paddingBefore: Int128

    /// The window starting at padded position `start`, its taps split at the edges.
    init(start a: Int128, input i: Int128, kernel K: Int128, dilation d: Int128, paddingBefore p: Int128) {
        input = i
        paddingBefore = p
        let firstInside = max(0, NonzeroCount.ceilingDivide(p - a, d))
        let lastInside = min(K - 1, NonzeroCount.floorDivide(p + i - 1 - a, d))
        let firstAfter = max(0, NonzeroCount.ceilingDivide(p + i - a, d))
        // Padded positions q = a + k·d of each run.
        before = Progression(first: a, step: d, count: min(K, firstInside))
        inside = Progression(first: a + firstInside * d - p, step: d, count: max(0, lastInside - firstInside + 1))
        after = Progression(first: a + firstAfter * d, step: d, count: max(0, K - firstAfter))
    }

    /// |I ∪ B ∪ A| for the sources of the runs under `mode`.
    func distinctSources(_ mode: PaddingMode) -> Int128 {
        let i = input, p = paddingBefore
        let b: Progression, a: Progression
        switch mode {
        case .zeros:
            return inside.count
        case .reflect:
            // q ↦ p − q before the data and q ↦ 2(i − 1) + p − q after it: the runs reversed.
            b = before.mapped { p - $0 }
            a = after.mapped { 2 * (i - 1) + p - $0 }
        case .circular:
            b = before.mapped { $0 - p + i }
            a = after.mapped { $0 - p - i }
        case .replicate:
            b = Progression(first: 0, step: 1, count: before.count > 0 ? 1 : 0)
            a = Progression(first: i - 1, step: 1, count: after.count > 0 ? 1 : 0)
        }
        let ib = inside.intersection(b), ia = inside.intersection(a), ba = b.intersection(a)
        return inside.count + b.count + a.count - ib.count - ia.count - ba.count + ib.intersection(a).count
    }
}

/// The whole numbers first, first + step, …, first + (count − 1)·step (empty when count is 0).
private struct Progression {
    let first: Int128, step: Int128, count: Int128

    var last: Int128 { first + step * (count - 1) }

    /// The same numbers under an affine map of slope ±1, as a progression again (reversed if the slope is −1).
    func mapped(_ map: (Int128) -> Int128) -> Progression {
        guard count > 0 else { return self }
        let (x, y) = (map(first), map(last))
        return Progression(first: min(x, y), step: step, count: count)
    }

    func contains(_ value: Int128) -> Bool {
        guard count > 0, value >= first, value <= last else { return false }
        return count == 1 ? value == first : (value - first) % step == 0
    }

    /// The numbers in both; both progressions have the same step unless one holds at most one number.
    func intersection(_ other: Progression) -> Progression {
        if count == 0 || other.count == 0 { return Progression(first: 0, step: 1, count: 0) }
        if count == 1 { return other.contains(first) ? self : Progression(first: 0, step: 1, count: 0) }
        if other.count == 1 { return contains(other.first) ? other : Progression(first: 0, step: 1, count: 0) }
        precondition(step == other.step, "Progression.intersection: different steps")
        let low = max(first, other.first), high = min(last, other.last)
        guard low <= high, (first - other.first) % step == 0 else { return Progression(first: 0, step: 1, count: 0) }
        return Progression(first: low, step: step, count: (high - low) / step + 1)
    }
}
