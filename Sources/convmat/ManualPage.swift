#if canImport(Glibc)
    import Glibc
#endif

/// The environment variable under which `convmat --experimental-dump-help` spells every
/// character outside ASCII as `&#xHEX;` (`make manual` sets it; see `manualEscaped`).
let manualEscapesVariable = "CONVMAT_MANUAL_ESCAPES"

/// `text` with every character outside ASCII, and `&` itself, written as `&#xHEX;` (U+00B7 → `&#xB7;`).
///
/// swift-argument-parser's generate-manual keeps only the ASCII characters of the help it
/// reads, so "y = C·x" would reach the man page as "y = Cx" and "4×16" as "416". These
/// references are ASCII and pass through it unchanged; `make manual` then turns each one into
/// groff's `\[uHEX]`, which `man` shows as the character itself on a UTF-8 terminal and
/// replaces by its ASCII fallback (× → x) elsewhere. Writing `&` too makes the spelling
/// reversible: every `&#x…;` in the page came from here.
func manualEscaped(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
        if scalar.isASCII && scalar != "&" {
            result.unicodeScalars.append(scalar)
        } else {
            result += "&#x" + String(scalar.value, radix: 16, uppercase: true) + ";"
        }
    }
    return result
}

/// Whether this run is generate-manual reading the help (`--experimental-dump-help` with
/// `CONVMAT_MANUAL_ESCAPES=1` in the environment), which gets `manualEscaped` help.
var isDumpingHelpForManual: Bool {
    guard CommandLine.arguments.contains("--experimental-dump-help"), let value = getenv(manualEscapesVariable) else { return false }
    return String(cString: value) == "1"
}
