import ConvMatrixCore
import ConvMatrixInterchange

extension Figure {
    /// The figure as a `tikzpicture` for `\usepackage{tikz}`, or with
    /// `standalone` a whole document that pdflatex compiles.
    ///
    /// Pixel coordinates are kept, with the y axis flipped by the picture's
    /// unit vectors; the unit is chosen so the figure is at most 16 cm wide.
    ///
    /// TikZ pictures cannot move, so an animated figure becomes one
    /// `tikzpicture` per frame, in order, each introduced by a comment
    /// `% frame n of N` and separated by a blank line — ready for beamer's
    /// `\only<n+1>{…}` or for `\newframe` in the animate package's
    /// `animateinline`. Every frame's picture declares the whole figure as
    /// its bounding box, so the frames have the same size and do not jump.
    /// With `standalone` the document has one page per frame, which
    /// `\animategraphics` and `\includegraphics[page=…]` take as they are.
    ///
    /// With `fit` the picture is sized for a beamer frame, an article's
    /// text width or a given width by its unit length alone: its captions,
    /// step lines and legend leave the picture and follow it as `\scriptsize`
    /// paragraphs that wrap at the line width (the legend's swatches drawn
    /// inline), text inside the picture is never smaller than `\scriptsize`,
    /// and the bounding box is the drawing's own, so nothing sticks out.
    ///
    /// - Parameters:
    ///   - standalone: true for a whole document with `\documentclass`, false for the picture(s) alone.
    ///   - fit: the room the picture must fit without shrinking its type, or nil for at most 16 cm wide.
    /// - Returns: the LaTeX text: the picture(s), or the whole document ending with `\end{document}`.
    /// - Complexity: O(shapes) time and memory.
    public func tikz(standalone: Bool = false, fit: PageFit? = nil) -> String {
        if let fit { return fittedTikZ(standalone: standalone, fit: fit) }
        let unit = min(0.03, 16 / max(width, 1))
        var colours = [Colour]()
        for shape in shapes {
            for colour in [shape.fill, shape.stroke].compactMap({ $0 }) where !colours.contains(colour) { colours.append(colour) }
        }
        let pictures: [String]
        var header = ""
        if frameCount == 0 {
            pictures = [tikzPicture(frame: nil, colours: colours, unit: unit)]
        } else {
            pictures = (0..<frameCount).map { frame in
                "% frame \(frame) of \(frameCount)\n" + tikzPicture(frame: frame, colours: colours, unit: unit)
            }
            header =
                standalone
                ? "% An animation of \(frameCount) frames, one page each, frame 0 first.\n\n"
                : "% An animation of \(frameCount) frames, one tikzpicture each, frame 0 first.\n"
                    + "% Beamer: wrap frame n in \\only<n+1>{...}; the animate package: put the frames\n"
                    + "% in an animateinline environment, separated by \\newframe.\n\n"
        }
        guard standalone else { return header + pictures.joined(separator: "\n") }
        let pageWidth = Int((width * unit + 2).rounded(.up)), pageHeight = Int((height * unit + 2).rounded(.up))
        return """
            \\documentclass{article}
            \\usepackage[paperwidth=\(pageWidth)cm,paperheight=\(pageHeight)cm,margin=1cm]{geometry}
            \\usepackage{tikz}
            \\pagestyle{empty}
            \\begin{document}
            \(header)\(pictures.map { "\\noindent\n" + $0 }.joined(separator: "\\newpage\n"))\\end{document}

            """
    }

    /// One `tikzpicture`: the shapes of every frame and those of `frame`, or
    /// for a still figure (`frame` nil) all shapes.
    private func tikzPicture(frame: Int?, colours: [Colour], unit: Double) -> String {
        var lines = ["\\begin{tikzpicture}[x=\(tikzNumber(unit))cm,y=-\(tikzNumber(unit))cm]"]
        for colour in colours { lines.append("\\definecolor{\(colour.name)}{HTML}{\(colour.hex)}") }
        if frame != nil {
            lines.append("\\useasboundingbox (0,0) rectangle (\(tikzNumber(width)),\(tikzNumber(height)));")
        }
        for shape in shapes where shape.frame == nil || shape.frame == frame {
            lines.append(tikzCommand(shape, unit: unit))
        }
        lines.append("\\end{tikzpicture}")
        return lines.joined(separator: "\n") + "\n"
    }

