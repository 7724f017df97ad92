/// A small seeded pseudo-random generator, so that an exercise sheet, a
/// random geometry or a data set is the same on every machine and every
/// Swift version for the same seed, and can be replayed from the seed alone.
///
/// SplitMix64 (Steele, Lea & Flood 2014) advances a 64-bit state by the
/// golden-ratio constant γ = 0x9E3779B97F4A7C15 and mixes it:
///
///     z ← state + γ;  z ← (z ⊕ z≫30)·0xBF58476D1CE4E5B9;
///     z ← (z ⊕ z≫27)·0x94D049BB133111EB;  output z ⊕ z≫31
///
/// All arithmetic wraps modulo 2⁶⁴. The standard library's `random(in:using:)`
/// is not used because its mapping from bits to ranges is not promised to
/// stay the same; `int(in:)` below is ours and fixed.
package struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The current state; the next output is derived from state + γ.
    package private(set) var state: UInt64

    /// A generator whose whole output sequence is fixed by `seed`.
    ///
    /// - Parameter seed: any 64-bit number; every seed gives a full-period sequence.
    package init(seed: UInt64) {
        state = seed
    }

    /// The next 64 pseudo-random bits.
    ///
    /// - Returns: the next output of Steele, Lea and Flood's SplitMix64, the same on every platform.
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A whole number in `range`, uniform: outputs above the largest multiple
    /// of the range's length are rejected so that no value is favoured.
    ///
    /// - Parameter range: a non-empty range of whole numbers.
    /// - Returns: a number in `range`, each equally likely.
    package mutating func int(in range: ClosedRange<Int>) -> Int {
        let length = UInt64(range.upperBound - range.lowerBound) &+ 1
        if length == 0 { return Int(truncatingIfNeeded: next()) }
        let limit = UInt64.max - UInt64.max % length
        var bits = next()
        while bits >= limit { bits = next() }
        return range.lowerBound + Int(bits % length)
    }

    /// One element of a non-empty array, each equally likely.
    ///
    /// - Parameter choices: a non-empty array.
    /// - Returns: one of its elements.
    package mutating func element<T>(of choices: [T]) -> T {
        choices[int(in: 0...(choices.count - 1))]
    }

    /// True or false with equal probability.
    ///
    /// - Returns: true or false.
    package mutating func bool() -> Bool { int(in: 0...1) == 1 }

    /// A real number in [−1, 1) with 53 random bits.
    ///
    /// - Returns: a multiple of 2⁻⁵² in [−1, 1), each equally likely.
    package mutating func signedUnit() -> Double {
        Double(next() >> 11) * 0x1p-52 - 1
    }

    /// True with probability `probability`.
    ///
    /// - Parameter probability: the chance of true, from 0 (never) to 1 (always).
    /// - Returns: true with that probability.
    package mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) * 0x1p-53 < probability
    }
}
