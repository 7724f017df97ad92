import ConvMatrixCore
import ConvMatrixInterchange

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

    /// True convolution: the same pattern (the flip renames the entries, it moves none); said in the caption.
    var flip = false
    /// The order of rows and columns: column-major moves the nonzeros as MATLAB's `convmtx2` has them.
    var order = MatrixOrder.rowMajor

    /// Over the padded input: the printed rows and columns and what each stands for, so that
    /// padding columns (for Cᵀ the rows the padding crops) are shaded grey.
    var paddingLines: (rows: [LineMark], columns: [LineMark])? = nil

    /// A spy plot of the operator's matrix fitted into `pixels` on its longest side.
    init(_ convolutionOperator: ConvolutionOperator, pixels: Int = 400, flip: Bool = false, order: MatrixOrder = .rowMajor) {
        self.convolutionOperator = convolutionOperator
        self.pixels = max(pixels, 16)
        self.flip = flip
        self.order = order
    }

    /// Where row-major index `index` of a tensor [channels, `size`…] goes in `order`.
    private func placed(_ index: Int, size: [Int]) -> Int {
        guard order == .columnMajor else { return index }
        let volume = size.reduce(1, *)
        return index - index % volume + order.index(of: rowMajorCoordinates(of: index % volume, in: size), in: size)
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
            let (pr, pc) = (placed(r, size: convolutionOperator.outputSize), placed(c, size: convolutionOperator.inputSize))
            counts[pr / factor][pc / factor] += 1
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
            if g.paddingMode != .zeros {
                // Copies in the padding: every element an output's taps read, once however many copies it reads.
                var read = Set<Int>()
                for o in 0..<g.outputSize[d] {
                    read.removeAll(keepingCapacity: true)
                    for k in 0..<g.kernelSize[d] {
                        let padded = o * g.stride[d] + k * g.dilation[d]
                        if let x = g.paddingMode.source(ofPadded: padded, inputSize: g.inputSize[d], paddingBefore: g.paddingBefore[d]),
                            read.insert(x).inserted
                        {
                            list.append((o * outputStrides[d], x * inputStrides[d]))
                        }
                    }
                }
                return list
            }
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

    /// The spy plot: a caption wrapped to the plot's width, the matrix with
    /// its nonzeros, tick labels on both axes (row and column indices, every
    /// n-th so that they do not overlap), the channel blocks, and a legend.
    /// The canvas is as wide as the widest of these, not wider.
    func figure() -> Figure {
        let g = geometry, op = convolutionOperator
        let rows = op.rowCount, columns = op.columnCount
        let (counts, factor) = binnedCounts()
        let binRows = counts.count, binColumns = counts.first?.count ?? 0
        // Small matrices get large squares; binned ones one pixel per bin.
        let scale = factor == 1 ? max(1, min(24, Double(pixels) / Double(max(rows, columns))).rounded(.down)) : 1
        let width = Double(binColumns) * scale, height = Double(binRows) * scale
        let name = op.matrixName, side = op.isTransposed ? "transposed " : ""
        var sentences = ["\(name): \(rows)×\(columns), \(g.nonzeroCount) nonzeros (\(density(rows, columns)) filled)."]
        sentences.append(
            factor == 1
                ? "One square per entry; rows are \(side)outputs \(op.outputLetter), columns \(side)inputs \(op.inputLetter)."
                : "Each pixel is a block of \(factor)×\(factor) entries; darker = more nonzeros (black = the densest block).")
        if order == .columnMajor { sentences.append("Rows and columns in column-major order (MATLAB's X(:), as convmtx2 has them).") }
        if flip { sentences.append("True convolution (kernel rotated by 180°): the same pattern, the entries renamed.") }
        // Tick labels: every n-th index, n from 1, 2, 5, 10, 20, 50, … so that labels keep apart.
        if paddingLines != nil {
            sentences.append(
                op.isTransposed
                    ? "Over the padded output: the grey rows are the ones the padding crops."
                    : "Over the padded input: the grey columns are padding, and the nonzeros on them multiply zeros.")
        }
        let perIndex = scale / Double(factor)
        func tickStep(_ count: Int, room: Double) -> Int {
            var step = 1
            let steps = [1, 2, 5]
            var decade = 1
            outer: while true {
                for m in steps {
                    step = m * decade
                    if Double(step) * perIndex >= room || step >= count { break outer }
                }
                decade *= 10
            }
            return step
        }
        let labelWidth = Double(String(max(rows, columns) - 1).count) * 7.5
        let rowStep = tickStep(rows, room: 12), columnStep = tickStep(columns, room: labelWidth + 8)
        let left = 14 + Double(String(rows - 1).count) * 7.5
        let legend = legendEntries()
        let legendWidth = legend.reduce(0.0) { $0 + 30 + Double($1.label.count) * 7 }
        let contentWidth = max(left + width, min(legendWidth, 520) + 10, 300)
        let lines = wrap(sentences.joined(separator: " "), width: contentWidth)
        let captionTop = 18.0
        let top = captionTop + Double(lines.count) * 18 + 6 + 22
        var figure = Figure(width: contentWidth + 10, height: 0)
        for (n, line) in lines.enumerated() { figure.text(line, 10, captionTop + Double(n) * 18, size: 13, role: "caption") }
        figure.rect(left, top, width, height, fill: Palette.empty, stroke: nil, role: "matrix")
        if let lines = paddingLines {
            // Grey bands under the nonzeros: each run of padding columns (or cropped rows), in printed order.
            func bands(_ marks: [LineMark], _ draw: (Double, Double) -> Void) {
                var index = 0
                while index < marks.count {
                    guard marks[index] == .padding else { index += 1; continue }
                    var end = index + 1
                    while end < marks.count && marks[end] == .padding { end += 1 }
                    draw(Double(index) * perIndex, Double(end - index) * perIndex)
                    index = end
                }
            }
            bands(lines.columns) { x, w in figure.rect(left + x, top, w, height, fill: Palette.padding, stroke: nil, role: "padding") }
            bands(lines.rows) { y, h in figure.rect(left, top + y, width, h, fill: Palette.padding, stroke: nil, role: "padding") }
        }
        let busiest = Double(counts.joined().max() ?? 1)
        for (r, row) in counts.enumerated() {
            var c = 0
            while c < binColumns {
                let level = shade(row[c], busiest: busiest)
                guard level > 0 else { c += 1; continue }
                var end = c + 1
                while end < binColumns && shade(row[end], busiest: busiest) == level { end += 1 }
                figure.rect(
                    left + Double(c) * scale, top + Double(r) * scale, Double(end - c) * scale, scale,
                    fill: Self.shades[level - 1], stroke: nil, role: "nonzero")
                c = end
            }
        }
        figure.rect(left, top, width, height, fill: nil, stroke: Palette.ink, width: 1, role: "matrix-outline")
        outlineBlocks(&figure, left: left, top: top, scale: perIndex, rows: rows, columns: columns)
        // Ticks at the middle of the entry they name: rows on the left, columns on top.
        for index in stride(from: 0, to: rows, by: rowStep) {
            let y = top + (Double(index) + 0.5) * perIndex
            figure.line(left - 4, y, left, y, colour: Palette.ink, role: "tick")
            figure.text("\(index)", left - 6 - Double(String(index).count) * 7.5, y, size: 12, role: "tick-label")
        }
        for index in stride(from: 0, to: columns, by: columnStep) {
            let x = left + (Double(index) + 0.5) * perIndex
            figure.line(x, top - 4, x, top, colour: Palette.ink, role: "tick")
            figure.text("\(index)", x, top - 12, size: 12, centred: true, role: "tick-label")
        }
        // The legend under the plot, wrapped onto as many lines as it needs.
        var x = 10.0, y = top + height + 22
        for entry in legend {
            let advance = 30 + Double(entry.label.count) * 7
            if x > 10 && x + advance > contentWidth + 10 { x = 10; y += 20 }
            switch entry.sample {
            case .square(let colour): figure.rect(x, y - 6, 12, 12, fill: colour, stroke: nil, role: "legend")
            case .line(let colour, let dashed): figure.line(x, y, x + 16, y, colour: colour, width: dashed ? 2.5 : 1.5, dashed: dashed, role: "legend")
            }
            figure.text(entry.label, x + 20, y, size: 12, role: "legend")
            x += advance
        }
        figure.height = y + 16
        return figure
    }

    /// What a legend entry shows: a filled square or a line.
    private enum Sample { case square(Colour), line(Colour, dashed: Bool) }

    /// The legend: nonzeros (or the shades of binned blocks), the channel-block lines, the groups.
    private func legendEntries() -> [(sample: Sample, label: String)] {
        let op = convolutionOperator
        var entries: [(sample: Sample, label: String)] = [(.square(Self.shades[3]), "nonzero")]
        if (binnedFactor) > 1 { entries = [(.square(Self.shades[0]), "few nonzeros"), (.square(Self.shades[3]), "the densest block")] }
        if paddingLines != nil { entries.append((.square(Palette.padding), convolutionOperator.isTransposed ? "cropped by the padding" : "padding")) }
        if op.outChannels > 1 || op.inChannels > 1 {
            entries.append((.line(Palette.block, dashed: false), "channel block boundary (\(op.outChannels) × \(op.inChannels) channels)"))
        }
        if op.convolution.groups > 1 {
            entries.append((.line(Palette.window, dashed: true), "blocks one of the \(op.convolution.groups) groups connects"))
        }
        return entries
    }

    /// Entries per pixel side when binned (1 when every entry has its own square).
    private var binnedFactor: Int {
        max(1, (max(convolutionOperator.rowCount, convolutionOperator.columnCount) + pixels - 1) / pixels)
    }

    /// `text` broken into lines of at most `width` pixels at 13 px (about 7.4 px a character).
    private func wrap(_ text: String, width: Double) -> [String] {
        let limit = max(20, Int(width / 7.4))
        var lines = [String](), line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > limit { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
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
        // Channels stay the slowest index in both orders, so the block lines do not move.
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
            figure.rect(
                left + Double(columnStart * columnBlock) * scale, top + Double(rowStart * rowBlock) * scale,
                Double(columnCount * columnBlock) * scale, Double(rowCount * rowBlock) * scale,
                fill: nil, stroke: Palette.window, width: 2.5, dashed: true, role: "group")
        }
    }
}
