import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixPooling

/// The output size of a pooling layer with PyTorch's formula filled in,
/// per dimension, as `convmat shape --pool` prints it (text or JSON).
public struct PoolingShapeReport: Sendable {
    /// The layer.
    package let geometry: PoolingGeometry
    /// Which pooling.
    package let kind: PoolingMatrix.Kind

    /// The report for `geometry` pooled by `kind`.
    ///
    /// - Parameters:
    ///   - geometry: the pooling layer.
    ///   - kind: average or max pooling, which decides the words about divisors or selection.
    public init(_ geometry: PoolingGeometry, kind: PoolingMatrix.Kind) {
        self.geometry = geometry
        self.kind = kind
    }

    /// The report as lines of text, ending with a newline.
    public var text: String {
        let g = geometry
        var lines = [
            "\(kind == .average ? "average" : "max") pooling: input \(formatSize(g.inputSize)) → output \(formatSize(g.outputSize)), \(g.channels) channel\(g.channels == 1 ? "" : "s") (channels do not mix)"
        ]
        if g.ceilMode {
            lines.append(
                "o = ⌊(i + 2p − k + s − 1) / s⌋ + 1, less 1 if (o − 1)·s ≥ i + p (PyTorch's ceil_mode: the last window starts inside the input or the left padding)"
            )
        } else {
            lines.append("o = ⌊(i + 2p − k) / s⌋ + 1")
        }
        for d in 0..<g.spatialRank {
            let (i, k, s, p) = (g.inputSize[d], g.kernelSize[d], g.stride[d], g.padding[d])
            let settings = "k=\(k) s=\(s) padding \(p)"
            if g.ceilMode {
                let rounded = floorDivide((i + 2 * p - k) + (s - 1), s) + 1
                let dropped = rounded != g.outputSize[d]
                let start = (rounded - 1).multipliedReportingOverflow(by: s)
                let lastStart = start.overflow ? "more than \(Int.max)" : "\(start.partialValue)"
                lines.append(
                    "  dim \(d) (\(settings)): ⌊(\(i) + \(2 * p) − \(k) + \(s - 1)) / \(s)⌋ + 1 = \(rounded)"
                        + (dropped
                            ? "; (\(rounded) − 1)·\(s) = \(lastStart) ≥ \(i) + \(p), so the last window is dropped: \(g.outputSize[d])"
                            : "; (\(rounded) − 1)·\(s) = \(lastStart) < \(i) + \(p), kept"))
            } else {
                lines.append("  dim \(d) (\(settings)): ⌊(\(i) + \(2 * p) − \(k)) / \(s)⌋ + 1 = \(g.outputSize[d])")
            }
        }
        let name = kind == .average ? "A" : "S(x)"
        lines.append(
            "matrix \(name): \(g.rowCount)×\(g.columnCount), \(kind == .maximum ? "one 1 per row" : "one 1/|window| per input position of each window")")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as one JSON object: the sizes and settings per dimension and the matrix's shape.
    public var json: String {
        let g = geometry
        return JSONWriting.object([
            ("operation", JSONWriting.string(kind == .average ? "average pooling" : "max pooling")),
            ("input", JSONWriting.integers(g.inputSize)),
            ("output", JSONWriting.integers(g.outputSize)),
            ("channels", "\(g.channels)"),
            ("kernel", JSONWriting.integers(g.kernelSize)),
            ("stride", JSONWriting.integers(g.stride)),
            ("padding", JSONWriting.integers(g.padding)),
            ("ceil_mode", g.ceilMode ? "true" : "false"),
            ("matrix", JSONWriting.object([("rows", "\(g.rowCount)"), ("columns", "\(g.columnCount)")])),
        ])
    }
}

/// ⌊a / b⌋ for b > 0, rounding towards −∞ as PyTorch's `div_rtn` does.
private func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a - 1) / b) - 1 }
