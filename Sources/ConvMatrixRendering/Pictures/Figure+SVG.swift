import ConvMatrixCore
import ConvMatrixInterchange

extension Figure {
    /// The figure as a standalone SVG 1.1 document.
    ///
    /// Every shape carries its role as `class`. An animated figure wraps
    /// each frame's shapes in a group whose visibility a discrete SMIL
    /// `<animate>` switches on for 1/n of the cycle; frame 0 is visible
    /// without animation, so converters that ignore SMIL (rsvg-convert)
    /// draw the first step.
    ///
    /// - Parameter linked: also write each grid cell's `Shape.link` as a
    ///   `data-link` attribute, for a page that links the picture to the
    ///   matrix (the explorer); files keep the plain SVG.
    /// - Returns: the document, ending with a newline.
    /// - Complexity: O(shapes) time and memory.
    public func svg(linked: Bool = false) -> String {
        var lines = [String]()
        let w = svgNumber(width), h = svgNumber(height)
        lines.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        lines.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">"
        )
        lines.append("<rect class=\"background\" x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#FFFFFF\"/>")
        for shape in shapes where shape.frame == nil { lines.append(svgElement(shape, linked: linked)) }
        if frameCount > 0 {
            let total = svgNumber(Double(frameCount) * frameSeconds)
            for frame in 0..<frameCount {
                lines.append("<g class=\"frame\" visibility=\"\(frame == 0 ? "visible" : "hidden")\">")
                lines.append(frameAnimation(frame, duration: total))
                for shape in shapes where shape.frame == frame { lines.append(svgElement(shape, linked: linked)) }
                lines.append("</g>")
            }
        }
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `<animate>` that shows frame `frame` during [frame/n, (frame+1)/n) of each cycle.
    private func frameAnimation(_ frame: Int, duration: String) -> String {
        let n = Double(frameCount)
        let start = svgNumber(Double(frame) / n), end = svgNumber(Double(frame + 1) / n)
        let (values, times): (String, String)
        if frameCount == 1 {
            (values, times) = ("visible", "0")
        } else if frame == 0 {
            (values, times) = ("visible;hidden", "0;\(end)")
        } else if frame == frameCount - 1 {
            (values, times) = ("hidden;visible", "0;\(start)")
        } else {
            (values, times) = ("hidden;visible;hidden", "0;\(start);\(end)")
        }
        return
            "<animate attributeName=\"visibility\" calcMode=\"discrete\" values=\"\(values)\" keyTimes=\"\(times)\" dur=\"\(duration)s\" repeatCount=\"indefinite\"/>"
    }

    private func svgElement(_ shape: Shape, linked: Bool) -> String {
        var paint = "class=\"\(xmlEscaped(shape.role))\""
        if linked, let link = shape.link { paint += " data-link=\"\(xmlEscaped(link))\"" }
        switch shape.kind {
        case .text: break
        default:
            paint += " fill=\"\(shape.fill.map { "#" + $0.hex } ?? "none")\""
            if let stroke = shape.stroke {
                paint += " stroke=\"#\(stroke.hex)\" stroke-width=\"\(svgNumber(shape.strokeWidth))\""
                if shape.dashed { paint += " stroke-dasharray=\"\(svgNumber(3 * shape.strokeWidth)),\(svgNumber(2 * shape.strokeWidth))\"" }
            }
        }
        switch shape.kind {
        case let .rect(x, y, w, h):
            return "<rect \(paint) x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" width=\"\(svgNumber(w))\" height=\"\(svgNumber(h))\"/>"
        case let .line(x1, y1, x2, y2):
            return "<line \(paint) x1=\"\(svgNumber(x1))\" y1=\"\(svgNumber(y1))\" x2=\"\(svgNumber(x2))\" y2=\"\(svgNumber(y2))\"/>"
        case let .circle(x, y, r):
            return "<circle \(paint) cx=\"\(svgNumber(x))\" cy=\"\(svgNumber(y))\" r=\"\(svgNumber(r))\"/>"
        case let .text(x, y, text, size, centred):
            let anchor = centred ? " text-anchor=\"middle\"" : ""
            // y is the middle line; SVG places the baseline, about 0.35 em lower.
            return
                "<text \(paint) x=\"\(svgNumber(x))\" y=\"\(svgNumber(y + 0.35 * size))\" font-size=\"\(svgNumber(size))\" fill=\"#\(shape.fill?.hex ?? "000000")\"\(anchor)>\(xmlEscaped(text))</text>"
        }
    }
}

/// A coordinate with at most two decimals and no trailing zeros: 12, 12.5, 0.33.
func svgNumber(_ value: Double) -> String {
    let hundredths = (value * 100).rounded()
    if hundredths.magnitude >= 1e15 { return "0" }
    let whole = Int(hundredths)
    let sign = whole < 0 ? "-" : ""
    let magnitude = whole.magnitude
    let fraction = magnitude % 100
    if fraction == 0 { return sign + String(magnitude / 100) }
    let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0" : "") + String(fraction)
    return sign + String(magnitude / 100) + "." + digits
}

/// Text with XML's five special characters escaped: fit for SVG and for
/// HTML's text and quoted attributes (the explorer's table).
package func xmlEscaped(_ text: String) -> String {
    if !text.utf8.contains(where: {
        $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'")
    }) {
        return text
    }
    var result = ""
    for character in text {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&apos;"
        default: result.append(character)
        }
    }
    return result
}
