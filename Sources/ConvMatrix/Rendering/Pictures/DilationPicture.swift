/// The last comparison in the TensorFlow padding notes, side by side: a dilated kernel (left) reads
/// k taps spread d apart — a larger receptive field, nothing inserted into
/// the input; a transposed convolution with stride s (right) inserts s − 1
/// zeros between the input values and slides a dense kernel over them.
/// Both look "spread out", but only the second one makes the data larger.
///
/// The left half uses the geometry's input, padding and dilation with the
/// window at the middle output; the right half the geometry's output as
/// the transposed input, its stride, and the full padding k − 1.
struct DilationPicture: Sendable {
    /// The convolution whose dilation and stride are contrasted.
    let geometry: ConvolutionGeometry


    /// The two halves with captions and a legend.
    func figure() throws(RenderingError) -> Figure {
        let plane = try Plane(geometry)
        let rank = geometry.spatialRank
        let text = { (values: [Int]) in rank == 1 ? "\(values[1])" : "\(values[0])×\(values[1])" }
        let inserted = (0..<2).map { (plane.output[$0] - 1) * plane.stride[$0] + 1 }
        let right = (0..<2).map { inserted[$0] + 2 * (plane.kernel[$0] - 1) }
        let cell = cellSide(for: plane.padded[1] + right[1] + 3, room: 620)

        var left = Figure(width: Double(plane.padded[1]) * cell, height: Double(plane.padded[0]) * cell)
        left.grid(plane.padded, at: 0, 0, cell: cell, kind: { r, c in
            r >= plane.before[0] && r < plane.before[0] + plane.input[0] && c >= plane.before[1] && c < plane.before[1] + plane.input[1] ? .input : .padding
        })
        let middle = [plane.output[0] / 2, plane.output[1] / 2]
        let origin = [middle[0] * plane.stride[0], middle[1] * plane.stride[1]]
        left.rect(Double(origin[1]) * cell, Double(origin[0]) * cell, Double(plane.span[1]) * cell, Double(plane.span[0]) * cell,
                  fill: nil, stroke: Palette.window, width: 2.5, dashed: plane.span != plane.kernel, role: "window")
        for i in 0..<plane.kernel[0] {
            for j in 0..<plane.kernel[1] {
                let r = origin[0] + i * plane.dilation[0], c = origin[1] + j * plane.dilation[1]
                left.dot((Double(c) + 0.5) * cell, (Double(r) + 0.5) * cell, radius: cell * 0.22, colour: Palette.window, role: "tap")
            }
        }

        var rightFigure = Figure(width: Double(right[1]) * cell, height: Double(right[0]) * cell)
        let pad = (0..<2).map { plane.kernel[$0] - 1 }
        rightFigure.grid(right, at: 0, 0, cell: cell, kind: { r, c in
            let q = [r - pad[0], c - pad[1]]
            let inside = (0..<2).allSatisfy { q[$0] >= 0 && q[$0] < inserted[$0] }
            guard inside else { return .padding }
            return (0..<2).allSatisfy { q[$0] % plane.stride[$0] == 0 } ? .input : .insertedZero
        }, text: { r, c in
            let q = [r - pad[0], c - pad[1]]
            let inside = (0..<2).allSatisfy { q[$0] >= 0 && q[$0] < inserted[$0] }
            return inside && !(0..<2).allSatisfy({ q[$0] % plane.stride[$0] == 0 }) ? "0" : nil
        })
        rightFigure.rect(0, 0, Double(plane.kernel[1]) * cell, Double(plane.kernel[0]) * cell,
                         fill: nil, stroke: Palette.window, width: 2.5, role: "window")
        for i in 0..<plane.kernel[0] {
            for j in 0..<plane.kernel[1] {
                rightFigure.dot((Double(j) + 0.5) * cell, (Double(i) + 0.5) * cell, radius: cell * 0.22, colour: Palette.window, role: "tap")
            }
        }

        let captions = [
            "(a) dilated convolution, d = \(plane.setting(plane.dilation, rank: rank)): \(text(plane.kernel)) taps (red dots) spread over \(text(plane.span));",
            "     the input keeps its size, only the receptive field grows",
            "(b) transposed convolution, s = \(plane.setting(plane.stride, rank: rank)): s − 1 = \(plane.setting(plane.stride.map { $0 - 1 }, rank: rank)) zero(s) inserted between the inputs,",
            "     padded by k − 1 = \(plane.setting(pad, rank: rank)); the \(text(plane.kernel)) kernel stays dense and the output grows",
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
        for (kind, label) in [(CellKind.input, "input"), (.padding, "zero padding"), (.insertedZero, "inserted zero")] {
            let style = kind.style
            figure.rect(x, y - 6, 12, 12, fill: style.fill, stroke: style.stroke, role: "legend")
            figure.text(label, x + 16, y, size: 11, role: "legend")
            x += 28 + Double(label.count) * 6.5
        }
        figure.dot(x + 6, y, radius: 5, colour: Palette.window, role: "legend")
        figure.text("kernel tap", x + 16, y, size: 11, role: "legend")
        figure.height = y + 16
        return figure
    }
}
