/// A tap table whose output positions and taps are already multiplied by
/// the row-major strides of the output and of the kernel.
struct ScaledTable {
    /// `start[x] ..< start[x + 1]` are the entries that read input position x.
    let start: [Int]
    /// Output position times its stride in the output volume.
    let row: [Int]
    /// Kernel tap times its stride in the kernel volume.
    let tap: [Int]
    /// Whether input position x repeats x − period one output further (see `TapTable.repeatsShifted`).
    let repeats: [Bool]

    /// The scaled table; `period` (the stride) enables the repeat flags, nil leaves them all false.
    init(_ table: TapTable, rowStride: Int, tapStride: Int, period: Int?) {
        start = table.start
        repeats = period.map { table.repeatsShifted(period: $0) } ?? [Bool](repeating: false, count: table.start.count - 1)
        // A trailing 0 keeps the arrays non-empty so their base addresses exist.
        row = table.output.map { $0 &* rowStride } + [0]
        tap = table.tap.map { $0 &* tapStride } + [0]
    }

    /// Unchecked pointers to the three arrays, valid inside `body`.
    struct Pointers: @unchecked Sendable {
        let start: UnsafePointer<Int>
        let row: UnsafePointer<Int>
        let tap: UnsafePointer<Int>
        let repeats: UnsafePointer<Bool>
    }

    /// Runs `body` with pointers to the arrays, which stay alive meanwhile.
    func withPointers<Result>(_ body: (Pointers) -> Result) -> Result {
        start.withUnsafeBufferPointer { s in
            row.withUnsafeBufferPointer { r in
                tap.withUnsafeBufferPointer { t in
                    repeats.withUnsafeBufferPointer { p in
                        body(Pointers(start: s.baseAddress!, row: r.baseAddress!, tap: t.baseAddress!, repeats: p.baseAddress!))
                    }
                }
            }
        }
    }
}
