import ConvMatrixCore
import ConvMatrixInterchange

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
    /// For a step: the top-left grid cell of the window, its size in cells, and each tap's cell, name and weight.
    var window: (Int) -> (origin: [Int], span: [Int], taps: [(cell: [Int], name: String, weight: Double?)])
    /// The value of every left-grid cell (0 for padding and inserted zeros), when numbers are drawn.
    var cellValues: [[Double]]? = nil
    /// The element of the drawn operation's input that a left-grid cell shows
    /// (row-major index), or nil for padding and inserted zeros: the cell's `Shape.link`.
    var inputElement: (Int, Int) -> Int? = { _, _ in nil }

    /// The output of step `step` with its products, when every tap and cell has a number.
    func output(_ step: Int) -> (value: Double, terms: [String])? {
        guard let cellValues else { return nil }
        var sum = 0.0, terms = [String]()
        for tap in window(step).taps {
            guard let weight = tap.weight else { return nil }
            let value = cellValues[tap.cell[0]][tap.cell[1]]
            sum += weight * value
            terms.append("\(formatNumber(weight))·\(formatNumber(value))")
        }
        return (sum, terms)
    }

    var steps: Int { output[0] * output[1] }

    /// The most frames an animation may have (one second each).
    static let frameLimit = 400

    func outputName(_ step: Int) -> String {
        let position = [step / output[1], step % output[1]]
        return "\(outputLetter)(" + (rank == 1 ? "\(position[1])" : "\(position[0]),\(position[1])") + ")"
    }

    /// The smallest text drawn, in pixels: 9 pt at 100 % zoom (a pixel is 0.75 pt).
    static let minimumText = 12.0
    /// The widest a figure grows (in pixels) to keep its labels readable.
    static let readableWidth = 1200.0

    /// The output value, or its name, written into output cell `index` at step `step`
    /// (numbers: only the outputs computed so far).
    private func outputText(_ index: Int, step: Int) -> String? {
        if let value = output(index)?.value { return index <= step ? formatNumber(value) : nil }
        return index == step ? outputName(index) : nil
    }

    /// The side a cell needs for text of `characters` characters to be at least `minimumText`:
    /// one text fills 0.42 of a cell and fits 1.5 cells of characters.
    static func side(forCharacters characters: Int) -> Double {
        max(minimumText / 0.42, minimumText / 1.5 * Double(characters)).rounded(.up)
    }

    /// The sides a cell needs for the scene's labels to be at least `minimumText`: `all` for
    /// every label, a tap's name over the value under it included (0.3 of the cell each);
    /// `oneLine` for the labels alone in their cells. `namingOutputs` counts the symbolic
    /// output name written into the highlighted cell (a contact sheet's step titles name it).
    private func readableSides(namingOutputs: Bool) -> (all: Double, oneLine: Double) {
        var alone = 1, sharedLongest = 0
        for row in texts { for text in row { if let text { alone = max(alone, text.count) } } }
        for t in 0..<min(steps, 4) {
            for tap in window(t).taps {
                if let under = texts[tap.cell[0]][tap.cell[1]] {
                    sharedLongest = max(sharedLongest, tap.name.count, under.count)
                } else {
                    alone = max(alone, tap.name.count)
                }
            }
            if namingOutputs || cellValues != nil { alone = max(alone, (outputText(t, step: t) ?? "").count) }
        }
        if cellValues != nil { for t in 0..<steps { alone = max(alone, (outputText(t, step: steps) ?? "").count) } }
        let oneLine = Self.side(forCharacters: alone)
        let shared = sharedLongest == 0 ? 0 : max(Self.minimumText / 0.3, Self.side(forCharacters: sharedLongest)).rounded(.up)
        return (max(oneLine, shared), oneLine)
    }

    /// `base`, or the readable side when the figure stays within `readableWidth` with it.
    private func readable(_ base: Double, cells: Int) -> Double {
        let needed = readableSides(namingOutputs: true).all
        return base >= needed || needed * Double(cells) > Self.readableWidth ? base : needed
    }

    /// The grid of the contact sheets (`SheetLayout`): panels of the left grid, two cells
    /// of gap and the output grid, under a title (and, with numbers, an equation).
    var sheetLayout: SheetLayout {
        let sides = readableSides(namingOutputs: false)
        let content = SheetLayout.Content(
            panelCells: [Double(max(grid[0], output[0])), Double(grid[1] + 2 + output[1])],
            panelExtra: 30 + (cellValues != nil ? 18 : 0),
            chrome: Double(caption.count + 1) * 18 + 24 + legendHeight,
            minimumWidth: max(captionWidth(caption), legendWidth) + 20,
            steps: steps)
        return SheetLayout(content, sides: [sides.all, sides.oneLine])
    }

    /// The line under the caption of a sheet: which steps it shows and how to get the others.
    private func sheetNote(page: Int, sheets: Int, shown: Range<Int>) -> String {
        "sheet \(page) of \(sheets): steps \(shown.lowerBound)–\(shown.upperBound - 1) of 0–\(steps - 1); the others: \(otherSheets(page, of: sheets)), or one step with --step t, or --animate"
    }

    /// The picture: one step, every step in a frame of an animation, or the
    /// steps as contact sheets laid out by `sheetLayout` (`sheet`, from 1,
    /// picks one; the caption says how to get the others).
    func figure(step: Int?, animated: Bool, sheet: Int? = nil) throws(RenderingError) -> Figure {
        if let step, !(0..<steps).contains(step) {
            throw .invalid(field: "step", reason: "= \(step) must be between 0 and \(steps - 1): one per output position \(outputLetter)")
        }
        if animated && steps > Self.frameLimit {
            throw .invalid(field: "animate", reason: "would need \(steps) frames, more than \(Self.frameLimit); draw single steps with \(field: "step") t")
        }
        if animated || step != nil {
            let cell = readable(cellSide(for: max(grid[0], grid[1] + output[1]), room: 560), cells: grid[1] + output[1] + 2)
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
        let layout = sheetLayout
        let perSheet = layout.panelsPerSheet
        let sheets = (steps + perSheet - 1) / perSheet
        let page = sheet ?? 1
        guard (1...sheets).contains(page) else {
            throw .invalid(
                field: "sheet",
                reason: "= \(page) must be between 1 and \(sheets): the \(steps) steps fill \(sheets) sheet\(sheets == 1 ? "" : "s") of at most \(perSheet)"
            )
        }
        let shown = ((page - 1) * perSheet)..<min(page * perSheet, steps)
        let cell = layout.cell
        let sample = panel(step: shown.lowerBound, cell: cell, captioned: false)
        let columns = min(shown.count, layout.columns)
        let rows = (shown.count + columns - 1) / columns
        let notes = sheets > 1 ? [sheetNote(page: page, sheets: sheets, shown: shown)] : []
        let equations = cellValues != nil
        let rowHeight = sample.height + 30 + (equations ? 18 : 0)
        let contentWidth = Double(columns) * sample.width + Double(columns - 1) * SheetLayout.gap
        var (sheetFigure, top) = frame(contentWidth: contentWidth, notes: notes)
        for (n, t) in shown.enumerated() {
            let x = SheetLayout.margin + Double(n % columns) * (sample.width + SheetLayout.gap)
            let y = top + Double(n / columns) * rowHeight
            let value = output(t).map { " = \(formatNumber($0.value))" } ?? ""
            sheetFigure.text("step \(t): \(outputName(t))\(value)", x, y + 7, size: 12, role: "step-caption")
            sheetFigure.add(panel(step: t, cell: cell, captioned: false), at: x, y + 18)
            if let terms = output(t)?.terms {
                sheetFigure.text("= " + terms.joined(separator: " + "), x, y + 18 + sample.height + 12, size: 12, role: "step-equation")
            }
        }
        sheetFigure.height = top + Double(rows) * rowHeight + legendHeight
        addLegend(to: &sheetFigure)
        return sheetFigure
    }

    private var legendHeight: Double { 30 }

    /// The width of caption lines at 13 px.
    private func captionWidth(_ lines: [String]) -> Double { lines.map { Double($0.count) * 7.4 }.max() ?? 0 }

    /// The width of the legend: its entries, the kernel window and the highlighted output.
    private var legendWidth: Double {
        let fixed: Double = 26 + 13 * 7 + 26 + 21 * 7
        return legend.reduce(fixed) { total, entry in total + 26 + Double(entry.1.count) * 7 }
    }

    /// An empty figure with the caption (and `notes`) on top, wide enough for
    /// `contentWidth`, the caption and the legend; returns it and the y where panels start.
    private func frame(contentWidth: Double, notes: [String] = []) -> (Figure, Double) {
        let lines = caption + notes
        var figure = Figure(width: max(contentWidth, captionWidth(lines), legendWidth) + 20, height: 0)
        var y = 18.0
        for line in lines {
            figure.text(line, 10, y, size: 13, role: line == notes.first ? "sheet-note" : "caption")
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
            figure.text(label, x + 16, y, size: 12, role: "legend")
            x += 26 + Double(label.count) * 7
        }
        figure.rect(x, y - 6, 12, 12, fill: nil, stroke: Palette.window, width: 2.5, role: "legend")
        figure.text("kernel window", x + 16, y, size: 12, role: "legend")
        x += 26 + 13 * 7
        figure.rect(x, y - 6, 12, 12, fill: Palette.highlight, stroke: Palette.window, width: 2, role: "legend")
        figure.text("output of this window", x + 16, y, size: 12, role: "legend")
        figure.width = max(figure.width, x + 26 + 21 * 7)
    }

    /// Which shapes of a panel to draw: the grids (`background`), the step's window,
    /// highlight and caption (`overlay`), or both.
    private enum Parts { case all, background, overlay }

    /// One step: left grid, window, output grid with the step's cell highlighted
    /// (with numbers: every output computed so far written in).
    private func panel(step: Int, cell: Double, captioned: Bool, parts: Parts = .all) -> Figure {
        let gap = 2 * cell
        let left = Double(grid[1]) * cell
        var panel = Figure(width: left + gap + Double(output[1]) * cell, height: Double(max(grid[0], output[0])) * cell)
        let (origin, span, taps) = window(step)
        let tapCells = Set(taps.map { $0.cell[0] * grid[1] + $0.cell[1] })
        let top = (panel.height - Double(output[0]) * cell) / 2
        let readableText = { (label: String) in cellFontSize(cell, label) >= Self.minimumText }
        if parts != .overlay {
            // Cells under a tap show the tap's name above their own text, so neither hides the other.
            let covered = parts == .all ? tapCells : []
            panel.grid(
                grid, at: 0, 0, cell: cell, kind: { kinds[$0][$1] }, text: { covered.contains($0 * grid[1] + $1) ? nil : texts[$0][$1] },
                link: { inputElement($0, $1).map { "in:\($0)" } })
            // Outputs computed before this step (numbers only; in an animation each frame adds its own).
            let done = parts == .background ? -1 : step - 1
            panel.grid(
                output, at: left + gap, top, cell: cell, kind: { _, _ in .output },
                text: { r, c in
                    let index = r * output[1] + c; return index <= done && cellValues != nil ? outputText(index, step: done) : nil
                },
                link: { r, c in "out:\(r * output[1] + c)" })
        }
        if parts == .background {
            if captioned { panel.height += 24 + (cellValues != nil ? 18 : 0) }
            return panel
        }
        if parts == .overlay && cellValues != nil {
            // An animation frame writes the outputs of the earlier steps too.
            for index in 0..<step {
                guard let text = outputText(index, step: step), readableText(text) else { continue }
                let x = left + gap + Double(index % output[1]) * cell, y = top + Double(index / output[1]) * cell
                panel.text(text, x + cell / 2, y + cell / 2, size: cellFontSize(cell, text), centred: true, role: "cell-text")
            }
        }
        let dilated = taps.count < span[0] * span[1]
        for tap in taps {
            let x = Double(tap.cell[1]) * cell, y = Double(tap.cell[0]) * cell
            let under = texts[tap.cell[0]][tap.cell[1]]
            let size = min(cellFontSize(cell, tap.name), under.map { cellFontSize(cell, $0) } ?? cell, cell * 0.3)
            let shared = under != nil && size >= Self.minimumText
            if shared && parts == .overlay {
                // In an animation the background wrote this cell's text full size; paint over it.
                let style = kinds[tap.cell[0]][tap.cell[1]].style
                panel.rect(x, y, cell, cell, fill: style.fill, stroke: style.stroke, role: "tap-cover")
            }
            // With gaps between taps each tap gets its own outline; a dense window needs only the big one.
            panel.rect(x + 1.5, y + 1.5, cell - 3, cell - 3, fill: nil, stroke: dilated ? Palette.window : nil, width: 1.5, role: "tap")
            if shared, let under {
                panel.text(tap.name, x + cell / 2, y + cell * 0.3, size: size, centred: true, colour: Palette.window, role: "tap-name")
                panel.text(under, x + cell / 2, y + cell * 0.72, size: size, centred: true, role: "cell-text")
            } else if under == nil && readableText(tap.name) {
                panel.text(tap.name, x + cell / 2, y + cell / 2, size: cellFontSize(cell, tap.name), centred: true, colour: Palette.window, role: "tap-name")
            } else if parts == .all, let under, readableText(under) {
                // Too small for both: the cell keeps its own text, and the window's outline shows the tap.
                panel.text(under, x + cell / 2, y + cell / 2, size: cellFontSize(cell, under), centred: true, role: "cell-text")
            }
        }
        panel.rect(
            Double(origin[1]) * cell, Double(origin[0]) * cell, Double(span[1]) * cell, Double(span[0]) * cell,
            fill: nil, stroke: Palette.window, width: 3, dashed: dilated, role: "window")
        let position = [step / output[1], step % output[1]]
        let hx = left + gap + Double(position[1]) * cell, hy = top + Double(position[0]) * cell
        panel.rect(hx, hy, cell, cell, fill: Palette.highlight, stroke: Palette.window, width: 2.5, role: "highlight")
        if let name = outputText(step, step: step), readableText(name) {
            panel.text(name, hx + cell / 2, hy + cell / 2, size: cellFontSize(cell, name), centred: true, role: "cell-text")
        }
        if captioned {
            if let result = output(step) {
                panel.text(
                    "step \(step) of \(steps): \(outputName(step)) = Σ of the red taps times the cells under them = \(formatNumber(result.value))",
                    0, panel.height + 16, size: 12, role: "step-caption")
                panel.text("= " + result.terms.joined(separator: " + "), 0, panel.height + 34, size: 12, role: "step-equation")
                panel.height += 42
            } else {
                panel.text(
                    "step \(step) of \(steps): \(outputName(step)) = Σ of the red taps times the cells under them",
                    0, panel.height + 16, size: 12, role: "step-caption")
                panel.height += 24
            }
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
    /// with neither the steps as contact sheets (`sheet`, from 1).
    func figure(step: Int? = nil, animated: Bool = false, sheet: Int? = nil) throws(RenderingError) -> Figure {
        try scene().figure(step: step, animated: animated, sheet: sheet)
    }
}
