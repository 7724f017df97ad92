/// A picture as a list of shapes, in pixels with y pointing down (SVG's
/// convention), that `svg()` and `tikz()` write out. Pictures are built once
/// and written in either format, so the SVG and the TikZ figure always agree.
///
/// A figure may be animated: shapes with a `frame` are shown only during
/// that frame (SMIL in SVG); static output shows frame 0.
public struct Figure: Sendable {
    /// Width of the drawing area in pixels.
    public var width: Double
    /// Height of the drawing area in pixels.
    public var height: Double
    /// The shapes, painted in order.
    public var shapes: [Shape] = []
    /// Number of animation frames; 0 for a still picture.
    public var frameCount = 0
    /// How long each frame is shown, in seconds.
    public var frameSeconds = 1.0

    /// An empty figure of the given size.
    public init(width: Double, height: Double) {
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

/// One rectangle, line, circle or piece of text with its paint, a `role`
/// naming what it shows (written as the SVG `class`, used by tests and
/// stylesheets: `input`, `padding`, `window`, `highlight`, …) and the
/// animation frame it belongs to (nil = always visible).
public struct Shape: Sendable {
    /// The geometry of a shape, in pixels.
    public enum Kind: Sendable {
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
    public var kind: Kind
    /// Fill colour, or nil for none.
    public var fill: Colour?
    /// Outline colour, or nil for none.
    public var stroke: Colour?
    /// Outline width in pixels.
    public var strokeWidth: Double = 1
    /// A dashed outline.
    public var dashed = false
    /// What the shape shows; the SVG `class`.
    public var role: String
    /// The animation frame that shows it, or nil for always.
    public var frame: Int?
}

/// A named colour: `name` is the TikZ colour defined from `hex`.
public struct Colour: Sendable, Hashable {
    /// The name used in TikZ (`\definecolor{name}{HTML}{hex}`).
    public let name: String
    /// Six hexadecimal digits, RRGGBB.
    public let hex: String
}

/// The colours of every picture, after the seed's figures: input blue,
/// padding grey, kernel window red, dropped input orange.
public enum Palette {
    /// Input cells.
    public static let input = Colour(name: "cmInput", hex: "9ECAE1")
    /// Outline of input cells.
    public static let inputLine = Colour(name: "cmInputLine", hex: "3182BD")
    /// Zero padding.
    public static let padding = Colour(name: "cmPadding", hex: "D9D9D9")
    /// The padding an odd total puts at the end only (TensorFlow SAME).
    public static let extraPadding = Colour(name: "cmExtraPadding", hex: "A6A6A6")
    /// Outline of padding cells.
    public static let paddingLine = Colour(name: "cmPaddingLine", hex: "969696")
    /// The kernel window and its taps.
    public static let window = Colour(name: "cmWindow", hex: "E31A1C")
    /// The output cell being computed.
    public static let highlight = Colour(name: "cmHighlight", hex: "FCBBA1")
    /// Input that no window reads (cropped away).
    public static let dropped = Colour(name: "cmDropped", hex: "FDAE6B")
    /// Kernel cells.
    public static let kernel = Colour(name: "cmKernel", hex: "FFF2AE")
    /// Empty cells (outputs, inserted zeros).
    public static let empty = Colour(name: "cmEmpty", hex: "FFFFFF")
    /// Thin grid lines.
    public static let grid = Colour(name: "cmGrid", hex: "BDBDBD")
    /// Text.
    public static let ink = Colour(name: "cmInk", hex: "252525")
    /// A product y·w placed on the output.
    public static let product = Colour(name: "cmProduct", hex: "FC9272")
    /// A product that lands on the cropped border: computed, then thrown away.
    public static let croppedProduct = Colour(name: "cmCroppedProduct", hex: "F2D4CB")
    /// Channel-block outlines in spy plots.
    public static let block = Colour(name: "cmBlock", hex: "2171B5")
}

extension Figure {
    /// A filled, outlined rectangle.
    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: Colour?, stroke: Colour?, width: Double = 1, dashed: Bool = false, role: String, frame: Int? = nil) {
        add(Shape(kind: .rect(x: x, y: y, width: w, height: h), fill: fill, stroke: stroke, strokeWidth: width, dashed: dashed, role: role, frame: frame))
    }

    /// A line of text; `centred` false aligns its left end at x.
    mutating func text(_ string: String, _ x: Double, _ y: Double, size: Double = 13, centred: Bool = false, colour: Colour = Palette.ink, role: String = "label", frame: Int? = nil) {
        add(Shape(kind: .text(x: x, y: y, string, size: size, centred: centred), fill: colour, stroke: nil, role: role, frame: frame))
    }

    /// A straight line.
    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, colour: Colour, width: Double = 1, dashed: Bool = false, role: String, frame: Int? = nil) {
        add(Shape(kind: .line(x1: x1, y1: y1, x2: x2, y2: y2), fill: nil, stroke: colour, strokeWidth: width, dashed: dashed, role: role, frame: frame))
    }

    /// A filled circle.
    mutating func dot(_ x: Double, _ y: Double, radius: Double, colour: Colour, role: String, frame: Int? = nil) {
        add(Shape(kind: .circle(x: x, y: y, radius: radius), fill: colour, stroke: nil, role: role, frame: frame))
    }
}
