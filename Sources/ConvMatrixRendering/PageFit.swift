import ConvMatrixCore
import ConvMatrixInterchange

/// Where LaTeX output has to fit without shrinking its type: a beamer
/// frame, an article's text width, or a width of the reader's choosing
/// (`convmat matrix --fit`, `convmat draw --fit`).
///
/// Fitting never scales the type (no `\resizebox`, `\scalebox` or `\tiny`):
/// a matrix gets a tighter `\arraycolsep`, shorter entry names and, when it
/// still does not fit, column blocks; a TikZ picture gets a smaller unit
/// length while its text stays at least `\scriptsize`.
///
/// The room is measured in ems of the document's type, since that is what
/// a matrix of symbols grows with:
/// - `slide`: the text of a default 4:3 beamer frame at 11 pt, 307 pt × 269 pt
///   (27.9 em × 24.4 em; a `\frametitle` takes about two matrix rows of it);
/// - `page`: an article's text width at 10, 11 or 12 pt, whichever is the
///   narrowest in ems (12 pt: 390 pt = 32.5 em);
/// - `width(points:)`: that many TeX points, counted for 12 pt type (so a
///   10 or 11 pt document has room to spare).
public enum PageFit: Sendable, Equatable {
    /// A default 4:3 beamer frame (`\documentclass{beamer}`, 11 pt).
    case slide
    /// The text width of an article (10, 11 or 12 pt).
    case page
    /// A text width in TeX points (1 in = 72.27 pt), for type of 12 pt or less.
    case width(points: Double)

    /// Reads `slide`, `page`, or a width with its unit: `10cm`, `95mm`, `4in`, `300pt`.
    ///
    /// - Parameter text: the value of `--fit`.
    /// - Throws: `RenderingError.invalid` naming the field `fit`.
    package init(parsing text: String) throws(RenderingError) {
        switch text {
        case "slide": self = .slide
        case "page": self = .page
        default:
            let units: [(String, Double)] = [("cm", 72.27 / 2.54), ("mm", 72.27 / 25.4), ("in", 72.27), ("pt", 1)]
            guard let (unit, points) = units.first(where: { text.hasSuffix($0.0) }),
                let number = Double(text.dropLast(unit.count)), number.isFinite
            else {
                throw .invalid(
                    field: "fit",
                    reason: "= \(quoted: text) must be slide, page or a width with its unit, such as 10cm, 95mm, 4in or 300pt")
            }
            let width = number * points
            guard (Self.narrowest...Self.widest).contains(width) else {
                throw .invalid(
                    field: "fit",
                    reason:
                        "= \(quoted: text) is \(formatNumber((width * 10).rounded() / 10)) pt; a width from \(formatNumber(Self.narrowest)) pt (about 2.5 cm) to \(formatNumber(Self.widest)) pt (about 1 m) can be fitted"
                )
            }
            self = .width(points: width)
        }
    }

    /// The narrowest width accepted, in points.
    static let narrowest = 72.0
    /// The widest width accepted, in points.
    static let widest = 2845.0

    /// The room, in ems of the body type: width, height (nil: as tall as it needs), and the type size in points.
    var room: (width: Double, height: Double?, typeSize: Double) {
        switch self {
        case .slide: return (307.28 / 11, 269.14 / 11, 11)
        case .page: return (390 / 12, 548.5 / 12, 12)
        case .width(let points): return (points / 12, nil, 12)
        }
    }

    /// The room in TeX points.
    var widthInPoints: Double { room.width * room.typeSize }

    /// What the output is fitted to, for the comment at its top.
    var description: String {
        switch self {
        case .slide: return "a default 4:3 beamer frame (11 pt type, text 307 pt × 269 pt)"
        case .page: return "an article's text width (390 pt at 12 pt type; wider in ems at 10 and 11 pt)"
        case .width(let points): return "a text width of \(formatNumber((points * 10).rounded() / 10)) pt (for type of 12 pt or less)"
        }
    }

    /// The flag value, as a user writes it.
    var argument: String {
        switch self {
        case .slide: return "slide"
        case .page: return "page"
        case .width(let points): return "\(formatNumber((points * 100).rounded() / 100))pt"
        }
    }
}

/// Estimated widths of LaTeX math in ems, on the wide side of Computer
/// Modern (articles) and beamer's sans-serif math, measured with pdflatex:
/// `w_{0,0}` is 1.71 em in beamer and 1.65 em in a 12 pt article, here 1.78 em.
/// Sub- and superscripts are set at 0.73 of the size, and their own scripts at 0.55.
enum MathWidth {
    /// The width of `math` in ems of the body type, set at `scale` (1 text style, 0.73 script style).
    static func of(_ math: String, scale: Double = 1) -> Double {
        var scale = scale
        var width = 0.0
        var characters = Array(math)[...]
        while let character = characters.popFirst() {
            switch character {
            case "\\":
                var name = ""
                while let next = characters.first, next.isLetter {
                    name.append(next)
                    characters = characters.dropFirst()
                }
                if name.isEmpty, characters.first != nil { characters = characters.dropFirst() }  // \, \; \{ …
                if name == "color" { _ = takeGroup(&characters) }
                if name == "scriptstyle" { scale = min(scale, 0.73) }
                width += scale * (commandWidths[name] ?? 0)
            case "_", "^":
                let group = takeGroup(&characters)
                width += of(group, scale: scale > 0.8 ? 0.73 : 0.55)
            case "{", "}", " ": break
            default: width += scale * characterWidth(character)
            }
        }
        return width
    }

    /// Subscript and superscript of the same base overlap; the wider one counts.
    /// (Entries such as w^{(0,1)}_{2,0} are measured as their base plus the wider script.)
    static func ofEntry(_ math: String) -> Double {
        guard let caret = math.firstIndex(of: "^"), let underscore = math.firstIndex(of: "_"), caret < underscore else { return of(math) }
        let base = String(math[..<caret])
        var rest = Array(math[math.index(after: caret)...])[...]
        let superscript = takeGroup(&rest)
        guard rest.first == "_" else { return of(math) }
        rest = rest.dropFirst()
        let subscriptText = takeGroup(&rest)
        return of(base) + max(of(superscript, scale: 0.73), of(subscriptText, scale: 0.73)) + of(String(rest))
    }

    private static func takeGroup(_ characters: inout ArraySlice<Character>) -> String {
        guard characters.first == "{" else { return characters.popFirst().map(String.init) ?? "" }
        characters = characters.dropFirst()
        var depth = 1, group = ""
        while let next = characters.popFirst() {
            if next == "{" { depth += 1 }
            if next == "}" {
                depth -= 1
                if depth == 0 { break }
            }
            group.append(next)
        }
        return group
    }

    private static func characterWidth(_ character: Character) -> Double {
        if character.isNumber { return 0.52 }
        if character.isLetter { return character.isUppercase ? 0.85 : 0.8 }
        switch character {
        case ".", ",", ";": return 0.3
        case "(", ")", "[", "]": return 0.4
        case "-", "+", "=": return 0.8
        default: return 0.6
        }
    }

    private static let commandWidths: [String: Double] = [
        "cdot": 0.3, "times": 0.8, "scriptstyle": 0, "color": 0, "cdots": 1.1, "ldots": 1.1,
    ]
}
