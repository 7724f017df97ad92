import ConvMatrixCore
import ConvMatrixInterchange

/// The convolution picture of the textbooks: the input (blue) inside its
/// padding (grey), the kernel window (red) at one step, and the output cell
/// that window produces. Window t at output position (a, b) covers padded
/// rows a·s + k·d and columns b·s + k·d.
///
/// Padding that exists only at the end — TensorFlow SAME's odd extra zero,
/// ⌈P/2⌉ − ⌊P/2⌋ — is drawn darker, and input that no window reads (VALID
/// with a stride that does not divide evenly) orange, as in the TensorFlow padding notes.
/// With a `PaddingMode` other than zeros each padding cell holds a copy of an
/// input element: it shows that element's value (with numbers) or its name
/// (x₁, x(1,0)), and links to it.
struct SlidingPicture: SceneDrawing {
    /// The convolution drawn.
    let geometry: ConvolutionGeometry
    /// Weights, input values, and the flip of a true convolution.
    var numbers = PictureNumbers.none

    func scene() throws(RenderingError) -> SlidingScene {
        let plane = try Plane(geometry)
        let rank = geometry.spatialRank
        let read = (plane.readPositions(0), plane.readPositions(1))
        let padded = plane.padded
        func kind(_ r: Int, _ c: Int) -> CellKind {
            let insideRow = r >= plane.before[0] && r < plane.before[0] + plane.input[0]
            let insideColumn = c >= plane.before[1] && c < plane.before[1] + plane.input[1]
            if insideRow && insideColumn { return read.0.contains(r) && read.1.contains(c) ? .input : .dropped }
            let extraRow = r >= padded[0] - max(plane.after[0] - plane.before[0], 0)
            let extraColumn = c >= padded[1] - max(plane.after[1] - plane.before[1], 0)
            return extraRow || extraColumn ? .extraPadding : .padding
        }
        let kinds = (0..<padded[0]).map { r in (0..<padded[1]).map { c in kind(r, c) } }
        // The input element a cell holds: inside the data its own, in the padding the one the mode copies (none for zeros).
        let mode = geometry.paddingMode
        let copied = (0..<2).map { d in
            (0..<padded[d]).map { q in mode.source(ofPadded: q, inputSize: plane.input[d], paddingBefore: plane.before[d]) }
        }
        func element(_ r: Int, _ c: Int) -> Int? {
            guard let i = copied[0][r], let j = copied[1][c] else { return nil }
            return i * plane.input[1] + j
        }
        // With values: every cell holds its number, padding 0 or the value it copies.
        let cellValues: [[Double]]? = numbers.values.map { values in
            (0..<padded[0]).map { r in (0..<padded[1]).map { c in element(r, c).map { values[$0] } ?? 0 } }
        }
        var texts: [[String?]] =
            cellValues.map { $0.map { $0.map { Optional(formatNumber($0)) } } }
            ?? [[String?]](repeating: [String?](repeating: nil, count: padded[1]), count: padded[0])
        if cellValues == nil && mode != .zeros {
            // Symbolically, a padding cell names the element it copies.
            for r in 0..<padded[0] {
                for c in 0..<padded[1] where kinds[r][c] == .padding || kinds[r][c] == .extraPadding {
                    guard let i = copied[0][r], let j = copied[1][c] else { continue }
                    texts[r][c] = tapName("x", [i, j], rank: rank)
                }
            }
        }
        let numbers = self.numbers
        var legend: [(CellKind, String)] = [(.input, "input x")]
        if kinds.joined().contains(where: { $0 == .padding }) {
            legend.append((.padding, mode == .zeros ? "zero padding" : "padding: copies of input elements (padding_mode \(mode.rawValue))"))
        }
        if kinds.joined().contains(where: { $0 == .extraPadding }) { legend.append((.extraPadding, "extra padding at the end (odd total)")) }
        if kinds.joined().contains(where: { $0 == .dropped }) { legend.append((.dropped, "input no window reads")) }
        var scene = SlidingScene(
            grid: padded, kinds: kinds, texts: texts, output: plane.output, outputLetter: "y", rank: rank,
            caption: caption(plane, rank: rank), legend: legend,
            window: { step in
                let position = plane.outputPosition(step)
                let origin = [position[0] * plane.stride[0], position[1] * plane.stride[1]]
                var taps = [(cell: [Int], name: String, weight: Double?)]()
                for i in 0..<plane.kernel[0] {
                    for j in 0..<plane.kernel[1] {
                        let entry = numbers.kernelEntry([i, j], plane)
                        taps.append(
                            (
                                [origin[0] + i * plane.dilation[0], origin[1] + j * plane.dilation[1]],
                                numbers.tapText(entry, plane, rank: rank), numbers.weight(entry, plane)
                            ))
                    }
                }
                return (origin, plane.span, taps)
            })
        scene.cellValues = cellValues
        scene.inputElement = element
        return scene
    }

    private func caption(_ plane: Plane, rank: Int) -> [String] {
        let g = geometry
        let text = { (values: [Int]) in rank == 1 ? "\(values[0])" : values.map(String.init).joined(separator: "×") }
        var lines = [
            "convolution: input \(text(g.inputSize)), kernel \(text(g.kernelSize)), stride \(plane.setting(plane.stride, rank: rank)), dilation \(plane.setting(plane.dilation, rank: rank)) → output \(text(g.outputSize))"
        ]
        let padding = (0..<rank).map { "\(g.paddingBefore[$0])+\(g.paddingAfter[$0])" }.joined(separator: ", ")
        var note = "padding before+after: \(padding)"
        if g.paddingMode != .zeros {
            note +=
                ", filled by padding_mode \(g.paddingMode.rawValue): every padding cell holds a copy of an input element\(numbers.values == nil ? " and names it" : ", its value")"
        } else if g.paddingBefore != g.paddingAfter {
            note += " (the extra zero goes to the bottom/right, as TensorFlow's SAME does)"
        }
        lines.append(note)
        if numbers.flip {
            lines.append(
                "true convolution (MATLAB conv2, SciPy convolve2d): the kernel rotated by 180°, so the window's first tap multiplies the kernel's last entry")
        }
        return lines
    }
}
