import ConvMatrixCore
import ConvMatrixInterchange

/// The transposed convolution the way Dive into Deep Learning draws it: each element y(a, b)
/// of the transposed input multiplies the whole kernel, the product is
/// written into a larger zero canvas at (a·s, b·s) with taps d apart, all
/// products are summed, and the padding p is cropped from the border.
///
/// The canvas has the padded size p_b + i + p_a of the convolution whose
/// transpose this is; the kept region [p_b, p_b + i) is the output z, and
/// cells the products never reach inside it are PyTorch's output_padding.
struct ScatterPicture: Sendable {
    /// The convolution whose transpose is drawn.
    let geometry: ConvolutionGeometry
    /// Weights, the transposed input's values, and the flip of a true convolution.
    var numbers = PictureNumbers.none

    /// Step `step` (transposed inputs row-major, from 0; the last step, one
    /// past them, is the sum), an animation of all of them, or a contact sheet
    /// laid out by `SheetLayout`.
    func figure(step: Int? = nil, animated: Bool = false, sheet: Int? = nil) throws(RenderingError) -> Figure {
        let plane = try Plane(geometry)
        let elements = plane.steps
        let steps = elements + 1
        if let step, !(0..<steps).contains(step) {
            throw .invalid(
                field: "step", reason: "= \(step) must be between 0 and \(steps - 1): one per transposed input element y, and \(elements) for the sum")
        }
        if animated && steps > SlidingScene.frameLimit {
            throw .invalid(
                field: "animate", reason: "would need \(steps) frames, more than \(SlidingScene.frameLimit); draw single steps with \(field: "step") t")
        }
        let sums = Sums(self, plane)
        let widest = plane.output[1] + plane.kernel[1] + plane.padded[1] + 6
        let single = animated || step != nil
        let sides = readableSides(plane, sums)
        let captionText = captionLines(plane, sums)
        var layout: SheetLayout?
        if !single {
            let legendWidth = legendEntries(plane, roles: Self.allRoles, sumShown: true).reduce(0.0) { $0 + 28 + Double($1.label.count) * 7 }
            let content = SheetLayout.Content(
                panelCells: [Double(max(plane.output[0], plane.kernel[0], plane.padded[0])), Double(widest - 2)],
                panelExtra: 30, chrome: Double(captionText.count + 1) * 18 + 24 + 30,
                minimumWidth: max(captionText.map { Double($0.count) * 7.4 }.max() ?? 0, min(legendWidth, SheetLayout.pageWidth - 20), 560) + 20,
                steps: steps)
            layout = SheetLayout(content, sides: [sides.all, sides.oneLine])
        }
        let perSheet = layout?.panelsPerSheet ?? steps
        let sheets = (steps + perSheet - 1) / perSheet
        let page = sheet ?? 1
        if !single && !(1...sheets).contains(page) {
            throw .invalid(
                field: "sheet",
                reason: "= \(page) must be between 1 and \(sheets): the \(steps) steps fill \(sheets) sheet\(sheets == 1 ? "" : "s") of at most \(perSheet)"
            )
        }
        let pageSteps = Array(((page - 1) * perSheet)..<min(page * perSheet, steps))
        let cell: Double
        if let layout {
            cell = layout.cell
        } else {
            // Cells large enough for every label to be 9 pt at 100 % zoom, where the figure stays within 1200 px.
            let base = cellSide(for: widest, room: 640)
            cell = base >= sides.all || sides.all * Double(widest) > SlidingScene.readableWidth ? base : sides.all
        }
        let shown = animated ? Array(0..<steps) : step.map { [$0] } ?? pageSteps
        let panels = shown.map { panel(plane, sums, step: $0, cell: cell) }
        let panelWidth = panels.map(\.width).max() ?? 0, panelHeight = panels.map(\.height).max() ?? 0
        let columns = single ? 1 : min(shown.count, layout?.columns ?? 1)
        let rows = single ? 1 : (shown.count + columns - 1) / columns
        var caption = captionText
        if !single && sheets > 1 {
            caption.append(
                "sheet \(page) of \(sheets): steps \(pageSteps.first ?? 0)–\(pageSteps.last ?? 0) of 0–\(steps - 1); the others: \(otherSheets(page, of: sheets)), or one step with --step t, or --animate"
            )
        }
        let captionWidth = caption.map { Double($0.count) * 7.4 }.max() ?? 0
        let contentWidth = Double(columns) * panelWidth + Double(columns - 1) * SheetLayout.gap
        var figure = Figure(width: max(contentWidth, captionWidth, 560) + 20, height: 0)
        var top = 18.0
        for line in caption {
            figure.text(line, 10, top, size: 13, role: "caption")
            top += 18
        }
        top += 6
        for (n, (t, panel)) in zip(shown, panels).enumerated() {
            let x = SheetLayout.margin + Double(single ? 0 : n % columns) * (panelWidth + SheetLayout.gap)
            let y = top + Double(single ? 0 : n / columns) * (panelHeight + 30)
            figure.text(title(plane, step: t), x, y + 7, size: 12, role: "step-caption", frame: animated ? t : nil)
            figure.add(panel, at: x, y + 18, frame: animated ? t : nil)
        }
        if animated { figure.frameCount = steps }
        figure.height = top + Double(rows) * (panelHeight + 30) + 30
        let roles = Set(figure.shapes.map(\.role))
        legend(&figure, entries: legendEntries(plane, roles: roles, sumShown: shown.contains(elements)))
        return figure
    }

