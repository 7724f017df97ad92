/// Where a nonzero's payload goes: its value, its kernel index, or nowhere.
protocol NonzeroSink: Sendable {
    /// Records that nonzero `index` copies kernel entry `tap`.
    func store(_ tap: Int, at index: Int)
    /// Maps the pages under `count` payloads from nonzero `first` on (see `PageAdvice.populate`).
    func populate(from first: Int, count: Int)
    /// Asks for huge pages under `count` payloads (see `PageAdvice.adviseHugePages`).
    func adviseHugePages(count: Int)
    /// Copies `count` payloads from nonzero `source` on to nonzero `target`.
    func copy(_ count: Int, from source: Int, to target: Int)
}

extension NonzeroSink {
    func populate(from first: Int, count: Int) {}
    func adviseHugePages(count: Int) {}
}

/// Stores w[tap] as the nonzero's value (the numeric matrix). Sendable because the
/// writer's threads write disjoint blocks of nonzeros and only read the weights.
struct ValueSink: NonzeroSink, @unchecked Sendable {
    let values: UnsafeMutablePointer<Double>
    let weights: UnsafePointer<Double>
    @inline(__always) func store(_ tap: Int, at index: Int) { values[index] = weights[tap] }
    func populate(from first: Int, count: Int) { PageAdvice.populate(values + first, bytes: count &* 8) }
    func adviseHugePages(count: Int) { PageAdvice.adviseHugePages(values, bytes: count &* 8) }
    @inline(__always) func copy(_ count: Int, from source: Int, to target: Int) {
        for n in 0..<count { values[target &+ n] = values[source &+ n] }
    }
}

/// Stores the kernel index itself (the symbolic matrix).
struct IndexSink: NonzeroSink, @unchecked Sendable {
    let indices: UnsafeMutablePointer<Int>
    @inline(__always) func store(_ tap: Int, at index: Int) { indices[index] = tap }
    func populate(from first: Int, count: Int) { PageAdvice.populate(indices + first, bytes: count &* 8) }
    func adviseHugePages(count: Int) { PageAdvice.adviseHugePages(indices, bytes: count &* 8) }
    @inline(__always) func copy(_ count: Int, from source: Int, to target: Int) {
        for n in 0..<count { indices[target &+ n] = indices[source &+ n] }
    }
}

/// Stores nothing (structure only).
struct NoSink: NonzeroSink {
    @inline(__always) func store(_ tap: Int, at index: Int) {}
    @inline(__always) func copy(_ count: Int, from source: Int, to target: Int) {}
}