    func tikzCommand(_ shape: Shape, unit: Double, smallestFont: Bool = false) -> String {
        var options = [String]()
        if let fill = shape.fill { options.append("fill=\(fill.name)") }
        if let stroke = shape.stroke {
            options.append("draw=\(stroke.name)")
            options.append("line width=\(tikzNumber(shape.strokeWidth * unit * 28.45 / 1.0))pt")
            if shape.dashed { options.append("dashed") }
        }
        let style = options.joined(separator: ",")
        switch shape.kind {
        case let .rect(x, y, w, h):
            return "\\path[\(style)] (\(tikzNumber(x)),\(tikzNumber(y))) rectangle (\(tikzNumber(x + w)),\(tikzNumber(y + h)));"
        case let .line(x1, y1, x2, y2):
            return "\\path[\(style)] (\(tikzNumber(x1)),\(tikzNumber(y1))) -- (\(tikzNumber(x2)),\(tikzNumber(y2)));"
        case let .circle(x, y, r):
            return "\\path[\(style)] (\(tikzNumber(x)),\(tikzNumber(y))) circle[radius=\(tikzNumber(r))];"
        case let .text(x, y, text, size, centred):
            let points = size * unit * 28.45
            let font =
                points < 5.5 && !smallestFont
                ? "\\tiny" : points < 7.5 ? "\\scriptsize" : points < 8.5 ? "\\footnotesize" : points < 9.5 ? "\\small" : "\\normalsize"
            let anchor = centred ? "center" : "west"
            return
                "\\node[anchor=\(anchor),inner sep=0pt,font=\(font),text=\(shape.fill?.name ?? "black")] at (\(tikzNumber(x)),\(tikzNumber(y))) {\(latexText(text))};"
        }
    }
}

/// A number for TikZ with at most three decimals.
func tikzNumber(_ value: Double) -> String {
    let thousandths = Int((value * 1000).rounded())
    let sign = thousandths < 0 ? "-" : ""
    let magnitude = thousandths.magnitude
    let fraction = magnitude % 1000
    if fraction == 0 { return sign + String(magnitude / 1000) }
    var digits = String(fraction)
    digits = String(repeating: "0", count: 3 - digits.count) + digits
    while digits.hasSuffix("0") { digits.removeLast() }
    return sign + String(magnitude / 1000) + "." + digits
}

/// The LaTeX for a label written with Unicode: runs of subscript digits
/// (w₀,₂) become `$_{0,2}$`, ×·ᵀ←→− become math symbols, and TeX's special
/// characters are escaped (and `--` kept as two hyphens), so every label
/// compiles with pdflatex and reads as written.
func latexText(_ text: String) -> String {
    let subscripts: [Character: Character] = [
        "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9",
    ]
    let symbols: [Character: String] = [
        "×": "$\\times$", "·": "$\\cdot$", "ᵀ": "$^{\\mathsf{T}}$", "←": "$\\leftarrow$", "→": "$\\rightarrow$",
        "−": "$-$", "—": "---", "–": "--", "Σ": "$\\Sigma$", "…": "\\ldots{}", "′": "$'$", "≤": "$\\le$", "≥": "$\\ge$", "⌈": "$\\lceil$", "⌉": "$\\rceil$",
        "⌊": "$\\lfloor$", "⌋": "$\\rfloor$", "\\": "\\textbackslash{}", "{": "\\{", "}": "\\}", "$": "\\$", "&": "\\&",
        "%": "\\%", "#": "\\#", "_": "\\_", "^": "\\^{}", "~": "\\~{}",
    ]
    var result = ""
    var characters = Array(text)[...]
    while let character = characters.first {
        if subscripts[character] != nil {
            var run = ""
            while let next = characters.first,
                let digit = subscripts[next] ?? (next == "," && characters.dropFirst().first.map { subscripts[$0] != nil } == true ? "," : nil)
            {
                run.append(digit)
                characters = characters.dropFirst()
            }
            result += "$_{\(run)}$"
            continue
        }
        characters = characters.dropFirst()
        if let symbol = symbols[character] {
            result += symbol
        } else if character == "-", characters.first == "-" {
            // An option such as --sheet 2: TeX would join -- into an en dash.
            result += "-{}"
        } else if character.isASCII {
            result.append(character)
        } else {
            result += "?"
        }
    }
    return result
}