    /// The title over a panel: the product it places, or what the last panel adds up.
    private func title(_ plane: Plane, step: Int) -> String {
        guard step == plane.steps else {
            return
                "step \(step): \(tapName("y", plane.outputPosition(step), rank: geometry.spatialRank)) · w placed at stride \(plane.setting(plane.stride, rank: geometry.spatialRank))"
        }
        let cropped = (plane.before + plane.after).contains { $0 > 0 }
        if numbers.isNumeric { return "sum: each cell of z adds up the products on it" + (cropped ? "; the border is cropped" : "") }
        return "count: how many products are added on each cell" + (cropped ? "; the border is cropped" : "")
    }

    /// Every product of every step on the canvas: how many land on each cell, and with numbers their sum.
    private struct Sums {
        var counts: [[Int]]
        var values: [[Double]]
        /// Cells inside z (not in the cropped border).
        let kept: (Int, Int) -> Bool

        init(_ picture: ScatterPicture, _ plane: Plane) {
            counts = [[Int]](repeating: [Int](repeating: 0, count: plane.padded[1]), count: plane.padded[0])
            values = [[Double]](repeating: [Double](repeating: 0, count: plane.padded[1]), count: plane.padded[0])
            for source in 0..<plane.steps {
                for product in picture.products(plane, source: source) {
                    counts[product.cell[0]][product.cell[1]] += 1
                    values[product.cell[0]][product.cell[1]] += product.value ?? 0
                }
            }
            kept = { r, c in
                r >= plane.before[0] && r < plane.before[0] + plane.input[0] && c >= plane.before[1] && c < plane.before[1] + plane.input[1]
            }
        }

        /// Cells of z that no product reaches.
        var unreached: [[Int]] {
            var cells = [[Int]]()
            for r in counts.indices { for c in counts[r].indices where counts[r][c] == 0 && kept(r, c) { cells.append([r, c]) } }
            return cells
        }
    }

    /// The products of transposed input element `source`: the canvas cell each lands on, y and w
    /// as names, and with numbers its value.
    private func products(_ plane: Plane, source: Int) -> [(cell: [Int], y: String, w: String, value: Double?)] {
        let rank = geometry.spatialRank
        let position = plane.outputPosition(source)
        let y = numbers.values.map { $0[source] }
        var list = [(cell: [Int], y: String, w: String, value: Double?)]()
        for i in 0..<plane.kernel[0] {
            for j in 0..<plane.kernel[1] {
                let entry = numbers.kernelEntry([i, j], plane)
                let row: Int = position[0] * plane.stride[0] + i * plane.dilation[0]
                let column: Int = position[1] * plane.stride[1] + j * plane.dilation[1]
                var value: Double?
                if let y, let weight = numbers.weight(entry, plane) { value = y * weight }
                let yText = y.map(formatNumber) ?? tapName("y", position, rank: rank)
                list.append((cell: [row, column], y: yText, w: numbers.tapText(entry, plane, rank: rank), value: value))
            }
        }
        return list
    }

