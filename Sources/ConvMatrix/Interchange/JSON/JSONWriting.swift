/// Small helpers for writing JSON by hand, so that reports keep their key
/// order and print numbers in shortest round-trip form.
public enum JSONWriting {
    /// A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259 §7).
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `{"key": value, …}` from already-encoded values, in the order given.
    public static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// `[a, b, …]` from already-encoded values.
    public static func array(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
}
