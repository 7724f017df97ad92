/// A kernel sliding over a grid, one output cell per window: what the
/// `sliding` and `zero-insertion` pictures have in common.
///
/// Drawn as the grid on the left (input, padding, inserted zeros), the
/// window of one step outlined in red with its taps named, and the output
/// grid on the right with that step's cell highlighted.
struct SlidingScene {
    /// The left grid, [rows, columns].
    var grid: [Int]
    /// The kind of each left-grid cell.
    var kinds: [[CellKind]]
    /// Text inside left-grid cells (nil = none).
    var texts: [[String?]]
    /// The output grid, [rows, columns].
    var output: [Int]
    /// The letter of the output tensor (y for a convolution, z for a transposed one).
    var outputLetter: String
    /// The spatial rank: 1 draws one row and names positions with one index.
    var rank: Int
    /// Caption lines above the picture.
    var caption: [String]
    /// Legend entries under the picture.
    var legend: [(CellKind, String)]
    /// For a step: the top-left grid cell of the window, its size in cells, and each tap's cell and name.
    var window: (Int) -> (origin: [Int], span: [Int], taps: [(cell: [Int], name: String)])

    var steps: Int { output[0] * output[1] }

    /// The most frames an animation may have (one second each).
    static let frameLimit = 400

    func outputName(_ step: Int) -> String {
        let position = [step / output[1], step % output[1]]
        return "\(outputLetter)(" + (rank == 1 ? "\(position[1])" : "\(position[0]),\(position[1])") + ")"
    }

    /// The picture: one step, every step in a frame of an animation, or every step as a contact sheet.
    func figure(step: Int?, animated: Bool, contactLimit: Int = 64) throws(RenderingError) -> Figure {
        if let step, !(0..<steps).contains(step) {
            throw .invalid(field: "step", reason: "= \(step) must be between 0 and \(steps - 1): one per output position \(outputLetter)")
        }
        if animated && steps > Self.frameLimit {
            throw .invalid(field: "animate", reason: "would need \(steps) frames, more than \(Self.frameLimit); draw single steps with \(field: "step") t")
        }
        if animated || step != nil {
            let cell = cellSide(for: max(grid[0], grid[1] + output[1]), room: 560)
            // The grids are drawn once; each frame of an animation adds only its window and highlight.
            let background = panel(step: step ?? 0, cell: cell, captioned: true, parts: animated ? .background : .all)
            var (figure, top) = frame(contentWidth: background.width)
            figure.add(background, at: 10, top)
            if animated {
                for t in 0..<steps { figure.add(panel(step: t, cell: cell, captioned: true, parts: .overlay), at: 10, top, frame: t) }
                figure.frameCount = steps
            }
            figure.height = top + background.height + 8 + legendHeight
            addLegend(to: &figure)
            return figure
        }
        guard steps <= contactLimit else {
            throw .invalid(field: "step", reason: "is needed: \(steps) windows are too many for one contact sheet (at most \(contactLimit)); give \(field: "step") t or \(field: "animate")")
        }
        let cell = cellSide(for: max(grid[0], grid[1] + output[1]), room: grid[0] == 1 ? 520 : 260)
        let sample = panel(step: 0, cell: cell, captioned: false)
        let columns = min(steps, max(1, Int((1000 / (sample.width + 24)).rounded(.down))))
        let rows = (steps + columns - 1) / columns
        var (sheet, top) = frame(contentWidth: Double(columns) * (sample.width + 24))
        for t in 0..<steps {
            let x = 10 + Double(t % columns) * (sample.width + 24)
            let y = top + Double(t / columns) * (sample.height + 30)
            sheet.text("step \(t): \(outputName(t))", x, y + 7, size: 12, role: "step-caption")
            sheet.add(panel(step: t, cell: cell, captioned: false), at: x, y + 18)
        }
        sheet.height = top + Double(rows) * (sample.height + 30) + legendHeight
        addLegend(to: &sheet)
        return sheet
    }

    private var legendHeight: Double { 30 }

    /// An empty figure with the caption on top, wide enough for `contentWidth`,
    /// the caption and the legend; returns it and the y where panels start.
    private func frame(contentWidth: Double) -> (Figure, Double) {
        let captionWidth = (caption.map { Double($0.count) * 7.4 }.max() ?? 0)
        let legendWidth = legend.reduce(300) { $0 + 26 + Double($1.1.count) * 6.5 }
        var figure = Figure(width: max(contentWidth, captionWidth, legendWidth) + 20, height: 0)
        var y = 18.0
        for line in caption {
            figure.text(line, 10, y, size: 13, role: "caption")
            y += 18
        }
        return (figure, y + 6)
    }

