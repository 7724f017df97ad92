import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// A piece of a question's text: a paragraph, or a labelled grid of numbers
/// (an input, a kernel, a matrix) that each output format lays out its own way.
///
/// Text is plain Unicode (⌊ ⌋ · − × ′ ᵀ); `LaTeXText` turns it into LaTeX.
package enum PromptBlock: Hashable, Sendable {
    /// A paragraph.
    case text(String)
    /// A grid of numbers shown as `caption = …`.
    case grid(caption: String, rows: [[String]])

    /// A grid of numbers, `columns` per row, from a row-major list.
    ///
    /// - Parameters:
    ///   - caption: the grid's title, such as "x".
    ///   - values: the numbers in row-major order.
    ///   - columns: numbers per row.
    /// - Returns: a `.grid` block; each sheet format lays it out its own way.
    package static func grid(_ caption: String, _ values: [Double], columns: Int) -> PromptBlock {
        let rows = stride(from: 0, to: values.count, by: max(columns, 1)).map { start in
            values[start..<min(start + columns, values.count)].map(formatNumber)
        }
        return .grid(caption: caption, rows: rows)
    }
}
