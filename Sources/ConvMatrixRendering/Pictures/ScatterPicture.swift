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
    /// past them, is the sum), an animation of all of them, or a contact sheet.
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
        let widest = plane.output[1] + plane.kernel[1] + plane.padded[1] + 6
        let single = animated || step != nil
        let sheets = (steps + SlidingScene.panelsPerSheet - 1) / SlidingScene.panelsPerSheet
        let page = sheet ?? 1
        if !single && !(1...sheets).contains(page) {
            throw .invalid(
                field: "sheet",
                reason:
                    "= \(page) must be between 1 and \(sheets): the \(steps) steps fill \(sheets) sheet\(sheets == 1 ? "" : "s") of at most \(SlidingScene.panelsPerSheet)"
            )
        }
        let pageSteps = Array(((page - 1) * SlidingScene.panelsPerSheet)..<min(page * SlidingScene.panelsPerSheet, steps))
        // One-row (1-D) panels are flat, so a contact sheet can give them more width.
        // Cells large enough for every label to be 9 pt at 100 % zoom, where the figure stays within 1100 px.
        let base = cellSide(for: widest, room: single || plane.input[0] == 1 ? 640 : 300)
        let longest = numbers.values != nil || numbers.weights != nil ? 6 : 5
        let needed = max(SlidingScene.minimumText / 0.42, SlidingScene.minimumText / 1.5 * Double(longest)).rounded(.up)
        let cell = base >= needed || needed * Double(widest) > SlidingScene.readableWidth ? base : needed
        let shown = animated ? Array(0..<steps) : step.map { [$0] } ?? pageSteps
        let panels = shown.map { panel(plane, step: $0, cell: cell) }
        let panelWidth = panels.map(\.width).max() ?? 0, panelHeight = panels.map(\.height).max() ?? 0
        let columns = single ? 1 : min(shown.count, max(1, Int((SlidingScene.readableWidth / (panelWidth + 24)).rounded(.down))))
        let rows = single ? 1 : (shown.count + columns - 1) / columns
        var caption = captionLines(plane)
        if !single && sheets > 1 {
            let others = (1...sheets).filter { $0 != page }.map { "--sheet \($0)" }.joined(separator: ", ")
            caption.append(
                "sheet \(page) of \(sheets): steps \(pageSteps.first ?? 0)–\(pageSteps.last ?? 0) of 0–\(steps - 1); the others: \(others), or one step with --step t, or --animate"
            )
        }
        let captionWidth = caption.map { Double($0.count) * 7.4 }.max() ?? 0
        var figure = Figure(width: max(Double(columns) * (panelWidth + 24), captionWidth, 560) + 20, height: 0)
        var top = 18.0
        for line in caption {
            figure.text(line, 10, top, size: 13, role: "caption")
            top += 18
        }
        top += 6
        for (n, (t, panel)) in zip(shown, panels).enumerated() {
            let x = 10 + Double(single ? 0 : n % columns) * (panelWidth + 24)
            let y = top + Double(single ? 0 : n / columns) * (panelHeight + 30)
            let title =
                t == elements
                ? "sum of all products, border cropped → z"
                : "step \(t): \(tapName("y", plane.outputPosition(t), rank: geometry.spatialRank)) · w placed at stride \(plane.stride[1])"
            figure.text(title, x, y + 7, size: 12, role: "step-caption", frame: animated ? t : nil)
            figure.add(panel, at: x, y + 18, frame: animated ? t : nil)
        }
        if animated { figure.frameCount = steps }
        figure.height = top + Double(rows) * (panelHeight + 30) + 30
        legend(&figure)
        return figure
    }

    private func captionLines(_ plane: Plane) -> [String] {
        let rank = geometry.spatialRank
        let text = { (values: [Int]) in rank == 1 ? "\(values[1])" : "\(values[0])×\(values[1])" }
        let lines =
            [
                "transposed convolution: y \(text(plane.output)) → z \(text(plane.input)), kernel \(text(plane.kernel)), stride \(plane.setting(plane.stride, rank: rank)), dilation \(plane.setting(plane.dilation, rank: rank))",
                "each y element times the kernel is written at stride spacing into a canvas of \(text(plane.padded)); the sum, less a border of",
                "\(plane.setting(plane.before, rank: rank)) (top/left) and \(plane.setting(plane.after, rank: rank)) (bottom/right) — the padding — is z",
            ] + (numbers.flip ? ["true convolution (MATLAB, SciPy): the kernel drawn rotated by 180°"] : [])
        return lines
    }

    /// y with the step's element marked, × the kernel, = the canvas with this product (or, last, all of them summed).
    private func panel(_ plane: Plane, step: Int, cell: Double) -> Figure {
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
        var counts = [[Int]](repeating: [Int](repeating: 0, count: plane.padded[1]), count: plane.padded[0])
        var names = [[String?]](repeating: [String?](repeating: nil, count: plane.padded[1]), count: plane.padded[0])
        var sums = [[Double]](repeating: [Double](repeating: 0, count: plane.padded[1]), count: plane.padded[0])
        let numeric = numbers.values != nil && numbers.weights != nil
        let sources = step < elements ? [step] : Array(0..<elements)
        for source in sources {
            let position = plane.outputPosition(source)
            for i in 0..<plane.kernel[0] {
                for j in 0..<plane.kernel[1] {
                    let r = position[0] * plane.stride[0] + i * plane.dilation[0]
                    let c = position[1] * plane.stride[1] + j * plane.dilation[1]
                    counts[r][c] += 1
                    let entry = numbers.kernelEntry([i, j], plane)
                    names[r][c] = numbers.tapText(entry, plane, rank: rank)
                    if numeric, let weight = numbers.weight(entry, plane), let values = numbers.values {
                        let y = values[position[0] * plane.output[1] + position[1]]
                        sums[r][c] += y * weight
                        if step < elements { names[r][c] = "\(formatNumber(y))·\(formatNumber(weight))" }
                    }
                }
            }
        }
        let kept = { (r: Int, c: Int) in
            r >= plane.before[0] && r < plane.before[0] + plane.input[0] && c >= plane.before[1] && c < plane.before[1] + plane.input[1]
        }
        panel.grid(
            plane.padded, at: x, canvasTop, cell: cell, kind: { kept($0, $1) ? .empty : .cropped },
            link: { r, c in kept(r, c) ? "out:\((r - plane.before[0]) * plane.input[1] + c - plane.before[1])" : nil })
        for r in 0..<plane.padded[0] {
            for c in 0..<plane.padded[1] where counts[r][c] > 0 {
                let left = x + Double(c) * cell, top = canvasTop + Double(r) * cell
                panel.rect(
                    left + 2, top + 2, cell - 4, cell - 4, fill: kept(r, c) ? Palette.product : Palette.croppedProduct, stroke: nil,
                    role: kept(r, c) ? "product" : "product cropped")
                let label =
                    numeric
                    ? (step < elements ? formatNumber(sums[r][c]) : formatNumber(sums[r][c])) : (step < elements ? names[r][c] ?? "" : "\(counts[r][c])")
                if cellFontSize(cell, label) >= SlidingScene.minimumText {
                    panel.text(label, left + cell / 2, top + cell / 2, size: cellFontSize(cell, label), centred: true, role: "cell-text")
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

    private func legend(_ figure: inout Figure) {
        let y = figure.height - 16
        var x = 10.0
        let entries: [(Colour?, Colour?, String, Bool)] = [
            (Palette.input, Palette.inputLine, "transposed input y", false),
            (Palette.kernel, Palette.paddingLine, "kernel w", false),
            (
                Palette.product, nil,
                numbers.values != nil && numbers.weights != nil ? "product y·w (sum: the values added up)" : "product (sum: how many add up here)", false
            ),
            (Palette.padding, Palette.paddingLine, "cropped border (padding)", false),
            (Palette.croppedProduct, nil, "product cropped away", false),
            (nil, Palette.ink, "output z", true),
        ]
        for (fill, stroke, label, dashed) in entries {
            figure.rect(x, y - 6, 12, 12, fill: fill, stroke: stroke, width: dashed ? 2 : 1, dashed: dashed, role: "legend")
            figure.text(label, x + 16, y, size: 12, role: "legend")
            x += 28 + Double(label.count) * 7
        }
        figure.width = max(figure.width, x + 10)
    }
}
