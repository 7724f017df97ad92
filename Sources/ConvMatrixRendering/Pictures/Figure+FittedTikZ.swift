import ConvMatrixCore
import ConvMatrixInterchange

extension Figure {
    /// The roles of text (and legend swatches) that a fitted picture sets as
    /// paragraphs around the drawing instead of inside it: the captions and
    /// the legend, and the step's lines of a single step or an animation
    /// (a contact sheet keeps them over its panels).
    var paragraphRoles: Set<String> {
        let stepLines = shapes.filter { $0.role == "step-caption" }
        let onePerFrame = Set(stepLines.map(\.frame)).count == stepLines.count
        return onePerFrame ? ["caption", "sheet-note", "legend", "step-caption", "step-equation"] : ["caption", "sheet-note", "legend"]
    }

    /// The `\scriptsize` line height in points, and the characters of an average
    /// `\scriptsize` line per point of width (about 0.5 em of 8 pt a character).
    private static let scriptLine = 9.5
    private static let scriptCharacterWidth = 4.2
    /// Text drawn smaller than this many points is left out of a fitted picture.
    private static let smallestText = 4.5
    /// What starts the paragraph of a fitted contact sheet's step titles.
    private static let panelTitleLead = "The panels, row by row: "

    /// The drawing's extent in pixels: every shape that stays in the picture, text by an estimate of its box.
    func drawingBounds(leaving paragraphRoles: Set<String>) -> (x: Double, y: Double, width: Double, height: Double) {
        var (minX, minY, maxX, maxY) = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
        func include(_ x: Double, _ y: Double) {
            minX = min(minX, x)
            minY = min(minY, y)
            maxX = max(maxX, x)
            maxY = max(maxY, y)
        }
        for shape in shapes where !paragraphRoles.contains(shape.role) {
            switch shape.kind {
            case let .rect(x, y, w, h):
                include(x, y)
                include(x + w, y + h)
            case let .line(x1, y1, x2, y2):
                include(x1, y1)
                include(x2, y2)
            case let .circle(x, y, r):
                include(x - r, y - r)
                include(x + r, y + r)
            case let .text(x, y, text, size, centred):
                let width = Double(text.count) * size * 0.55
                include(centred ? x - width / 2 : x, y - size / 2)
                include(centred ? x + width / 2 : x + width, y + size / 2)
            }
        }
        guard minX.isFinite else { return (0, 0, max(width, 1), max(height, 1)) }
        return (minX - 2, minY - 2, maxX - minX + 4, maxY - minY + 4)
    }

