/// For one spatial dimension, which (output position, kernel tap) pairs read
/// each input position: the pairs (o, k) with o·s − p_before + k·d = x,
/// 0 ≤ o < out and 0 ≤ k < kernel, listed by increasing o.
///
/// Listing by increasing o makes the row indices of every column of C come
/// out sorted, so the compressed-column arrays can be written in one pass.
struct TapTable {
    /// `start[x] ..< start[x + 1]` are the pairs that read input position x.
    let start: [Int]
    /// Output position of each pair.
    let output: [Int]
    /// Kernel tap of each pair.
    let tap: [Int]

    init(input: Int, output outputSize: Int, kernel: Int, stride: Int, dilation: Int, paddingBefore: Int) {
        var start = [Int](repeating: 0, count: input + 1)
        var output = [Int](), tap = [Int]()
        for x in 0..<input {
            start[x] = output.count
            // Larger taps reach x from earlier outputs, so walk the taps downwards.
            for k in Swift.stride(from: kernel - 1, through: 0, by: -1) {
                let shifted = x + paddingBefore - k * dilation
                guard shifted >= 0, shifted % stride == 0 else { continue }
                let o = shifted / stride
                guard o < outputSize else { continue }
                output.append(o)
                tap.append(k)
            }
        }
        start[input] = output.count
        self.start = start
        self.output = output
        self.tap = tap
    }

    /// For each input position x, whether its pairs are those of x − period
    /// with every output position one larger and the same taps. With
    /// period = stride this holds for every x away from the borders
    /// ((x + p − k·d)/s grows by exactly 1), so the writer copies such a
    /// column from `period` columns back instead of recomputing it.
    func repeatsShifted(period: Int) -> [Bool] {
        let input = start.count - 1
        return (0..<input).map { x in
            guard x >= period else { return false }
            let here = start[x]..<start[x + 1], earlier = start[x - period]..<start[x - period + 1]
            guard here.count == earlier.count, !here.isEmpty else { return false }
            return zip(here, earlier).allSatisfy { output[$0] == output[$1] + 1 && tap[$0] == tap[$1] }
        }
    }
}
