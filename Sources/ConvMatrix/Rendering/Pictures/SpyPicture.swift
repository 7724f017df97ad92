/// The sparsity pattern of C (or Cᵀ), one square per entry or, for large
/// matrices, one pixel per block of entries, darker where more of the
/// block is nonzero; channel blocks are outlined.
///
/// The nonzeros are enumerated from the geometry without building C:
/// the taps that land inside the input are separable per dimension, so
/// the nonzeros of one channel pair are the Cartesian product over
/// dimensions of the pairs (o_j, x_j) with x_j = o_j·s_j − p_j,before + k·d_j
/// and 0 ≤ x_j < i_j. Memory is the pixel grid plus those short lists,
/// so a matrix with 10⁶ rows draws without holding its nonzeros.
struct SpyPicture: Sendable {
    /// The operation whose matrix (C or Cᵀ) is drawn.
    let convolutionOperator: ConvolutionOperator
    /// The longest side of the pattern, in pixels.
    let pixels: Int

    /// The convolution whose matrix C is enumerated.
    var geometry: ConvolutionGeometry { convolutionOperator.convolution }

    /// A spy plot of the operator's matrix fitted into `pixels` on its longest side.
    init(_ convolutionOperator: ConvolutionOperator, pixels: Int = 400) {
        self.convolutionOperator = convolutionOperator
        self.pixels = max(pixels, 16)
    }

    /// The pattern binned to pixels: `counts[r][c]` nonzeros in the block of
    /// `entriesPerPixel` × `entriesPerPixel` entries at pixel (r, c).
    func binnedCounts() -> (counts: [[Int]], entriesPerPixel: Int) {
        let rows = convolutionOperator.rowCount, columns = convolutionOperator.columnCount
        let factor = max(1, (max(rows, columns) + pixels - 1) / pixels)
        let binRows = (rows + factor - 1) / factor, binColumns = (columns + factor - 1) / factor
        var counts = [[Int]](repeating: [Int](repeating: 0, count: binColumns), count: binRows)
        forEachNonzero { row, column in
            let (r, c) = convolutionOperator.position(ofMatrixEntry: row, column)
            counts[r / factor][c / factor] += 1
        }
        return (counts, factor)
    }

    /// Calls `body(row, column)` for every nonzero of C, channel pair by channel pair.
    func forEachNonzero(_ body: (Int, Int) -> Void) {
        let g = geometry
        let rank = g.spatialRank
        let outputStrides = rowMajorStrides(g.outputSize), inputStrides = rowMajorStrides(g.inputSize)
        // Per dimension: the (row offset, column offset) of every tap inside the input.
        let pairs: [[(row: Int, column: Int)]] = (0..<rank).map { d in
            var list = [(row: Int, column: Int)]()
            NonzeroCount.forEachPair(
                input: g.inputSize[d], output: g.outputSize[d], kernel: g.kernelSize[d],
                stride: g.stride[d], dilation: g.dilation[d], paddingBefore: g.paddingBefore[d]
            ) { o, x in list.append((o * outputStrides[d], x * inputStrides[d])) }
            return list
        }
        if pairs.contains(where: \.isEmpty) { return }
        for outChannel in 0..<g.outChannels {
            let group = outChannel / g.outChannelsPerGroup
            for local in 0..<g.inChannelsPerGroup {
                let inChannel = group * g.inChannelsPerGroup + local
                let rowBase = outChannel * g.outputVolume, columnBase = inChannel * g.inputVolume
                var index = [Int](repeating: 0, count: rank)
                while true {
                    var row = rowBase, column = columnBase
                    for d in 0..<rank {
                        row += pairs[d][index[d]].row
                        column += pairs[d][index[d]].column
                    }
                    body(row, column)
                    var d = rank - 1
                    while d >= 0 {
                        index[d] += 1
                        if index[d] < pairs[d].count { break }
                        index[d] = 0
                        d -= 1
                    }
                    if d < 0 { break }
                }
            }
        }
    }

