import ConvMatrixCore
import ConvMatrixInterchange

/// Dumoulin & Visin's equivalent direct convolution for a transposed
/// convolution (A guide to convolution arithmetic, §4.6): the transposed input y with s − 1 zeros inserted
/// between neighbours, padded, and the flipped kernel sliding over it with
/// stride 1.
///
/// For the convolution C (kernel k, stride s, dilation d, padding p_b and
/// p_a, leftover a = unused end positions), z = Cᵀy equals a stride-1
/// convolution with dilation d of the zero-inserted y (length (o − 1)s + 1)
/// padded by p′_b = d(k − 1) − p_b before and p′_a = d(k − 1) − p_a + a
/// after, with the kernel flipped: z[x] = Σ_k′ w[k − 1 − k′]·u[x − p′_b + k′d].
/// A negative p′ crops the zero-inserted input; the cropped cells are drawn orange.
struct ZeroInsertionPicture: SceneDrawing {
    /// The convolution whose transpose is drawn.
    let geometry: ConvolutionGeometry
    /// Weights, the transposed input's values, and the flip of a true convolution.
    var numbers = PictureNumbers.none

    func scene() throws(RenderingError) -> SlidingScene {
        let plane = try Plane(geometry)
        let rank = geometry.spatialRank
        let leftover = plane.leftover
        let inserted = (0..<2).map { (plane.output[$0] - 1) * plane.stride[$0] + 1 }
        let padBefore = (0..<2).map { plane.dilation[$0] * (plane.kernel[$0] - 1) - plane.before[$0] }
        let padAfter = (0..<2).map { plane.dilation[$0] * (plane.kernel[$0] - 1) - plane.after[$0] + leftover[$0] }
        // Grid cell g shows position g + start of the zero-inserted y (negative = padding).
        let start = (0..<2).map { min(-padBefore[$0], 0) }
        let end = (0..<2).map { max(inserted[$0], inserted[$0] + padAfter[$0]) }
        let grid = (0..<2).map { end[$0] - start[$0] }
        // Positions (in zero-inserted coordinates) that some window reads.
        let read = (0..<2).map { d -> Set<Int> in
            var set = Set<Int>()
            for x in 0..<plane.input[d] { for k in 0..<plane.kernel[d] { set.insert(x - padBefore[d] + k * plane.dilation[d]) } }
            return set
        }
        var kinds = [[CellKind]](), texts = [[String?]](), cellValues = [[Double]]()
        for r in 0..<grid[0] {
            var kindRow = [CellKind](), textRow = [String?](), valueRow = [Double]()
            for c in 0..<grid[1] {
                let q = [r + start[0], c + start[1]]
                let inside = (0..<2).allSatisfy { q[$0] >= 0 && q[$0] < inserted[$0] }
                let isValue = inside && (0..<2).allSatisfy { q[$0] % plane.stride[$0] == 0 }
                let isRead = (0..<2).allSatisfy { read[$0].contains(q[$0]) }
                if !inside {
                    // The last a positions of the padding are the zeros the leftover adds at the end (Dumoulin & Visin's a).
                    let extra = (0..<2).contains { leftover[$0] > 0 && q[$0] >= inserted[$0] + padAfter[$0] - leftover[$0] }
                    kindRow.append(extra ? .extraPadding : .padding); textRow.append(numbers.values == nil ? nil : "0"); valueRow.append(0)
                } else if isValue {
                    kindRow.append(isRead ? .input : .dropped)
                    let index = [q[0] / plane.stride[0], q[1] / plane.stride[1]]
                    let value = numbers.values.map { $0[index[0] * plane.output[1] + index[1]] }
                    textRow.append(value.map(formatNumber) ?? tapName("y", index, rank: rank))
                    valueRow.append(value ?? 0)
                } else {
                    kindRow.append(isRead ? .insertedZero : .dropped); textRow.append("0"); valueRow.append(0)
                }
            }
            kinds.append(kindRow)
            texts.append(textRow)
            cellValues.append(valueRow)
        }
        var legend: [(CellKind, String)] = [(.input, "transposed input y")]
        if kinds.joined().contains(where: { $0 == .insertedZero }) { legend.append((.insertedZero, "inserted zero")) }
        if kinds.joined().contains(where: { $0 == .padding }) { legend.append((.padding, "zero padding")) }
        if kinds.joined().contains(where: { $0 == .extraPadding }) { legend.append((.extraPadding, "a extra zeros (output padding)")) }
        if kinds.joined().contains(where: { $0 == .dropped }) { legend.append((.dropped, "cropped (negative padding)")) }
        let text = { (values: [Int]) in rank == 1 ? "\(values[1])" : "\(values[0])×\(values[1])" }
        let afterBase = (0..<2).map { padAfter[$0] - leftover[$0] }
        let afterText =
            leftover.allSatisfy { $0 == 0 }
            ? plane.setting(padAfter, rank: rank)
            : "\(plane.setting(afterBase, rank: rank)) + a = \(plane.setting(padAfter, rank: rank))"
        let caption = [
            "transposed convolution z = Cᵀy as a direct convolution: y \(text(plane.output)) → z \(text(plane.input))",
            insertedZerosText(plane, rank: rank) + ", " + equivalentPaddingText(plane, rank: rank, before: padBefore, after: afterText) + ",",
            numbers.flip
                ? "the kernel of a true convolution is rotated already, so flipping it again reads w forwards; stride 1"
                : "kernel flipped (w read backwards), stride 1",
        ]
        let numbers = self.numbers
        var scene = SlidingScene(
            grid: grid, kinds: kinds, texts: texts, output: plane.input, outputLetter: "z", rank: rank,
            caption: caption, legend: legend,
            window: { step in
                let x = [step / plane.input[1], step % plane.input[1]]
                let origin = (0..<2).map { x[$0] - padBefore[$0] - start[$0] }
                var taps = [(cell: [Int], name: String, weight: Double?)]()
                for i in 0..<plane.kernel[0] {
                    for j in 0..<plane.kernel[1] {
                        // The equivalent convolution reads the kernel backwards; a true convolution's kernel, already rotated, reads forwards.
                        let flipped = [plane.kernel[0] - 1 - i, plane.kernel[1] - 1 - j]
                        let entry = numbers.kernelEntry(flipped, plane)
                        taps.append(
                            (
                                [origin[0] + i * plane.dilation[0], origin[1] + j * plane.dilation[1]],
                                numbers.tapText(entry, plane, rank: rank), numbers.weight(entry, plane)
                            ))
                    }
                }
                return (origin, plane.span, taps)
            })
        if numbers.values != nil { scene.cellValues = cellValues }
        scene.inputElement = { r, c in
            let q = [r + start[0], c + start[1]]
            guard (0..<2).allSatisfy({ q[$0] >= 0 && q[$0] < inserted[$0] && q[$0] % plane.stride[$0] == 0 }) else { return nil }
            return q[0] / plane.stride[0] * plane.output[1] + q[1] / plane.stride[1]
        }
        return scene
    }
}

/// "s − 1 = 1 zero inserted between neighbours", or "no zeros inserted (stride 1)": a caption says only what is there.
func insertedZerosText(_ plane: Plane, rank: Int) -> String {
    let zeros = plane.stride.map { $0 - 1 }
    if zeros.allSatisfy({ $0 == 0 }) { return "no zeros inserted (stride 1)" }
    let count = plane.setting(zeros, rank: rank)
    return "s − 1 = \(count) zero\(count == "1" ? "" : "s") inserted between neighbours"
}

/// The equivalent padding d(k − 1) − p: "no padding (d(k − 1) − p = 0)", the same on each side, or before and after.
func equivalentPaddingText(_ plane: Plane, rank: Int, before: [Int], after: String) -> String {
    let beforeText = plane.setting(before, rank: rank)
    if beforeText == after { return before.allSatisfy { $0 == 0 } ? "no padding (d(k − 1) − p = 0)" : "padding d(k − 1) − p = \(beforeText) on each side" }
    return "padding d(k − 1) − p = \(beforeText) before and \(after) after"
}
