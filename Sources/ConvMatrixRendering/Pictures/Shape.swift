import ConvMatrixCore
import ConvMatrixInterchange

/// One rectangle, line, circle or piece of text with its paint, a `role`
/// naming what it shows (written as the SVG `class`, used by tests and
/// stylesheets: `input`, `padding`, `window`, `highlight`, …) and the
/// animation frame it belongs to (nil = always visible).
package struct Shape: Sendable {
    /// The geometry of a shape, in pixels.
    package enum Kind: Sendable {
        /// A rectangle with its top-left corner at (x, y).
        case rect(x: Double, y: Double, width: Double, height: Double)
        /// A segment from (x1, y1) to (x2, y2).
        case line(x1: Double, y1: Double, x2: Double, y2: Double)
        /// A circle around (x, y).
        case circle(x: Double, y: Double, radius: Double)
        /// Text centred (or left-aligned) at (x, y) on its middle line.
        case text(x: Double, y: Double, String, size: Double, centred: Bool)

        func moved(_ dx: Double, _ dy: Double) -> Kind {
            switch self {
            case let .rect(x, y, w, h): return .rect(x: x + dx, y: y + dy, width: w, height: h)
            case let .line(x1, y1, x2, y2): return .line(x1: x1 + dx, y1: y1 + dy, x2: x2 + dx, y2: y2 + dy)
            case let .circle(x, y, r): return .circle(x: x + dx, y: y + dy, radius: r)
            case let .text(x, y, text, size, centred): return .text(x: x + dx, y: y + dy, text, size: size, centred: centred)
            }
        }
    }

    /// What is drawn.
    package var kind: Kind
    /// Fill colour, or nil for none.
    package var fill: Colour?
    /// Outline colour, or nil for none.
    package var stroke: Colour?
    /// Outline width in pixels.
    package var strokeWidth: Double = 1
    /// A dashed outline.
    package var dashed = false
    /// What the shape shows; the SVG `class`.
    package var role: String
    /// The animation frame that shows it, or nil for always.
    package var frame: Int?
    /// The tensor element a grid cell stands for, `in:N` or `out:N` (N the
    /// element's row-major index in the drawn operation's input or output,
    /// one channel), written as the SVG attribute `data-link`: how a page
    /// links a cell of the picture to a column or row of the matrix. Nil for
    /// every other shape.
    package var link: String? = nil
}