    /// The spy plot with a title, the matrix outline and channel blocks.
    func figure() -> Figure {
        let g = geometry, op = convolutionOperator
        let rows = op.rowCount, columns = op.columnCount
        let (counts, factor) = binnedCounts()
        let binRows = counts.count, binColumns = counts.first?.count ?? 0
        // Small matrices get large squares; binned ones one pixel per bin.
        let scale = factor == 1 ? max(1, min(24, Double(pixels) / Double(max(rows, columns))).rounded(.down)) : 1
        let name = op.matrixName, side = op.isTransposed ? "transposed " : ""
        var lines = ["\(name): \(rows)×\(columns), \(g.nonzeroCount) nonzeros (\(density(rows, columns)) filled)"
            + (g.groups > 1 ? "; dashed red: the channel blocks each of the \(g.groups) groups connects" : "")]
        lines.append(factor == 1 ? "one square per entry; rows are \(side)outputs \(op.outputLetter), columns \(side)inputs \(op.inputLetter)"
                                 : "each pixel is a block of \(factor)×\(factor) entries; darker = more nonzeros (black = the densest block)")
        let left = 10.0, top = 18.0 + Double(lines.count) * 18 + 6
        let width = Double(binColumns) * scale, height = Double(binRows) * scale
        let captionWidth = lines.map { Double($0.count) * 7.4 }.max() ?? 0
        var figure = Figure(width: max(width, captionWidth) + 20, height: top + height + 16)
        for (n, line) in lines.enumerated() { figure.text(line, left, 18 + Double(n) * 18, size: 13, role: "caption") }
        figure.rect(left, top, width, height, fill: Palette.empty, stroke: nil, role: "matrix")
        let busiest = Double(counts.joined().max() ?? 1)
        for (r, row) in counts.enumerated() {
            var c = 0
            while c < binColumns {
                let level = shade(row[c], busiest: busiest)
                guard level > 0 else { c += 1; continue }
                var end = c + 1
                while end < binColumns && shade(row[end], busiest: busiest) == level { end += 1 }
                figure.rect(left + Double(c) * scale, top + Double(r) * scale, Double(end - c) * scale, scale,
                            fill: Self.shades[level - 1], stroke: nil, role: "nonzero")
                c = end
            }
        }
        figure.rect(left, top, width, height, fill: nil, stroke: Palette.ink, width: 1, role: "matrix-outline")
        outlineBlocks(&figure, left: left, top: top, scale: scale / Double(factor), rows: rows, columns: columns)
        return figure
    }

    /// Four grey levels, light to dark, for the share of a bin that is nonzero.
    static let shades = [
        Colour(name: "cmSpyA", hex: "BDBDBD"), Colour(name: "cmSpyB", hex: "969696"),
        Colour(name: "cmSpyC", hex: "525252"), Colour(name: "cmSpyD", hex: "000000"),
    ]

    /// 0 for an empty bin, else 1…4 by its count relative to the busiest bin
    /// (≤ 1/4, ≤ 1/2, ≤ 3/4, more), so the densest block is always black.
    private func shade(_ count: Int, busiest: Double) -> Int {
        guard count > 0 else { return 0 }
        let share = Double(count) / busiest
        return share <= 0.25 ? 1 : share <= 0.5 ? 2 : share <= 0.75 ? 3 : 4
    }

    private func density(_ rows: Int, _ columns: Int) -> String {
        let percent = 100 * Double(geometry.nonzeroCount) / (Double(rows) * Double(columns))
        return percent >= 1 ? "\(Int(percent.rounded()))%" : percent >= 0.01 ? "\(Double(Int(percent * 100)) / 100)%" : "<0.01%"
    }

    /// Lines between channel blocks (blue), and the blocks a group connects outlined (dashed) when groups > 1.
    private func outlineBlocks(_ figure: inout Figure, left: Double, top: Double, scale: Double, rows: Int, columns: Int) {
        let op = convolutionOperator
        let rowBlock = op.outputSize.reduce(1, *), columnBlock = op.inputSize.reduce(1, *)
        let rowChannels = rows / rowBlock, columnChannels = columns / columnBlock
        let width = Double(columns) * scale, height = Double(rows) * scale
        if rowChannels > 1 {
            for n in 1..<rowChannels {
                let y = top + Double(n * rowBlock) * scale
                figure.line(left, y, left + width, y, colour: Palette.block, width: 1, role: "block")
            }
        }
        if columnChannels > 1 {
            for n in 1..<columnChannels {
                let x = left + Double(n * columnBlock) * scale
                figure.line(x, top, x, top + height, colour: Palette.block, width: 1, role: "block")
            }
        }
        let groups = op.convolution.groups
        guard groups > 1 else { return }
        let rowsPerGroup = op.outChannels / groups, columnsPerGroup = op.inChannels / groups
        for group in 0..<groups {
            let (rowStart, rowCount) = (group * rowsPerGroup, rowsPerGroup)
            let (columnStart, columnCount) = (group * columnsPerGroup, columnsPerGroup)
            figure.rect(left + Double(columnStart * columnBlock) * scale, top + Double(rowStart * rowBlock) * scale,
                        Double(columnCount * columnBlock) * scale, Double(rowCount * rowBlock) * scale,
                        fill: nil, stroke: Palette.window, width: 2.5, dashed: true, role: "group")
        }
    }
}
