import ConvMatrixCore

extension Tensor {
    /// The tensor as grids of numbers to read, one per sample and channel
    /// (`convmat run --format grid`): the last spatial axis across, the one
    /// before it down, so that the 2×2 result of *Dive into Deep Learning*'s
    /// matrix example (X = arange(9) as 3×3, K = [[1, 2], [3, 4]]) reads as
    /// the matrix it is, 27 37 / 57 67; a 3-D
    /// tensor adds a grid per depth. Columns are right-aligned per grid.
    ///
    /// - Parameters:
    ///   - layout: where the channel axis is: second (`pytorch`, N C spatial…) or last (`tensorflow`, N spatial… C).
    ///   - name: what the tensor is called in the headings (`output`).
    /// - Returns: the text, a heading line per grid and a blank line between grids, ending with a newline.
    /// - Complexity: O(entries).
    public func grids(layout: ConvolutionCase.Layout, name: String = "output") -> String {
        guard shape.count >= 3 else { return "\(name): shape \(shape), " + data.map(formatNumber).joined(separator: " ") + "\n" }
        let rank = shape.count - 2
        let channelsFirst = layout == .pytorch ? self : permuted([0, rank + 1] + Array(1...rank))
        let spatial = Array(channelsFirst.shape[2...])
        let columns = spatial[rank - 1]
        let rows = rank >= 2 ? spatial[rank - 2] : 1
        let planes = spatial.dropLast(2).reduce(1, *)
        let planeSize = rows * columns
        let axes =
            layout == .pytorch
            ? "N, C, " + ["D", "H", "W"].suffix(rank).joined(separator: ", ") : "N, " + ["D", "H", "W"].suffix(rank).joined(separator: ", ") + ", C"
        var text = "\(name): shape [\(shape.map(String.init).joined(separator: ", "))] (\(layout.rawValue) layout: \(axes))\n"
        for sample in 0..<channelsFirst.shape[0] {
            for channel in 0..<channelsFirst.shape[1] {
                for plane in 0..<planes {
                    let start = ((sample * channelsFirst.shape[1] + channel) * planes + plane) * planeSize
                    let cells = channelsFirst.data[start..<(start + planeSize)].map(formatNumber)
                    let width = cells.map(\.count).max() ?? 1
                    let depth = planes > 1 ? ", depth \(plane)" : ""
                    text += "\nsample \(sample), channel \(channel)\(depth) (\(rank == 1 ? "\(columns)" : "\(rows)×\(columns)")):\n"
                    for row in 0..<rows {
                        let line = (0..<columns).map { column in
                            let cell = cells[row * columns + column]
                            return String(repeating: " ", count: width - cell.count) + cell
                        }
                        text += "  " + line.joined(separator: "  ") + "\n"
                    }
                }
            }
        }
        return text
    }
}
