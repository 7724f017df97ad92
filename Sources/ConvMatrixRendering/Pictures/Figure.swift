import ConvMatrixCore
import ConvMatrixInterchange

/// A picture as a list of shapes, in pixels with y pointing down (SVG's
/// convention), that `svg()` and `tikz()` write out. Pictures are built once
/// and written in either format, so the SVG and the TikZ figure always agree.
///
/// A figure may be animated: shapes with a `frame` are shown only during
/// that frame (SMIL in SVG, where viewers without SMIL show frame 0); TikZ,
/// which cannot move, writes one picture per frame.
public struct Figure: Sendable {
    /// Width of the drawing area in pixels.
    package var width: Double
    /// Height of the drawing area in pixels.
    package var height: Double
    /// The shapes, painted in order.
    package var shapes: [Shape] = []
    /// Number of animation frames; 0 for a still picture.
    package var frameCount = 0
    /// How long each frame is shown, in seconds.
    package var frameSeconds = 1.0

    /// An empty figure of the given size.
    ///
    /// - Parameters:
    ///   - width: the width in pixels.
    ///   - height: the height in pixels.
    package init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Appends a shape.
    mutating func add(_ shape: Shape) { shapes.append(shape) }

    /// Appends another figure's shapes moved by (dx, dy), keeping their frames.
    mutating func add(_ other: Figure, at dx: Double, _ dy: Double, frame: Int? = nil) {
        for var shape in other.shapes {
            shape.kind = shape.kind.moved(dx, dy)
            if let frame { shape.frame = frame }
            shapes.append(shape)
        }
    }
}

extension Figure {
    /// A filled, outlined rectangle.
    mutating func rect(
        _ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: Colour?, stroke: Colour?, width: Double = 1, dashed: Bool = false, role: String,
        frame: Int? = nil
    ) {
        add(Shape(kind: .rect(x: x, y: y, width: w, height: h), fill: fill, stroke: stroke, strokeWidth: width, dashed: dashed, role: role, frame: frame))
    }

    /// A line of text; `centred` false aligns its left end at x.
    mutating func text(
        _ string: String, _ x: Double, _ y: Double, size: Double = 13, centred: Bool = false, colour: Colour = Palette.ink, role: String = "label",
        frame: Int? = nil
    ) {
        add(Shape(kind: .text(x: x, y: y, string, size: size, centred: centred), fill: colour, stroke: nil, role: role, frame: frame))
    }

    /// A straight line.
    mutating func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, colour: Colour, width: Double = 1, dashed: Bool = false, role: String, frame: Int? = nil
    ) {
        add(Shape(kind: .line(x1: x1, y1: y1, x2: x2, y2: y2), fill: nil, stroke: colour, strokeWidth: width, dashed: dashed, role: role, frame: frame))
    }

    /// A filled circle.
    mutating func dot(_ x: Double, _ y: Double, radius: Double, colour: Colour, role: String, frame: Int? = nil) {
        add(Shape(kind: .circle(x: x, y: y, radius: radius), fill: colour, stroke: nil, role: role, frame: frame))
    }
}

extension Figure {
    /// The file formats a figure is written in.
    public enum Format: String, Sendable, CaseIterable {
        /// A standalone SVG 1.1 document.
        case svg
        /// A `tikzpicture` for LaTeX (or, standalone, a whole document).
        case tikz
    }

    /// The figure in `format`; `standalone` asks for a whole LaTeX document
    /// and `fit` for a picture sized to a slide, a page or a width; both
    /// apply to TikZ only (an SVG file is standalone already, and scales).
    ///
    /// - Throws: `RenderingError` for `standalone` or `fit` with SVG.
    /// - Parameters:
    ///   - format: SVG or TikZ.
    ///   - standalone: a whole LaTeX document (TikZ only).
    ///   - fit: the room the TikZ picture must fit without shrinking its type (TikZ only).
    /// - Returns: the text of `svg()` or `tikz(standalone:fit:)`.
    /// - Complexity: O(shapes) time and memory.
    public func rendered(as format: Format, standalone: Bool = false, fit: PageFit? = nil) throws(RenderingError) -> String {
        switch format {
        case .svg:
            if standalone { throw .invalid(field: "standalone", reason: "applies to \(field: "format") tikz (an SVG file is already standalone)") }
            if fit != nil { throw .invalid(field: "fit", reason: "applies to \(field: "format") tikz (an SVG picture scales to any width)") }
            return svg()
        case .tikz:
            return tikz(standalone: standalone, fit: fit)
        }
    }
}
