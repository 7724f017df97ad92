import ConvMatrixCore

/// The one way ConvMatrix writes JSON: reports keep their key order, and
/// every number goes through `number(_:)`, so that one rule covers them all.
package enum JSONWriting {
    /// A Float64 as JSON: the shortest text that reads back as the same value
    /// (Swift's own rendering, e.g. `0.1`, `1.0`, `1e-300`), and `null` for an
    /// infinity or a NaN, which JSON cannot express.
    ///
    /// - Parameter value: any Float64.
    /// - Returns: JSON text that Python's `json.loads` and JavaScript's `JSON.parse` read back as `value` when it is finite; `null` otherwise.
    package static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    /// `[a, b, …]` of numbers, each written by `number(_:)`.
    ///
    /// - Parameter values: the numbers, in order.
    /// - Returns: a JSON array on one line.
    package static func numbers(_ values: [Double]) -> String { array(values.map(number)) }

    /// `[a, b, …]` of whole numbers.
    ///
    /// - Parameter values: the numbers, in order.
    /// - Returns: a JSON array on one line.
    package static func integers(_ values: [Int]) -> String { array(values.map(String.init)) }

    /// A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259 §7).
    ///
    /// - Parameter text: any text.
    /// - Returns: the literal, quotes included.
    package static func string(_ text: String) -> String {
        // Byte by byte: every byte that needs an escape is ASCII, and the bytes of other
        // characters are copied as they are (a megabyte of SVG in a few milliseconds).
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count + 2)
        out.append(UInt8(ascii: "\""))
        let backslash = UInt8(ascii: "\\"), hex = Array("0123456789abcdef".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), backslash: out.append(backslash); out.append(byte)
            case UInt8(ascii: "\n"): out.append(backslash); out.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\t"): out.append(backslash); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                out.append(backslash)
                out.append(contentsOf: "u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    /// `{"key": value, …}` from already-encoded values, in the order given.
    ///
    /// - Parameter fields: (key, encoded value) pairs; keys are escaped here, values are written as given.
    /// - Returns: a JSON object on one line.
    package static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// `[a, b, …]` from already-encoded values.
    ///
    /// - Parameter items: encoded JSON values, written as given.
    /// - Returns: a JSON array on one line.
    package static func array(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
}