    private func addLegend(to figure: inout Figure) {
        var x = 10.0
        let y = figure.height - 16
        for (kind, label) in legend {
            let style = kind.style
            figure.rect(x, y - 6, 12, 12, fill: style.fill, stroke: style.stroke, role: "legend")
            figure.text(label, x + 16, y, size: 11, role: "legend")
            x += 26 + Double(label.count) * 6.5
        }
        figure.rect(x, y - 6, 12, 12, fill: nil, stroke: Palette.window, width: 2.5, role: "legend")
        figure.text("kernel window", x + 16, y, size: 11, role: "legend")
        x += 26 + 13 * 6.5
        figure.rect(x, y - 6, 12, 12, fill: Palette.highlight, stroke: Palette.window, width: 2, role: "legend")
        figure.text("output of this window", x + 16, y, size: 11, role: "legend")
    }

    /// Which shapes of a panel to draw: the grids (`background`), the step's window,
    /// highlight and caption (`overlay`), or both.
    private enum Parts { case all, background, overlay }

    /// One step: left grid, window, output grid with the step's cell highlighted.
    private func panel(step: Int, cell: Double, captioned: Bool, parts: Parts = .all) -> Figure {
        let gap = 2 * cell
        let left = Double(grid[1]) * cell
        var panel = Figure(width: left + gap + Double(output[1]) * cell, height: Double(max(grid[0], output[0])) * cell)
        let (origin, span, taps) = window(step)
        let tapCells = Set(taps.map { $0.cell[0] * grid[1] + $0.cell[1] })
        let top = (panel.height - Double(output[0]) * cell) / 2
        if parts != .overlay {
            // Cells under a tap show the tap's name above their own text, so neither hides the other.
            let covered = parts == .all ? tapCells : []
            panel.grid(grid, at: 0, 0, cell: cell, kind: { kinds[$0][$1] }, text: { covered.contains($0 * grid[1] + $1) ? nil : texts[$0][$1] })
            panel.grid(output, at: left + gap, top, cell: cell, kind: { _, _ in .output })
        }
        if parts == .background {
            if captioned { panel.height += 24 }
            return panel
        }
        let dilated = taps.count < span[0] * span[1]
        for tap in taps {
            let x = Double(tap.cell[1]) * cell, y = Double(tap.cell[0]) * cell
            let under = cell >= 20 ? texts[tap.cell[0]][tap.cell[1]] : nil
            if under != nil && parts == .overlay {
                // In an animation the background wrote this cell's text full size; paint over it.
                let style = kinds[tap.cell[0]][tap.cell[1]].style
                panel.rect(x, y, cell, cell, fill: style.fill, stroke: style.stroke, role: "tap-cover")
            }
            // With gaps between taps each tap gets its own outline; a dense window needs only the big one.
            panel.rect(x + 1.5, y + 1.5, cell - 3, cell - 3, fill: nil, stroke: dilated ? Palette.window : nil, width: 1.5, role: "tap")
            guard cell >= 20 else { continue }
            if let under {
                let size = min(cellFontSize(cell, tap.name), cellFontSize(cell, under), cell * 0.3)
                panel.text(tap.name, x + cell / 2, y + cell * 0.3, size: size, centred: true, colour: Palette.window, role: "tap-name")
                panel.text(under, x + cell / 2, y + cell * 0.72, size: size, centred: true, role: "cell-text")
            } else {
                panel.text(tap.name, x + cell / 2, y + cell / 2, size: cellFontSize(cell, tap.name), centred: true, colour: Palette.window, role: "tap-name")
            }
        }
        panel.rect(Double(origin[1]) * cell, Double(origin[0]) * cell, Double(span[1]) * cell, Double(span[0]) * cell,
                   fill: nil, stroke: Palette.window, width: 3, dashed: dilated, role: "window")
        let position = [step / output[1], step % output[1]]
        let hx = left + gap + Double(position[1]) * cell, hy = top + Double(position[0]) * cell
        panel.rect(hx, hy, cell, cell, fill: Palette.highlight, stroke: Palette.window, width: 2.5, role: "highlight")
        if cell >= 20 {
            let name = outputName(step)
            panel.text(name, hx + cell / 2, hy + cell / 2, size: cellFontSize(cell, name), centred: true, role: "cell-text")
        }
        if captioned {
            panel.text("step \(step) of \(steps): \(outputName(step)) = Σ of the red taps times the cells under them",
                       0, panel.height + 16, size: 12, role: "step-caption")
            panel.height += 24
        }
        return panel
    }
}

/// A picture whose every step is a window sliding over a grid (sliding,
/// zero insertion): it only says what its scene is; stepping, animating and
/// the contact sheet are `SlidingScene`'s.
protocol SceneDrawing: Sendable {
    /// The convolution drawn (for zero insertion: the one whose transpose is drawn).
    var geometry: ConvolutionGeometry { get }
    /// The grid, the windows and the captions.
    func scene() throws(RenderingError) -> SlidingScene
}

extension SceneDrawing {
    /// Step `step` (outputs row-major, from 0), an animation of all steps, or
    /// with neither all steps as a contact sheet.
    func figure(step: Int? = nil, animated: Bool = false) throws(RenderingError) -> Figure {
        try scene().figure(step: step, animated: animated)
    }
}
