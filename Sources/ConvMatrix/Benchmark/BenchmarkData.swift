/// Reproducible pseudo-random numbers in [−1, 1) for benchmark operands
/// (SplitMix64), so that every run times the same data.
struct BenchmarkData {
    private var state: UInt64

    /// A stream that starts from `seed`.
    init(seed: UInt64) { state = seed }

    /// The next `count` numbers in [−1, 1).
    mutating func numbers(_ count: Int) -> [Double] {
        (0..<count).map { _ in nextUnit() }
    }

    private mutating func nextUnit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(UInt64(1) << 52) - 1
    }
}
