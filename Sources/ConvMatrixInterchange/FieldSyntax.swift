import ConvMatrixCore

/// The compact spellings of field values that people type (on the command
/// line, in the explorer's boxes): `4x4` (or `4×4`, `4,4`) for per-dimension
/// sizes, a single number for "the same in every dimension", `same`/`valid`
/// or `1x0` or `0:1x1:0` (before:after per dimension) for padding, and
/// `1,-2,0.5` for values. Refusals name the field they were given for.
package enum FieldSyntax {
    /// Whole numbers separated by `x`, `×` or `,`; `field` names the field in errors.
    ///
    /// - Parameters:
    ///   - text: what the user typed, e.g. `4x4`, `4×4` or `4,4`.
    ///   - field: the field named in a refusal.
    /// - Returns: the sizes, one per dimension.
    /// - Throws: `GeometryError.invalid` naming `field` and quoting `text` when it is empty or a part is not a
    ///   whole number (whether a size is at least 1 is the geometry's rule).
    package static func sizes(_ text: String, field: String) throws(GeometryError) -> [Int] {
        let parts = split(text)
        guard !parts.isEmpty else { throw .invalid(field: field, reason: "= \(quoted: text) is not a list of whole numbers like 4x4") }
        var result = [Int]()
        for part in parts {
            guard let value = Int(part) else {
                throw .invalid(field: field, reason: "= \(quoted: text) is not a list of whole numbers like 4x4")
            }
            result.append(value)
        }
        return result
    }

    /// `same`, `valid`, `2`, `1x0`, or `before:after` per dimension such as `0:1x1:0`.
    ///
    /// - Parameters:
    ///   - text: what the user typed.
    ///   - field: the field named in a refusal.
    /// - Returns: `.same`, `.valid`, `.symmetric` amounts, or `.explicit(before:after:)` when any dimension has a `before:after` pair.
    /// - Throws: `GeometryError.invalid` naming `field` and quoting `text` when it is none of these forms.
    package static func padding(_ text: String, field: String = "padding") throws(GeometryError) -> Padding {
        switch text.lowercased() {
        case "same": return .same
        case "valid": return .valid
        default: break
        }
        let parts = split(text)
        guard !parts.isEmpty else { throw .invalid(field: field, reason: "= \(quoted: text) is not valid; write 1, 1x0, 0:1x1:0, same or valid") }
        if parts.contains(where: { $0.contains(":") }) {
            var before = [Int](), after = [Int]()
            for part in parts {
                let sides = part.split(separator: ":", omittingEmptySubsequences: false)
                guard sides.count == 2, let b = Int(sides[0]), let a = Int(sides[1]) else {
                    throw .invalid(field: field, reason: "= \(quoted: text): write before:after for each dimension, like 0:1x1:0")
                }
                before.append(b)
                after.append(a)
            }
            return .explicit(before: before, after: after)
        }
        return .symmetric(try sizes(text, field: field))
    }

    /// A channel block `O,I`: output channel O, input channel I (both from 0).
    ///
    /// - Parameter text: what the user typed, e.g. `1,0`.
    /// - Returns: the block; whether it exists in a given geometry is checked by the printer.
    /// - Throws: `GeometryError.invalid` naming the field `block` unless `text` is two whole numbers ≥ 0 separated by a comma.
    package static func channelBlock(_ text: String) throws(GeometryError) -> ChannelBlock {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let output = Int(parts[0]), let input = Int(parts[1]), output >= 0, input >= 0 else {
            throw .invalid(field: "block", reason: "= \(quoted: text) must be two channel numbers O,I (output channel, input channel, from 0), like 1,0")
        }
        return ChannelBlock(output: output, input: input)
    }

    /// Comma-separated real numbers (negative values and exponents allowed),
    /// each read by `number(_:field:)` and named `field[n]` in refusals.
    ///
    /// - Parameters:
    ///   - text: what the user typed, e.g. `1,-2,0.5`.
    ///   - field: the field named in a refusal, with the position of the bad entry.
    /// - Returns: the numbers in order.
    /// - Throws: `GeometryError.invalid` naming `field[n]` for the first entry that `number(_:field:)` refuses.
    package static func numbers(_ text: String, field: String) throws(GeometryError) -> [Double] {
        var result = [Double]()
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        for (n, part) in parts.enumerated() {
            if part.allSatisfy({ $0 == " " }) {
                throw .invalid(field: "\(field)[\(n)]", reason: "is empty; write numbers separated by single commas, like 1,-2,0.5")
            }
            result.append(try number(String(part), field: "\(field)[\(n)]"))
        }
        return result
    }

    /// One real number in decimal notation (`-2`, `0.5`, `1e-3`), the one
    /// number syntax of every field: hexadecimal (`0x10`), words (`nan`,
    /// `inf`), values beyond Float64 and non-zero values that would round
    /// to 0 are refused. Spaces around the number are ignored.
    ///
    /// - Parameters:
    ///   - text: what the user typed.
    ///   - field: the field named in a refusal.
    /// - Returns: the finite Float64 value.
    /// - Throws: `GeometryError.invalid` naming `field` and quoting `text`, saying which rule it breaks.
    package static func number(_ text: String, field: String) throws(GeometryError) -> Double {
        let part = String(text.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        // Decimal notation only: Swift would also read hexadecimal (0x10) and words.
        let decimal = !part.isEmpty && part.allSatisfy { "0123456789.eE+-".contains($0) }
        guard let value = Double(part), decimal || !value.isFinite else {
            throw .invalid(field: field, reason: "= \(quoted: part) is not a decimal number")
        }
        guard value.isFinite else {
            throw .invalid(field: field, reason: "= \(part) is not a finite number")
        }
        if value == 0 && part.contains(where: { "123456789".contains($0) }) && part.contains(where: { $0 == "e" || $0 == "E" }) {
            throw .invalid(field: field, reason: "= \(part) is too small for Float64 (it would become 0)")
        }
        return value
    }

    /// The parts between `x`, `×` or `,`; an empty part (as in `4x`, `4xx4`) makes the whole list invalid.
    private static func split(_ text: String) -> [String] {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "x" || $0 == "X" || $0 == "×" || $0 == "," })
            .map { String($0.filter { $0 != " " }) }
        return parts.contains(where: \.isEmpty) ? [] : parts
    }
}
