import ConvMatrixCore
import ConvMatrixInterchange

/// What a cell of a picture's grid holds; each kind has one look in every picture.
enum CellKind {
    case input, padding, extraPadding, dropped, insertedZero, output, kernel, cropped, empty

    /// Fill, outline and SVG class of the kind.
    var style: (fill: Colour, stroke: Colour, role: String) {
        switch self {
        case .input: return (Palette.input, Palette.inputLine, "input")
        case .padding: return (Palette.padding, Palette.paddingLine, "padding")
        case .extraPadding: return (Palette.extraPadding, Palette.paddingLine, "padding extra")
        case .dropped: return (Palette.dropped, Palette.paddingLine, "dropped")
        case .insertedZero: return (Palette.empty, Palette.inputLine, "zero")
        case .output: return (Palette.empty, Palette.paddingLine, "output")
        case .kernel: return (Palette.kernel, Palette.paddingLine, "kernel")
        case .cropped: return (Palette.padding, Palette.paddingLine, "cropped")
        case .empty: return (Palette.empty, Palette.grid, "empty")
        }
    }
}

extension Figure {
    /// Draws a grid of `size` = [rows, columns] square cells of side `cell`
    /// with its top-left corner at (x, y); `text` writes into cells when they are large enough,
    /// `link` names the tensor element a cell stands for (`Shape.link`).
    mutating func grid(
        _ size: [Int], at x: Double, _ y: Double, cell: Double,
        kind: (Int, Int) -> CellKind, text: ((Int, Int) -> String?)? = nil, link: ((Int, Int) -> String?)? = nil
    ) {
        for r in 0..<size[0] {
            for c in 0..<size[1] {
                let style = kind(r, c).style
                let left = x + Double(c) * cell, top = y + Double(r) * cell
                rect(left, top, cell, cell, fill: style.fill, stroke: style.stroke, role: style.role)
                shapes[shapes.count - 1].link = link?(r, c)
                if let label = text?(r, c), cellFontSize(cell, label) >= SlidingScene.minimumText {
                    self.text(label, left + cell / 2, top + cell / 2, size: cellFontSize(cell, label), centred: true, role: "cell-text")
                }
            }
        }
    }
}

/// A font size that fits `label` into a cell of side `cell`.
func cellFontSize(_ cell: Double, _ label: String) -> Double {
    min(cell * 0.42, cell * 1.5 / Double(max(label.count, 1)))
}

/// The side of a grid cell so that a grid of `cells` fits into about `room` pixels: between 10 and 34.
func cellSide(for cells: Int, room: Double) -> Double {
    max(10, min(34, (room / Double(max(cells, 1))).rounded(.down)))
}

/// Per-dimension values for a caption: one number when all dimensions agree ("2"), else "2×1".
func compactSize(_ values: [Int]) -> String {
    Set(values).count == 1 ? "\(values[0])" : values.map(String.init).joined(separator: "×")
}

/// `text` broken at spaces into lines of at most `characters` characters (a longer word keeps its own line).
func wrappedLines(_ text: String, characters: Int) -> [String] {
    var lines = [String](), line = ""
    for word in text.split(separator: " ") {
        if !line.isEmpty && line.count + 1 + word.count > characters {
            lines.append(line)
            line = ""
        }
        line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines
}
