/// The peak memory a piece of work will need, estimated from its sizes
/// before anything is allocated, part by part: what the guard
/// (`MemoryBudget`) compares with a limit, and what its refusal itemises.
///
/// Every estimate includes the running program itself (`processBytes`, the
/// resident set of `convmat` before it works: Swift's runtime, Foundation,
/// CHOLMOD and the BLAS), so that the total is comparable with the peak
/// resident set a system monitor shows. Sums that do not fit into 64 bits
/// saturate at `Int.max` (`Checked.saturating`), which no limit reaches, so
/// an absurd geometry is refused rather than wrapped around.
///
/// The parts that the operations of the library need are made by the
/// static functions below; each operation's own estimate (a product, a
/// verification, a printed matrix, a picture, a parsed case file) is a
/// method of its type, so that the rule lives beside the code it describes.
public struct MemoryEstimate: Hashable, Sendable {
    /// One thing held in memory and its size.
    package struct Part: Hashable, Sendable {
        /// What it is, for the refusal: "C in CHOLMOD", "vectors".
        package let name: String
        /// Bytes.
        package let bytes: Int

        /// A part of `bytes` bytes.
        ///
        /// - Parameters:
        ///   - name: what the bytes hold, as a message lists it ("C", "operand").
        ///   - bytes: the part's size; `Checked` arithmetic produced it, so it does not overflow.
        package init(_ name: String, bytes: Int) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// The resident set of the running program before any work: 20 MiB
    /// (measured for `convmat`: 17.5–18.5 MiB on Debian 12 with Swift 6.3).
    package static let processBytes = 20 << 20

    /// The parts, the program itself first.
    package let parts: [Part]

    /// Nonzeros of C, when the estimate is about one convolution's C (0 otherwise).
    package let nonzeroCount: Int

    /// An estimate of `parts` and the program itself.
    ///
    /// - Parameters:
    ///   - parts: the allocations that live at the same time.
    ///   - nonzeroCount: nnz(C) of the matrix involved, shown beside the bytes; 0 when none is built.
    package init(_ parts: [Part], nonzeroCount: Int = 0) {
        self.parts = [Part("the program itself", bytes: Self.processBytes)] + parts
        self.nonzeroCount = nonzeroCount
    }

    /// The estimate for building `geometry`'s C and multiplying with it,
    /// `samples` columns at a time: C itself (`matrix(_:)`) and the operand,
    /// CHOLMOD's copy and the result of a product (`vectors`).
    ///
    /// - Parameters:
    ///   - geometry: the convolution whose C is built.
    ///   - samples: how many columns each product operand has.
    public init(_ geometry: ConvolutionGeometry, samples: Int = 1) {
        self.init(Self.building(geometry) + [Self.products(geometry, samples: samples)], nonzeroCount: geometry.nonzeroCount)
    }

    /// Everything, in bytes.
    public var totalBytes: Int {
        Checked.saturating { () throws(GeometryError) in try Checked.sum(parts.map(\.bytes), "bytes") }
    }

    /// The parts other than the program itself, largest first, with their sizes: "C in CHOLMOD 9 MiB, …".
    package var itemised: String {
        parts.dropFirst().sorted { $0.bytes > $1.bytes }
            .map { "\($0.name) \(MemoryBudget.formatBytes($0.bytes))" }.joined(separator: ", ")
    }

    /// C in CHOLMOD's compressed columns: one 8-byte row index and one
    /// 8-byte value per nonzero and n_cols + 1 column pointers,
    /// 16·nnz + 8·(n_cols + 1).
    ///
    /// - Parameter geometry: the convolution whose C is stored.
    /// - Returns: the part named for C, 16·nnz + 8·(n_cols + 1) bytes.
    package static func matrix(_ geometry: ConvolutionGeometry) -> Part {
        Part(
            "C (\(geometry.nonzeroCount) nonzeros)",
            bytes: Checked.saturating { () throws(GeometryError) in
                try Checked.add(
                    try Checked.multiply(16, geometry.nonzeroCount, "bytes"),
                    try Checked.multiply(8, try Checked.add(geometry.columnCount, 1, "bytes"), "bytes"), "bytes")
            })
    }

    /// Building C: C itself (`matrix(_:)`) and the column writer's tables of
    /// taps, one per dimension: 32 bytes per (output, tap) pair of that
    /// dimension and 17 per input position. A 2-D image's tables are small;
    /// a long 1-D signal's are twice the size of C. With a padding mode other
    /// than zeros every (output, tap) pair reads an element and the tables
    /// (`GatheredColumns`) hold them all, o·k pairs per dimension, 40 bytes each, and 24 bytes per input position.
    ///
    /// - Parameter geometry: the convolution whose C is built.
    /// - Returns: C's part and the column writer's table parts, which coexist while C is written.
    package static func building(_ geometry: ConvolutionGeometry) -> [Part] {
        let tables = Checked.saturating { () throws(GeometryError) in
            try Checked.sum(
                try (0..<geometry.spatialRank).map { d throws(GeometryError) in
                    if geometry.paddingMode != .zeros { return try gatheredTableBytes(geometry, dimension: d) }
                    let pairs = NonzeroCount.pairsInDimension(
                        input: geometry.inputSize[d], output: geometry.outputSize[d], kernel: geometry.kernelSize[d],
                        stride: geometry.stride[d], dilation: geometry.dilation[d], paddingBefore: geometry.paddingBefore[d])
                    return try Checked.add(
                        try Checked.multiply(32, Int(exactly: pairs) ?? Int.max, "tables"),
                        try Checked.multiply(17, geometry.inputSize[d], "tables"), "tables")
                }, "tables")
        }
        return [matrix(geometry), Part("the writer's tap tables", bytes: tables)]
    }

    /// The tables `GatheredColumns` makes for dimension `d` of a geometry whose
    /// padding holds copies: every (output, tap) pair, 40 bytes each, and 24
    /// bytes per input position — what building C and walking its columns hold.
    ///
    /// - Throws: `GeometryError.overflow` when the count does not fit into 64 bits.
    package static func gatheredTableBytes(_ geometry: ConvolutionGeometry, dimension d: Int) throws(GeometryError) -> Int {
        try Checked.add(
            try Checked.product([40, geometry.outputSize[d], geometry.kernelSize[d]], "tables"),
            try Checked.multiply(24, geometry.inputSize[d], "tables"), "tables")
    }

    /// The operand, CHOLMOD's padded copy and the result of a product with
    /// C or Cᵀ, `samples` columns each: 8 · samples · 3 · (n_rows + n_cols).
    ///
    /// - Parameters:
    ///   - geometry: the convolution whose C (or Cᵀ) multiplies.
    ///   - samples: columns per operand.
    /// - Returns: one part for the three dense arrays of a product.
    package static func products(_ geometry: ConvolutionGeometry, samples: Int) -> Part {
        Part(
            "vectors",
            bytes: Checked.saturating { () throws(GeometryError) in
                try Checked.product([8, max(samples, 0), 3, try Checked.add(geometry.rowCount, geometry.columnCount, "bytes")], "bytes")
            })
    }

    /// `count` items of `bytesEach` bytes, named `name`.
    ///
    /// - Parameters:
    ///   - name: what the items are, as a message lists them.
    ///   - count: how many there are.
    ///   - bytesEach: the size of one.
    /// - Returns: a part of count · bytesEach bytes (saturating rather than overflowing, so an absurd size is refused by the budget, not trapped).
    package static func items(_ name: String, count: Int, bytesEach: Int) -> Part {
        Part(name, bytes: Checked.saturating { () throws(GeometryError) in try Checked.multiply(max(count, 0), bytesEach, "bytes") })
    }

    /// Bytes of C in CHOLMOD (`matrix(_:)`), for the one-matrix estimate.
    package var matrixBytes: Int { parts.first { $0.name.hasPrefix("C (") }?.bytes ?? 0 }
}
