import ConvMatrixCore
import ConvMatrixInterchange

/// The last comparison in the TensorFlow padding notes, side by side, for
/// one convolution with stride s and dilation d and for its transpose:
///
/// - (a) the convolution: its k taps sit d apart, so k weights cover
///   d·(k − 1) + 1 input positions; nothing is inserted into the input, and
///   the output is smaller than the input.
/// - (b) the transposed convolution of the same layer, as Dumoulin & Visin's
///   equivalent direct convolution (the picture `zero-insertion` draws step
///   by step): s − 1 zeros inserted between the (small) input's values,
///   padding d·(k − 1) − p (cropping where that is negative), and the same
///   dilated kernel at stride 1; the output grows back to the size of (a)'s input.
///
/// So the gaps of dilation are in the kernel, in both panels; the gaps of a
/// transposed convolution's stride are in its input, in (b) only.
struct DilationPicture: Sendable {
    /// The convolution whose dilation and stride are contrasted.
    let geometry: ConvolutionGeometry

    /// The two halves with captions and a legend. Panel (b) names its cells:
    /// y₀,₀ … for the values of the transposed input, 0 for the inserted zeros.
    func figure() throws(RenderingError) -> Figure {
        let plane = try Plane(geometry)
        let rank = geometry.spatialRank
        let text = { (values: [Int]) in rank == 1 ? "\(values[1])" : "\(values[0])×\(values[1])" }
        // Panel (b) is the zero-insertion scene of this geometry's transpose, at its first window.
        let scene = try ZeroInsertionPicture(geometry: geometry).scene()
        let window = scene.window(0)
        let tapCells = Set(window.taps.map { $0.cell })
        // (b)'s cells are large enough for their names, a tap's dot sharing the cell under its name,
        // where the figure stays within 1280 px.
        let labels = scene.texts.joined().compactMap { $0 }
        let longest = labels.map(\.count).max() ?? 1
        let readable = max(SlidingScene.minimumText / 0.3, SlidingScene.side(forCharacters: longest)).rounded(.up)
        let cells = plane.padded[1] + scene.grid[1] + 3
        let base = cellSide(for: cells, room: 620)
        let cell = base >= readable || readable * Double(cells) + 20 > SheetLayout.pageWidth ? base : readable

        var left = Figure(width: Double(plane.padded[1]) * cell, height: Double(plane.padded[0]) * cell)
        left.grid(
            plane.padded, at: 0, 0, cell: cell,
            kind: { r, c in
                r >= plane.before[0] && r < plane.before[0] + plane.input[0] && c >= plane.before[1] && c < plane.before[1] + plane.input[1] ? .input : .padding
            })
        let middle = [plane.output[0] / 2, plane.output[1] / 2]
        let origin = [middle[0] * plane.stride[0], middle[1] * plane.stride[1]]
        left.rect(
            Double(origin[1]) * cell, Double(origin[0]) * cell, Double(plane.span[1]) * cell, Double(plane.span[0]) * cell,
            fill: nil, stroke: Palette.window, width: 2.5, dashed: plane.span != plane.kernel, role: "window")
        for i in 0..<plane.kernel[0] {
            for j in 0..<plane.kernel[1] {
                let r = origin[0] + i * plane.dilation[0], c = origin[1] + j * plane.dilation[1]
                left.dot((Double(c) + 0.5) * cell, (Double(r) + 0.5) * cell, radius: cell * 0.22, colour: Palette.window, role: "tap")
            }
        }

        var rightFigure = Figure(width: Double(scene.grid[1]) * cell, height: Double(scene.grid[0]) * cell)
        // A cell under a tap writes its name in the upper part and the tap's dot below it.
        rightFigure.grid(
            scene.grid, at: 0, 0, cell: cell, kind: { r, c in scene.kinds[r][c] }, text: { r, c in tapCells.contains([r, c]) ? nil : scene.texts[r][c] })
        rightFigure.rect(
            Double(window.origin[1]) * cell, Double(window.origin[0]) * cell,
            Double(window.span[1]) * cell, Double(window.span[0]) * cell,
            fill: nil, stroke: Palette.window, width: 2.5, dashed: plane.span != plane.kernel, role: "window")
        for tap in window.taps {
            let x = Double(tap.cell[1]) * cell, y = Double(tap.cell[0]) * cell
            guard let label = scene.texts[tap.cell[0]][tap.cell[1]], min(cellFontSize(cell, label), cell * 0.3) >= SlidingScene.minimumText else {
                rightFigure.dot(x + cell / 2, y + cell / 2, radius: cell * 0.22, colour: Palette.window, role: "tap")
                continue
            }
            rightFigure.text(label, x + cell / 2, y + cell * 0.32, size: min(cellFontSize(cell, label), cell * 0.3), centred: true, role: "cell-text")
            rightFigure.dot(x + cell / 2, y + cell * 0.74, radius: cell * 0.13, colour: Palette.window, role: "tap")
        }
        let padBefore = (0..<2).map { plane.dilation[$0] * (plane.kernel[$0] - 1) - plane.before[$0] }

        let d = plane.setting(plane.dilation, rank: rank), st = plane.setting(plane.stride, rank: rank)
        let dilated = plane.dilation.contains { $0 > 1 }
        let padding =
            padBefore.allSatisfy { $0 == 0 } ? "no padding (d(k − 1) − p = 0)" : "padding d(k − 1) − p = \(plane.setting(padBefore, rank: rank)) before"
        let captions = [
            "(a) \(dilated ? "dilated " : "")convolution, d = \(d), s = \(st): \(text(plane.kernel)) taps (red dots) spread over \(text(plane.span)) of the \(text(plane.input)) input\(rank == 1 ? "s" : "");",
            "     nothing is inserted into the input, and the output shrinks to \(text(plane.output))",
            "(b) its transposed convolution, \(text(plane.output)) → \(text(plane.input)): \(insertedZerosText(plane, rank: rank)) of y,",
            "     \(padding), and the same \(text(plane.kernel)) kernel, flipped, taps \(d) apart, at stride 1",
        ]
        let gap = 3 * cell
        let contentWidth = left.width + gap + rightFigure.width
        var figure = Figure(width: max(contentWidth, 620) + 20, height: 0)
        var y = 18.0
        for line in captions {
            figure.text(line, 10, y, size: 13, role: "caption")
            y += 18
        }
        y += 8
        figure.text("(a)", 10, y, size: 13, role: "caption")
        figure.text("(b)", 10 + left.width + gap, y, size: 13, role: "caption")
        y += 14
        figure.add(left, at: 10, y)
        figure.add(rightFigure, at: 10 + left.width + gap, y)
        y += max(left.height, rightFigure.height) + 26
        var x = 10.0
        // Only what the two panels show: (a)'s input is x, (b)'s the transposed input y.
        let kinds = Set(scene.kinds.joined()).union(plane.before.contains { $0 > 0 } || plane.after.contains { $0 > 0 } ? [.padding] : [])
        let entries: [(CellKind, String)] = [
            (.input, "input: x in (a), y in (b)"), (.padding, "zero padding"), (.insertedZero, "inserted zero"),
            (.extraPadding, "a extra zeros (output padding)"), (.dropped, "cropped (negative padding)"),
        ]
        for (kind, label) in entries where kinds.contains(kind) {
            let style = kind.style
            figure.rect(x, y - 6, 12, 12, fill: style.fill, stroke: style.stroke, role: "legend")
            figure.text(label, x + 16, y, size: 12, role: "legend")
            x += 28 + Double(label.count) * 6.5
        }
        figure.dot(x + 6, y, radius: 5, colour: Palette.window, role: "legend")
        figure.text("kernel tap", x + 16, y, size: 12, role: "legend")
        figure.width = max(figure.width, x + 16 + 10 * 7 + 10)
        figure.height = y + 16
        return figure
    }
}