    /// How a symbolic product is written: "y₀·w₁" on one line where it is readable at `cell`,
    /// else "y₀,₀·" over "w₁,₁", else nothing.
    private func productLines(y: String, w: String, cell: Double) -> [String] {
        let line = "\(y)·\(w)"
        if cellFontSize(cell, line) >= SlidingScene.minimumText { return [line] }
        let lines = ["\(y)·", w]
        return lines.allSatisfy({ min(cellFontSize(cell, $0), cell * 0.3) >= SlidingScene.minimumText }) ? lines : []
    }

    /// The cell sides at which every label (`all`) or every one-line label (`oneLine`) is readable.
    private func readableSides(_ plane: Plane, _ sums: Sums) -> (all: Double, oneLine: Double) {
        let rank = geometry.spatialRank
        var texts = (0..<plane.steps).map { source in numbers.values.map { formatNumber($0[source]) } ?? tapName("y", plane.outputPosition(source), rank: rank)
        }
        for i in 0..<plane.kernel[0] { for j in 0..<plane.kernel[1] { texts.append(numbers.tapText(numbers.kernelEntry([i, j], plane), plane, rank: rank)) } }
        if numbers.isNumeric {
            texts += sums.values.joined().map(formatNumber)
            texts += (0..<plane.steps).flatMap { products(plane, source: $0).compactMap { $0.value.map(formatNumber) } }
        } else {
            texts.append(String(sums.counts.joined().max() ?? 0))
        }
        let oneLine = SlidingScene.side(forCharacters: texts.map(\.count).max() ?? 1)
        guard !numbers.isNumeric, let first = products(plane, source: 0).first else { return (oneLine, oneLine) }
        // A symbolic product on one line, or on two: y· over w, each at 0.3 of the cell.
        let together = SlidingScene.side(forCharacters: first.y.count + 1 + first.w.count)
        let stacked = max(SlidingScene.minimumText / 0.3, SlidingScene.side(forCharacters: max(first.y.count + 1, first.w.count))).rounded(.up)
        return (max(oneLine, min(together, stacked)), oneLine)
    }

    private func captionLines(_ plane: Plane, _ sums: Sums) -> [String] {
        let rank = geometry.spatialRank
        let text = { (values: [Int]) in rank == 1 ? "\(values[1])" : "\(values[0])×\(values[1])" }
        var sentences = [
            "transposed convolution: y \(text(plane.output)) → z \(text(plane.input)), kernel \(text(plane.kernel)), stride \(plane.setting(plane.stride, rank: rank)), dilation \(plane.setting(plane.dilation, rank: rank))."
        ]
        // Only the borders that exist: "a border of 0 and 0" says nothing.
        var borders = [String]()
        if plane.before.contains(where: { $0 > 0 }) { borders.append("\(plane.setting(plane.before, rank: rank)) (\(rank == 1 ? "left" : "top/left"))") }
        if plane.after.contains(where: { $0 > 0 }) { borders.append("\(plane.setting(plane.after, rank: rank)) (\(rank == 1 ? "right" : "bottom/right"))") }
        let canvas = "Each y element times the kernel is written at stride spacing into a canvas of \(text(plane.padded)); "
        sentences.append(
            canvas + (borders.isEmpty ? "their sum is z." : "their sum, less a border of \(borders.joined(separator: " and ")) — the padding — is z."))
        let unreached = sums.unreached
        if !unreached.isEmpty {
            // Rows and columns of z beyond the last product (output_padding), and cells between products.
            let reach = (0..<2).map { (plane.output[$0] - 1) * plane.stride[$0] + plane.span[$0] }
            let trailing = (0..<2).map { max(0, plane.before[$0] + plane.input[$0] - reach[$0]) }
            var parts = [String]()
            let names = rank == 1 ? [nil, ("position", "positions")] : [("row", "rows"), ("column", "columns")]
            for d in 0..<2 where trailing[d] > 0 {
                guard let name = names[d] else { continue }
                parts.append(trailing[d] == 1 ? "the last \(name.0)" : "the last \(trailing[d]) \(name.1)")
            }
            var reached = parts.isEmpty ? "" : parts.joined(separator: " and ") + " of z (beyond the last product: output_padding)"
            let between = unreached.filter { cell in (0..<2).allSatisfy { cell[$0] < reach[$0] } }.count
            if between > 0 {
                reached +=
                    (reached.isEmpty ? "" : ", nor ")
                    + "\(between) cell\(between == 1 ? "" : "s") between the products (stride larger than the kernel's taps cover)"
            }
            sentences.append("No product reaches \(reached): \(unreached.count == 1 ? "it is" : "they are") 0.")
        }
        if numbers.flip { sentences.append("True convolution (MATLAB, SciPy): the kernel drawn rotated by 180°.") }
        return wrappedLines(sentences.joined(separator: " "), characters: 124)
    }

