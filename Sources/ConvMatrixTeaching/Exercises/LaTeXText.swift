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
        for character in text {
            if character == "`" {
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