    /// The fitted picture(s) with their paragraphs (see `tikz(standalone:fit:)`).
    func fittedTikZ(standalone: Bool, fit: PageFit) -> String {
        let room = fit.room
        let widthPoints = fit.widthInPoints * 0.97
        let paragraphRoles = self.paragraphRoles
        let bounds = drawingBounds(leaving: paragraphRoles)
        // The paragraphs (in \begingroup, not braces: a brace at the start of a beamer frame would be its title): the captions above (shown in every frame), the step lines and the legend below.
        let captions = paragraphLines(roles: ["caption", "sheet-note"], frame: nil)
        let legend = legendParagraph()
        let stepRoles = paragraphRoles.intersection(["step-caption", "step-equation"])
        let stepLines = (0..<max(frameCount, 1)).map { paragraphLines(roles: stepRoles, frame: frameCount == 0 ? nil : $0) }
        let charactersPerLine = max(20, widthPoints / Self.scriptCharacterWidth)
        func lines(_ texts: [String]) -> Double {
            texts.reduce(0) { $0 + (Double($1.count) / charactersPerLine).rounded(.up) }
        }
        let legendLines = (Double(legend.characters) / charactersPerLine).rounded(.up)
        let textLines = lines(captions) + (stepLines.map(lines).max() ?? 0) + legendLines
        // The room below the type: each paragraph line, and the gaps around the picture.
        func scale(besides extraLines: Double) -> Double {
            let heightPoints = room.height.map { $0 * room.typeSize * 0.97 - (textLines + extraLines) * Self.scriptLine - 12 }
            let pointsPerPixel = min(0.03 * 28.45, widthPoints / bounds.width)
            guard let heightPoints else { return pointsPerPixel }
            return min(pointsPerPixel, max(heightPoints, 40) / bounds.height)
        }
        var pointsPerPixel = scale(besides: 0)
        // A contact sheet keeps its step titles over the panels; where they would be smaller than
        // 4.5 pt they are left out of the drawing and listed, row by row, under it instead.
        var panelTitles = [String]()
        if !paragraphRoles.contains("step-caption") {
            let sizes = shapes.compactMap { shape -> Double? in
                guard shape.role == "step-caption", case let .text(_, _, _, size, _) = shape.kind else { return nil }
                return size
            }
            if let largest = sizes.max(), largest * pointsPerPixel < Self.smallestText {
                panelTitles = paragraphLines(roles: ["step-caption"], frame: nil)
                pointsPerPixel = scale(besides: lines([Self.panelTitleLead + panelTitles.joined(separator: "; ")]))
            }
        }
        let unit = pointsPerPixel / 28.45
        var colours = [Colour]()
        for shape in shapes {
            for colour in [shape.fill, shape.stroke].compactMap({ $0 }) where !colours.contains(colour) { colours.append(colour) }
        }
        let definitions = colours.map { "\\definecolor{\($0.name)}{HTML}{\($0.hex)}" }.joined(separator: "\n")
        var header = [
            "% fitted by convmat --fit \(fit.argument) to \(fit.description):",
            "% the picture is \(formatNumber((bounds.width * pointsPerPixel).rounded())) pt × \(formatNumber((bounds.height * pointsPerPixel).rounded())) pt; its captions and legend follow as \\scriptsize paragraphs",
        ]
        if frameCount > 0 {
            header.append("% An animation of \(frameCount) frames, frame 0 first; beamer: wrap frame n in \\only<n+1>{...}.")
        }
        var chunks = [String]()
        for frame in 0..<max(frameCount, 1) {
            var chunk = frameCount > 0 ? "% frame \(frame) of \(frameCount)\n" : ""
            chunk += "\\begingroup\\scriptsize\\raggedright\\setlength{\\parindent}{0pt}%\n\(definitions)\n"
            for line in Self.sentences(captions) { chunk += latexText(line) + "\\par\n" }
            // The unit in points with four decimals: rounded to a thousandth of a centimetre it could miss by a point or more.
            let points = formatNumber((pointsPerPixel * 10_000).rounded(.down) / 10_000)
            chunk += "\\vspace{2pt}\\begin{tikzpicture}[x=\(points)pt,y=-\(points)pt]\n"
            chunk +=
                "\\useasboundingbox (\(tikzNumber(bounds.x)),\(tikzNumber(bounds.y))) rectangle (\(tikzNumber(bounds.x + bounds.width)),\(tikzNumber(bounds.y + bounds.height)));\n"
            let shown = frameCount > 0 ? frame : nil
            for shape in shapes where !paragraphRoles.contains(shape.role) && (shape.frame == nil || shape.frame == shown) {
                if case let .text(_, _, _, size, _) = shape.kind, size * pointsPerPixel < Self.smallestText { continue }
                chunk += tikzCommand(shape, unit: unit, smallestFont: true) + "\n"
            }
            chunk += "\\end{tikzpicture}\\par\\vspace{2pt}\n"
            for line in stepLines[frame] { chunk += latexText(line) + "\\par\n" }
            if !panelTitles.isEmpty { chunk += latexText(Self.panelTitleLead + panelTitles.joined(separator: "; ")) + "\\par\n" }
            if !legend.text.isEmpty { chunk += legend.text + "\\par\n" }
            chunk += "\\endgroup\n"
            chunks.append(chunk)
        }
        let body = header.joined(separator: "\n") + "\n" + chunks.joined(separator: standalone ? "" : "\n")
        guard standalone else { return body }
        let pages = chunks.joined(separator: fit == .slide ? "\\end{frame}\n\\begin{frame}\n" : "\\newpage\n")
        let start: String
        switch fit {
        case .slide: start = "\\documentclass{beamer}\n\\usepackage{tikz}\n\\begin{document}\n\\begin{frame}\n"
        case .page: start = "\\documentclass[12pt]{article}\n\\usepackage{tikz}\n\\pagestyle{empty}\n\\begin{document}\n"
        case .width(let points):
            start =
                "\\documentclass[12pt]{article}\n\\usepackage[textwidth=\(formatNumber((points * 100).rounded() / 100))pt]{geometry}\n\\usepackage{tikz}\n\\pagestyle{empty}\n\\begin{document}\n"
        }
        return header.joined(separator: "\n") + "\n" + start + pages + (fit == .slide ? "\\end{frame}\n" : "") + "\\end{document}\n"
    }

    /// Caption lines joined where the SVG broke a sentence (a line ending in a
    /// comma or a word), so that the paragraph wraps at the line width instead.
    static func sentences(_ lines: [String]) -> [String] {
        var joined = [String]()
        for line in lines {
            if let last = joined.last?.last, last == "," || last == ";" || last.isLetter {
                joined[joined.count - 1] += " " + line
            } else {
                joined.append(line)
            }
        }
        return joined
    }

    /// The texts of `roles` shown in `frame` (nil: those shown in every frame), top to bottom.
    private func paragraphLines(roles: Set<String>, frame: Int?) -> [String] {
        shapes.compactMap { shape -> (Double, Double, String)? in
            guard roles.contains(shape.role), shape.frame == frame, case let .text(x, y, text, _, _) = shape.kind else { return nil }
            return (y, x, text)
        }
        .sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        .map(\.2)
    }

    /// The legend as one paragraph: each entry's swatch drawn inline by TikZ, then its label.
    private func legendParagraph() -> (text: String, characters: Int) {
        var entries = [String]()
        var characters = 0
        var swatch: Shape?
        for shape in shapes where shape.role == "legend" {
            switch shape.kind {
            case .rect:
                swatch = shape
            case let .text(_, _, label, _, _):
                var drawn = ""
                if let swatch {
                    var options = [String]()
                    if let fill = swatch.fill { options.append("fill=\(fill.name)") }
                    if let stroke = swatch.stroke { options.append("draw=\(stroke.name)") }
                    if swatch.dashed { options.append("dash pattern=on 1.5pt off 1pt") }  // beamer's dashed is too coarse for a 1.4ex swatch
                    if swatch.strokeWidth > 1.5 { options.append("line width=1pt") }
                    drawn = "\\tikz\\path[\(options.joined(separator: ","))] (0,0) rectangle (1.4ex,1.4ex);~"
                }
                entries.append("\\mbox{\(drawn)\(latexText(label))}")
                characters += label.count + 4
                swatch = nil
            default:
                break
            }
        }
        return (entries.joined(separator: "\\quad "), characters)
    }
}
