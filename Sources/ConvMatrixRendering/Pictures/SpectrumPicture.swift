import ConvMatrixCore

/// The spectrum of C as an SVG picture: the singular values sorted (a bar per value, or a line when
/// there are many), and for a circulant C the largest singular value at each frequency,
/// ‖A(f)‖₂ — in 1-D with one channel the modulus of the kernel's DFT — as a grey-scale image.
package struct SpectrumPicture: Sendable {
    /// The singular values, descending.
    let values: [Double]
    /// The input's spatial sizes and ‖A(f)‖₂ per frequency (row-major), for the fourier route.
    let frequencies: (sizes: [Int], magnitudes: [Double])?
    /// The caption under the plot.
    let caption: String

    /// A picture of `values` and, when given, the per-frequency magnitudes.
    ///
    /// - Parameters:
    ///   - values: every singular value, descending.
    ///   - frequencies: the spatial sizes and ‖A(f)‖₂ per frequency, row-major, or nil.
    ///   - caption: one line under the plot (the geometry, σ_max, σ_min).
    package init(values: [Double], frequencies: (sizes: [Int], magnitudes: [Double])?, caption: String) {
        self.values = values
        self.frequencies = frequencies
        self.caption = caption
    }

    /// The most frequencies drawn as cells (a 64×64 grid); more are refused by the command.
    package static let frequencyCellLimit = 4096

    /// The SVG document.
    package var svg: String {
        let plotWidth = 480.0, plotHeight = 240.0, margin = 48.0
        let imageSide = frequencies == nil ? 0.0 : 240.0
        let width = margin + plotWidth + (frequencies == nil ? 24 : 48 + imageSide) + 16
        let height = margin + plotHeight + 64
        let top = values.first ?? 0
        let scale = top > 0 ? plotHeight / top : 0
        var parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\" viewBox=\"0 0 \(svgNumber(width)) \(svgNumber(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>",
            "<text x=\"\(svgNumber(margin))\" y=\"20\" font-size=\"14\" fill=\"#\(Palette.ink.hex)\">singular values of C, sorted (\(values.count))</text>",
        ]
        // Axes: σ from 0 to σ_max, index from 1 to the count.
        let baseline = margin + plotHeight
        parts.append(
            "<path d=\"M\(svgNumber(margin)) \(svgNumber(margin))V\(svgNumber(baseline))H\(svgNumber(margin + plotWidth))\" fill=\"none\" stroke=\"#\(Palette.ink.hex)\"/>"
        )
        parts.append(
            "<text x=\"\(svgNumber(margin - 6))\" y=\"\(svgNumber(margin + 4))\" text-anchor=\"end\" fill=\"#\(Palette.ink.hex)\">\(formatNumber(top))</text>")
        parts.append("<text x=\"\(svgNumber(margin - 6))\" y=\"\(svgNumber(baseline + 4))\" text-anchor=\"end\" fill=\"#\(Palette.ink.hex)\">0</text>")
        let step = values.isEmpty ? 0 : plotWidth / Double(values.count)
        if values.count <= 240 {
            for (i, value) in values.enumerated() {
                let h = value * scale
                parts.append(
                    "<rect x=\"\(svgNumber(margin + Double(i) * step + step * 0.1))\" y=\"\(svgNumber(baseline - h))\" width=\"\(svgNumber(step * 0.8))\" height=\"\(svgNumber(h))\" fill=\"#\(Palette.inputLine.hex)\"/>"
                )
            }
        } else {
            let points = values.enumerated().map { i, value in "\(svgNumber(margin + (Double(i) + 0.5) * step)),\(svgNumber(baseline - value * scale))" }
            parts.append("<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#\(Palette.inputLine.hex)\" stroke-width=\"2\"/>")
        }
        parts.append(
            "<text x=\"\(svgNumber(margin + plotWidth / 2))\" y=\"\(svgNumber(baseline + 20))\" text-anchor=\"middle\" fill=\"#\(Palette.ink.hex)\">index i (σ₁ = σ_max … σ_min)</text>"
        )
        parts.append("<text x=\"\(svgNumber(margin))\" y=\"\(svgNumber(baseline + 44))\" fill=\"#\(Palette.ink.hex)\">\(xmlEscaped(caption))</text>")
        if let frequencies {
            parts += frequencyImage(frequencies, left: margin + plotWidth + 48, top: margin, side: imageSide)
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    /// ‖A(f)‖₂ as grey cells, black for the largest: 1-D as one row, 2-D as rows × columns, higher
    /// ranks as their first two dimensions' slices side by side (flattened row-major into a grid).
    private func frequencyImage(_ frequencies: (sizes: [Int], magnitudes: [Double]), left: Double, top: Double, side: Double) -> [String] {
        let rows = frequencies.sizes.count >= 2 ? frequencies.sizes.dropLast().reduce(1, *) : 1
        let columns = frequencies.sizes.last ?? 1
        let cell = min(side / Double(columns), side / Double(rows))
        let largest = frequencies.magnitudes.max() ?? 0
        var parts = [
            "<text x=\"\(svgNumber(left))\" y=\"20\" font-size=\"14\" fill=\"#\(Palette.ink.hex)\">‖A(f)‖₂ per frequency (the kernel's DFT)</text>"
        ]
        for (index, magnitude) in frequencies.magnitudes.enumerated() {
            let level = largest > 0 ? Int((255 * (1 - magnitude / largest)).rounded()) : 255
            let hex = String(level, radix: 16, uppercase: true)
            let grey = (hex.count == 1 ? "0" : "") + hex
            parts.append(
                "<rect x=\"\(svgNumber(left + Double(index % columns) * cell))\" y=\"\(svgNumber(top + Double(index / columns) * cell))\" width=\"\(svgNumber(cell))\" height=\"\(svgNumber(cell))\" fill=\"#\(grey)\(grey)\(grey)\"/>"
            )
        }
        parts.append(
            "<rect x=\"\(svgNumber(left))\" y=\"\(svgNumber(top))\" width=\"\(svgNumber(cell * Double(columns)))\" height=\"\(svgNumber(cell * Double(rows)))\" fill=\"none\" stroke=\"#\(Palette.ink.hex)\"/>"
        )
        parts.append(
            "<text x=\"\(svgNumber(left))\" y=\"\(svgNumber(top + cell * Double(rows) + 18))\" fill=\"#\(Palette.ink.hex)\">black: \(formatNumber(largest)), white: 0; f = 0 at the top left</text>"
        )
        return parts
    }
}
