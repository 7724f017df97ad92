import ConvMatrix

/// What the views of one request will cost, estimated from the settings alone
/// before any work: the steps they take (which decides whether the request is
/// light or heavy, and whether it is refused), the size of the answer, and the
/// memory they hold, answer included (`ExplorerScheduler` counts it against the
/// server's `--max-memory`).
///
/// The steps count what the views walk, each in proportion to its time:
/// - the spy picture (drawn when the table is too large or there are several
///   channels) walks every nonzero of C and bins it: two steps a nonzero;
/// - the case file (up to `Limits.caseNumbers` numbers) builds C and
///   multiplies with it (two passes over the nonzeros) and writes every number;
/// - the table walks its cells (at most `Limits.tableCells`) and its pattern the nonzeros in them;
/// - the pictures, the formula and the verifier are bounded by their own limits
///   (64 cells a side, `Limits.verifiedWork`): `fixedSteps`.
///
/// Measured with a release build on the 2-core development machine (shared, load
/// average 8), a step takes 20–50 ns: `input=280x280&kernel=5` (1.9·10⁶ nonzeros,
/// spy and the case, 8.4·10⁶ steps) 145–167 ms, `input=1414x1414&kernel=1` (spy
/// only, 4.2·10⁶ steps) 96–115 ms. A debug build is 10–40 times slower.
package struct ExplorerWork: Hashable, Sendable {
    /// The steps of all the views (see the type's description).
    package let steps: Int
    /// An upper estimate of the answer's bytes.
    package let answerBytes: Int
    /// The memory the views that will be computed hold at their peak, and the
    /// answer as it is assembled (its fields, then the whole text: three times its
    /// size), with the program itself: what `--max-memory` is checked against.
    package let memory: MemoryEstimate

    /// The request's own share of the server's memory: `memory` without the program itself.
    package var memoryBytes: Int { max(0, memory.totalBytes - MemoryEstimate.processBytes) }

    /// The steps of the views that do not grow with the geometry: pictures of at
    /// most 64 cells a side, the shape report, the verifier up to its limit.
    static let fixedSteps = 200_000

    /// The most steps of a light request (about 40 ms with a release build): the
    /// first page and every teaching size (up to 32×32, 4 channels: 1.7·10⁶ steps)
    /// are light, and never wait behind a heavy one (`ExplorerScheduler`'s lanes).
    package static let lightSteps = 2_000_000

    /// The most steps of any request: 0.25–0.6 s with a release build. A request
    /// estimated above this is refused before work, naming `input` (within the other
    /// limits, 2·10⁶ nonzeros above all, the most is about 9·10⁶).
    package static let stepLimit = 12_000_000

    /// The work of the views of `op` under `limits`.
    ///
    /// - Parameters:
    ///   - op: the operation whose views would be computed.
    ///   - limits: the explorer's limits (which views are drawn, how large).
    package init(_ op: ConvolutionOperator, limits: ExplorerView.Limits) {
        let c = op.convolution
        let nonzeros = c.nonzeroCount
        let cells = op.rowCount.multipliedReportingOverflow(by: op.columnCount)
        let table = !cells.overflow && cells.partialValue <= limits.tableCells
        let spy = !table || op.inChannels > 1 || op.outChannels > 1
        let numbers = Self.caseNumbers(op)
        let exportsCase = numbers <= limits.caseNumbers
        let latex = table && cells.partialValue <= limits.latexCells
        var steps = Self.fixedSteps
        var bytes = 16 << 10
        if table {
            steps = Self.add(steps, Self.add(cells.partialValue * 4, nonzeros))
            bytes = Self.add(bytes, cells.partialValue * 64 + nonzeros * 8 + (op.rowCount + op.columnCount) * 8)
        }
        if latex { bytes = Self.add(bytes, cells.partialValue * 24) }
        if spy {
            steps = Self.add(steps, Self.multiply(2, nonzeros))
            // One shape a nonzero or a nonempty bin, whichever is fewer (640 px a side for a small C, 160 binned).
            let pixels = ExplorerView.spyPixels(op)
            bytes = Self.add(bytes, Self.multiply(min(pixels * pixels, nonzeros), 64))
        }
        if exportsCase {
            steps = Self.add(steps, Self.add(Self.multiply(2, nonzeros), Self.multiply(4, numbers)))
            bytes = Self.add(bytes, Self.multiply(16, numbers))
        }
        // The step pictures: at most 64 cells a side in each of their grids, about 400 bytes of SVG a cell.
        let pictureCells = Self.pictureCells(op, limits: limits)
        bytes = Self.add(bytes, Self.multiply(pictureCells, 400))
        self.steps = steps
        answerBytes = bytes
        // The memory of the views that will be computed, and only those: the table's printer and
        // cells, spy's pairs and pixels, the pictures (4 KiB a cell: the figure's shapes and their
        // SVG; 32 MiB at 64×64, ConvolutionPicture's own bound), C with the case's vectors, the verifier.
        var parts = [MemoryEstimate.Part]()
        if table {
            parts += MatrixPrinter(format: .markdown).memoryEstimate(op).parts.dropFirst()
            parts.append(MemoryEstimate.items("the table's cells", count: cells.partialValue, bytesEach: 256))
        }
        if spy {
            parts += (try? ConvolutionPicture(.spy, of: op, pixels: ExplorerView.spyPixels(op)))?.memoryEstimate.parts.dropFirst() ?? []
        }
        parts.append(MemoryEstimate.items("the pictures", count: pictureCells, bytesEach: 4096))
        if exportsCase { parts += MemoryEstimate(c, samples: 1).parts.dropFirst() }
        if nonzeros <= limits.verifiedNonzeros && (Verifier.work(c) ?? Int.max) <= limits.verifiedWork {
            parts += Verifier.memoryEstimate(op).parts.dropFirst()
        }
        parts.append(MemoryEstimate.Part("the answer", bytes: Self.multiply(3, bytes)))
        memory = MemoryEstimate(parts, nonzeroCount: nonzeros)
    }

    /// The cells of the step pictures drawn for `op`, every grid at most 64 cells a
    /// side: for a convolution the sliding window's padded input and output; for a
    /// transposed one, when drawn at all (`Limits.transposedPicturePositions`), the
    /// scatter (y and the padded z) and the zero insertion (y spread by the stride and
    /// padded by the kernel's span, and z).
    static func pictureCells(_ op: ConvolutionOperator, limits: ExplorerView.Limits) -> Int {
        let c = op.convolution
        let dimensions = 0..<c.spatialRank
        func grid(_ extent: (Int) -> Int) -> Int { dimensions.map { min(64, max(1, extent($0))) }.reduce(1, *) }
        let padded = grid { c.inputSize[$0] + c.paddingBefore[$0] + c.paddingAfter[$0] }
        let output = grid { c.outputSize[$0] }
        guard op.isTransposed else { return padded + output }
        let positions = max(op.inputSize.reduce(1, *), op.outputSize.reduce(1, *))
        if positions > limits.transposedPicturePositions { return 0 }
        let spread = grid { (c.outputSize[$0] - 1) * c.stride[$0] + 1 + 2 * c.dilation[$0] * (c.kernelSize[$0] - 1) }
        return (output + padded) + (spread + padded)
    }

    /// Whether the request is light: at most `lightSteps`.
    package var isLight: Bool { steps <= Self.lightSteps }

    /// The numbers of the case file: the input, the weights and the expected output.
    ///
    /// - Parameter op: the operation the case computes.
    /// - Returns: their count, saturating at `Int.max`.
    static func caseNumbers(_ op: ConvolutionOperator) -> Int {
        let c = op.convolution
        return add(add(c.rowCount, c.columnCount), c.weightCount)
    }

    private static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }

    private static func multiply(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : product
    }
}