    /// y with the step's element marked, × the kernel, = the canvas with this product (or, last, all of them summed).
    private func panel(_ plane: Plane, _ sums: Sums, step: Int, cell: Double) -> Figure {
        let rank = geometry.spatialRank
        let elements = plane.steps
        let height = Double(max(plane.output[0], plane.kernel[0], plane.padded[0])) * cell
        var panel = Figure(width: 0, height: height)
        var x = 0.0
        func middle(_ rows: Int) -> Double { (height - Double(rows) * cell) / 2 }
        let yTop = middle(plane.output[0])
        let values = numbers.values
        panel.grid(
            plane.output, at: x, yTop, cell: cell, kind: { _, _ in .input },
            text: { r, c in values.map { formatNumber($0[r * plane.output[1] + c]) } ?? tapName("y", [r, c], rank: rank) },
            link: { r, c in "in:\(r * plane.output[1] + c)" })
        if step < elements {
            let position = plane.outputPosition(step)
            panel.rect(
                x + Double(position[1]) * cell, yTop + Double(position[0]) * cell, cell, cell, fill: nil, stroke: Palette.window, width: 3, role: "highlight")
        }
        x += Double(plane.output[1]) * cell + cell
        panel.text("×", x, height / 2, size: 18, centred: true, role: "operator")
        x += cell
        panel.grid(
            plane.kernel, at: x, middle(plane.kernel[0]), cell: cell, kind: { _, _ in .kernel },
            text: { numbers.tapText(numbers.kernelEntry([$0, $1], plane), plane, rank: rank) })
        x += Double(plane.kernel[1]) * cell + cell
        panel.text(step < elements ? "→" : "Σ", x, height / 2, size: 18, centred: true, role: "operator")
        x += cell
        let canvasTop = middle(plane.padded[0])
        let kept = sums.kept
        let isSum = step == elements
        panel.grid(
            plane.padded, at: x, canvasTop, cell: cell,
            kind: { kept($0, $1) ? .empty : .cropped },
            link: { r, c in kept(r, c) ? "out:\((r - plane.before[0]) * plane.input[1] + c - plane.before[1])" : nil })
        let write = { (panel: inout Figure, label: String, left: Double, top: Double) in
            if cellFontSize(cell, label) >= SlidingScene.minimumText {
                panel.text(label, left + cell / 2, top + cell / 2, size: cellFontSize(cell, label), centred: true, role: "cell-text")
            }
        }
        if isSum {
            for r in 0..<plane.padded[0] {
                for c in 0..<plane.padded[1] {
                    let left = x + Double(c) * cell, top = canvasTop + Double(r) * cell
                    if sums.counts[r][c] > 0 {
                        panel.rect(
                            left + 2, top + 2, cell - 4, cell - 4, fill: kept(r, c) ? Palette.product : Palette.croppedProduct, stroke: nil,
                            role: kept(r, c) ? "product" : "product cropped")
                        write(&panel, numbers.isNumeric ? formatNumber(sums.values[r][c]) : "\(sums.counts[r][c])", left, top)
                    } else if kept(r, c) {
                        // A cell of z that no product reaches: 0, whether values or counts are shown.
                        panel.rect(left + 2, top + 2, cell - 4, cell - 4, fill: Palette.empty, stroke: nil, role: "unreached")
                        write(&panel, "0", left, top)
                    }
                }
            }
        } else {
            for product in products(plane, source: step) {
                let r = product.cell[0], c = product.cell[1]
                let left = x + Double(c) * cell, top = canvasTop + Double(r) * cell
                panel.rect(
                    left + 2, top + 2, cell - 4, cell - 4, fill: kept(r, c) ? Palette.product : Palette.croppedProduct, stroke: nil,
                    role: kept(r, c) ? "product" : "product cropped")
                if let value = product.value {
                    write(&panel, formatNumber(value), left, top)
                    continue
                }
                let lines = productLines(y: product.y, w: product.w, cell: cell)
                for (n, line) in lines.enumerated() {
                    let size = lines.count == 1 ? cellFontSize(cell, line) : min(cellFontSize(cell, lines[0]), cellFontSize(cell, lines[1]), cell * 0.3)
                    let centre = lines.count == 1 ? cell / 2 : cell * (n == 0 ? 0.32 : 0.7)
                    panel.text(line, left + cell / 2, top + centre, size: size, centred: true, role: "cell-text")
                }
            }
        }
        panel.rect(
            x + Double(plane.before[1]) * cell, canvasTop + Double(plane.before[0]) * cell,
            Double(plane.input[1]) * cell, Double(plane.input[0]) * cell,
            fill: nil, stroke: Palette.ink, width: 2, dashed: true, role: "kept")
        panel.width = x + Double(plane.padded[1]) * cell
        return panel
    }

