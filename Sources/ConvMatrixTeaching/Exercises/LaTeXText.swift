import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// Plain Unicode text as LaTeX: the mathematical symbols the exercises use
/// become math-mode commands and LaTeX's special characters are escaped, so
/// that one source text serves both Markdown and LaTeX sheets.
enum LaTeXText {
    private static let symbols: [Character: String] = [
        "⌊": "$\\lfloor$", "⌋": "$\\rfloor$", "⌈": "$\\lceil$", "⌉": "$\\rceil$",
        "·": "$\\cdot$", "−": "$-$", "×": "$\\times$", "′": "$'$", "ᵀ": "$^{T}$",
        "≤": "$\\le$", "≥": "$\\ge$", "≠": "$\\ne$", "→": "$\\to$", "∈": "$\\in$", "Σ": "$\\Sigma$",
        "—": "---", "–": "--", "…": "\\dots{}", "₀": "$_0$", "₁": "$_1$", "₂": "$_2$",
        "%": "\\%", "&": "\\&", "#": "\\#", "_": "\\_", "$": "\\$", "{": "\\{", "}": "\\}",
        "^": "\\^{}", "~": "\\~{}", "\\": "\\textbackslash{}",
    ]

    /// `text` with every special character replaced; backquoted spans become `\texttt`.
    static func escape(_ text: String) -> String {
        var result = ""
        var inCode = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if !inCode, character == "Σ", characters.first == "_", let index = characters.dropFirst().first, index.isLetter {
                // A sum over an index, Σ_u, is typeset as the operator with its subscript.
                result += "$\\sum_{\(index)}$"
                characters = characters.dropFirst(2)
            } else if character == "`" {
                result += inCode ? "}" : "\\texttt{"
                inCode.toggle()
            } else if let replacement = symbols[character] {
                result += replacement
            } else {
                result.append(character)
            }
        }
        if inCode { result += "}" }
        return result
    }
}

/// `text` (a size such as 11×11 or 8) after the article English reads it with:
/// "an 11×11", "an 8×8", "an 18", but "a 1×1", "a 110".
func withArticle(_ text: String) -> String {
    let number = text.prefix { $0.isNumber }
    let vowelSound = number.hasPrefix("8") || ((number.count == 2 || number.count == 5) && (number.hasPrefix("11") || number.hasPrefix("18")))
    return (vowelSound ? "an " : "a ") + text
}
