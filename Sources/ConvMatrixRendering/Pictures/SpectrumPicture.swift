import ConvMatrixCore
import ConvMatrixVerification

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

    /// The SVG document. Its width follows the longest label, estimated at 0.62 em per character
    /// (DejaVu Sans averages about 0.55), so that no text is cut off at the edges; the numbers on the
    /// axes have four significant digits (the caption and `--json` have more).
    package var svg: String {
        let plotWidth = 480.0, plotHeight = 240.0, plotTop = 48.0, imageSide = 240.0
        let ink = "fill=\"#\(Palette.ink.hex)\""
        let top = values.first ?? 0
        let ticks = top > 0 ? [(0.0, "0"), (top / 2, reportNumber(top / 2)), (top, reportNumber(top))] : [(0.0, "0")]
        let left = max(48, 16 + (ticks.map { Self.textWidth($0.1, size: 12) }.max() ?? 0) + 8)
        let baseline = plotTop + plotHeight
        let scale = top > 0 ? plotHeight / top : 0
        let title = "singular values of C, sorted (\(values.count))"
        let axisName = "index i (σ₁ = σ_max … σ_min)"
        var panel = [String]()
        var panelWidth = 0.0
        if let frequencies {
            let drawn = frequencyImage(frequencies, left: left + plotWidth + 48, top: plotTop, side: imageSide)
            (panel, panelWidth) = (drawn.parts, drawn.width)
        }
        let width = max(left + plotWidth + (frequencies == nil ? 24 : 48 + panelWidth + 16), left + Self.textWidth(title, size: 14) + 16)
        // A long caption (a singular C's condition) is broken into lines rather than widening the
        // picture, which would shrink every text on a slide.
        let captionLines = Self.wrap(caption, width: width - 32, size: 12)
        let height = baseline + 76 + 16 * Double(captionLines.count - 1)
        var parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(svgNumber(width))\" height=\"\(svgNumber(height))\" viewBox=\"0 0 \(svgNumber(width)) \(svgNumber(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/>",
            "<text x=\"\(svgNumber(left))\" y=\"20\" font-size=\"14\" \(ink)>\(xmlEscaped(title))</text>",
            "<text x=\"\(svgNumber(left - 8))\" y=\"\(svgNumber(plotTop - 12))\" text-anchor=\"end\" \(ink)>σ_i</text>",
        ]
        // Axes: σ from 0 to σ_max with a tick at each labelled value, index from 1 to the count.
        parts.append(
            "<path d=\"M\(svgNumber(left)) \(svgNumber(plotTop))V\(svgNumber(baseline))H\(svgNumber(left + plotWidth))\" fill=\"none\" stroke=\"#\(Palette.ink.hex)\"/>"
        )
        for (value, label) in ticks {
            let y = baseline - value * scale
            parts.append("<path d=\"M\(svgNumber(left - 4)) \(svgNumber(y))H\(svgNumber(left))\" stroke=\"#\(Palette.ink.hex)\"/>")
            parts.append("<text x=\"\(svgNumber(left - 8))\" y=\"\(svgNumber(y + 4))\" text-anchor=\"end\" \(ink)>\(label)</text>")
        }
        let step = values.isEmpty ? 0 : plotWidth / Double(values.count)
        if values.count <= 240 {
            for (i, value) in values.enumerated() {
                let h = value * scale
                parts.append(
                    "<rect x=\"\(svgNumber(left + Double(i) * step + step * 0.1))\" y=\"\(svgNumber(baseline - h))\" width=\"\(svgNumber(step * 0.8))\" height=\"\(svgNumber(h))\" fill=\"#\(Palette.inputLine.hex)\"/>"
                )
            }
        } else {
            let points = values.enumerated().map { i, value in "\(svgNumber(left + (Double(i) + 0.5) * step)),\(svgNumber(baseline - value * scale))" }
            parts.append("<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#\(Palette.inputLine.hex)\" stroke-width=\"2\"/>")
        }
        if !values.isEmpty {
            parts.append("<text x=\"\(svgNumber(left + step / 2))\" y=\"\(svgNumber(baseline + 16))\" text-anchor=\"middle\" \(ink)>1</text>")
            if values.count > 1 {
                parts.append(
                    "<text x=\"\(svgNumber(left + plotWidth - step / 2))\" y=\"\(svgNumber(baseline + 16))\" text-anchor=\"middle\" \(ink)>\(values.count)</text>"
                )
            }
        }
        parts.append("<text x=\"\(svgNumber(left + plotWidth / 2))\" y=\"\(svgNumber(baseline + 34))\" text-anchor=\"middle\" \(ink)>\(axisName)</text>")
        for (n, line) in captionLines.enumerated() {
            parts.append("<text x=\"16\" y=\"\(svgNumber(baseline + 62 + 16 * Double(n)))\" \(ink)>\(xmlEscaped(line))</text>")
        }
        parts += panel
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    /// `text` broken at spaces into lines of at most `width` (by `textWidth`); a word longer than that stays whole.
    static func wrap(_ text: String, width: Double, size: Double) -> [String] {
        var lines = [String]()
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            if let last = lines.last, textWidth(last + " " + word, size: size) <= width {
                lines[lines.count - 1] = last + " " + word
            } else {
                lines.append(word)
            }
        }
        return lines.isEmpty ? [""] : lines
    }

    /// An estimate of a text's width: 0.62 em per character, a little above DejaVu Sans's average.
    static func textWidth(_ text: String, size: Double) -> Double { Double(text.count) * 0.62 * size }

    /// ‖A(f)‖₂ as grey cells, black for the largest: 1-D as one row, 2-D as rows × columns, higher
    /// ranks as their first two dimensions' slices side by side (flattened row-major into a grid).
    /// Returns the elements and the width they take, the longer of the image and its labels.
    private func frequencyImage(
        _ frequencies: (sizes: [Int], magnitudes: [Double]), left: Double, top: Double, side: Double
    ) -> (parts: [String], width: Double) {
        let rows = frequencies.sizes.count >= 2 ? frequencies.sizes.dropLast().reduce(1, *) : 1
        let columns = frequencies.sizes.last ?? 1
        let cell = min(side / Double(columns), side / Double(rows))
        let largest = frequencies.magnitudes.max() ?? 0
        let ink = "fill=\"#\(Palette.ink.hex)\""
        let title = "‖A(f)‖₂ per frequency"
        let legend = ["black: \(reportNumber(largest)) (σ_max), white: 0", "f = 0 at the top left"]
        var parts = ["<text x=\"\(svgNumber(left))\" y=\"20\" font-size=\"14\" \(ink)>\(title)</text>"]
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
        for (n, line) in legend.enumerated() {
            parts.append("<text x=\"\(svgNumber(left))\" y=\"\(svgNumber(top + cell * Double(rows) + 18 + 16 * Double(n)))\" \(ink)>\(line)</text>")
        }
        let width = max(cell * Double(columns), Self.textWidth(title, size: 14), legend.map { Self.textWidth($0, size: 12) }.max() ?? 0)
        return (parts, width)
    }
}