    /// Every role a legend entry stands for.
    private static let allRoles: Set<String> = ["input", "kernel", "product", "cropped", "product cropped", "unreached", "kept"]

    /// The legend entries for the roles drawn: fill, outline, label, dashed.
    private func legendEntries(_ plane: Plane, roles: Set<String>, sumShown: Bool) -> [(fill: Colour?, stroke: Colour?, label: String, dashed: Bool)] {
        let product = "product y·w" + (sumShown ? (numbers.isNumeric ? " (last panel: their sum)" : " (last panel: how many are added)") : "")
        let entries: [(String, Colour?, Colour?, String, Bool)] = [
            ("input", Palette.input, Palette.inputLine, "transposed input y", false),
            ("kernel", Palette.kernel, Palette.paddingLine, "kernel w", false),
            ("product", Palette.product, nil, product, false),
            ("cropped", Palette.padding, Palette.paddingLine, "cropped border (padding)", false),
            ("product cropped", Palette.croppedProduct, nil, "product cropped away", false),
            ("unreached", Palette.empty, Palette.grid, "no product reaches it: 0", false),
            ("kept", nil, Palette.ink, "output z", true),
        ]
        return entries.filter { roles.contains($0.0) }.map { ($0.1, $0.2, $0.3, $0.4) }
    }

    private func legend(_ figure: inout Figure, entries: [(fill: Colour?, stroke: Colour?, label: String, dashed: Bool)]) {
        let y = figure.height - 16
        var x = 10.0
        for (fill, stroke, label, dashed) in entries {
            figure.rect(x, y - 6, 12, 12, fill: fill, stroke: stroke, width: dashed ? 2 : 1, dashed: dashed, role: "legend")
            figure.text(label, x + 16, y, size: 12, role: "legend")
            x += 28 + Double(label.count) * 7
        }
        figure.width = max(figure.width, x + 10)
    }
}
