import ConvMatrixCore
import ConvMatrixInterchange

/// A named colour: `name` is the TikZ colour defined from `hex`.
package struct Colour: Sendable, Hashable {
    /// The name used in TikZ (`\definecolor{name}{HTML}{hex}`).
    package let name: String
    /// Six hexadecimal digits, RRGGBB.
    package let hex: String
}

/// The colours of every picture, after Dumoulin & Visin's figures: input blue,
/// padding grey, kernel window red, dropped input orange.
enum Palette {
    /// Input cells.
    static let input = Colour(name: "cmInput", hex: "9ECAE1")
    /// Outline of input cells.
    static let inputLine = Colour(name: "cmInputLine", hex: "3182BD")
    /// Zero padding.
    static let padding = Colour(name: "cmPadding", hex: "D9D9D9")
    /// The padding an odd total puts at the end only (TensorFlow SAME).
    static let extraPadding = Colour(name: "cmExtraPadding", hex: "A6A6A6")
    /// Outline of padding cells.
    static let paddingLine = Colour(name: "cmPaddingLine", hex: "969696")
    /// The kernel window and its taps.
    static let window = Colour(name: "cmWindow", hex: "E31A1C")
    /// The output cell being computed.
    static let highlight = Colour(name: "cmHighlight", hex: "FCBBA1")
    /// Input that no window reads (cropped away).
    static let dropped = Colour(name: "cmDropped", hex: "FDAE6B")
    /// Kernel cells.
    static let kernel = Colour(name: "cmKernel", hex: "FFF2AE")
    /// Empty cells (outputs, inserted zeros).
    static let empty = Colour(name: "cmEmpty", hex: "FFFFFF")
    /// Thin grid lines.
    static let grid = Colour(name: "cmGrid", hex: "BDBDBD")
    /// Text.
    static let ink = Colour(name: "cmInk", hex: "252525")
    /// A product y·w placed on the output.
    static let product = Colour(name: "cmProduct", hex: "FC9272")
    /// A product that lands on the cropped border: computed, then thrown away.
    static let croppedProduct = Colour(name: "cmCroppedProduct", hex: "F2D4CB")
    /// Rows that `output_padding` adds (spy over the padded output).
    static let outputPadding = Colour(name: "cmOutputPadding", hex: "A1D9CF")
    /// Channel-block outlines in spy plots.
    static let block = Colour(name: "cmBlock", hex: "2171B5")
}
