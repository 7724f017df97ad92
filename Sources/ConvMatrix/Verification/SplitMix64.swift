/// Steele, Lea and Flood's SplitMix64 generator: a tiny, fast, seedable
/// source of 64-bit values whose output for a given seed never changes, so
/// a random geometry or data set can be replayed from its seed alone.
///
///     state ← state + 0x9E3779B97F4A7C15
///     z ← (state ⊕ (state ≫ 30)) · 0xBF58476D1CE4E5B9
///     z ← (z ⊕ (z ≫ 27)) · 0x94D049BB133111EB
///     next = z ⊕ (z ≫ 31)
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator that starts from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A whole number in `range`, by rejection-free multiply-shift (bias below 2⁻⁵⁰ for small ranges).
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(next().multipliedFullWidth(by: width).high)
    }

    /// A real number in [−1, 1) with 53 random bits.
    public mutating func signedUnit() -> Double {
        Double(next() >> 11) * 0x1p-52 - 1
    }

    /// True with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) * 0x1p-53 < probability
    }
}
