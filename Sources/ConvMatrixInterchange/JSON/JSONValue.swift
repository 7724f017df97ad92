import ConvMatrixCore

/// A parsed JSON document, kept close to its text: numbers keep their
/// literal so that integers are read exactly and reals are read by the
/// correctly rounded `Double(String)`.
package enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses a complete JSON document (RFC 8259); trailing text is an error.
    ///
    /// - Parameter text: the document.
    /// - Throws: `JSONError` naming the line and column where the text stops being JSON.
    /// - Complexity: O(n) time; besides the tree, no copy of the text is made.
    package init(parsing text: String) throws(JSONError) {
        var text = text
        // Native strings are stored as UTF-8 already: the parser reads them in place.
        let result = text.withUTF8 { bytes in
            Result { () throws(JSONError) in
                var parser = JSONParser(bytes)
                return try parser.document()
            }
        }
        self = try result.get()
    }
}

/// A recursive-descent reader for `JSONValue` with error positions as line:column.
private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func document() throws(JSONError) -> JSONValue {
        let value = try self.value()
        skipWhitespace()
        if offset < bytes.count { throw failure("unexpected text after the document") }
        return value
    }

    func failure(_ reason: String) -> JSONError {
        var line = 1, column = 1
        for byte in bytes[0..<min(offset, bytes.count)] {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return JSONError(reason: reason, line: line, column: column)
    }

    mutating func skipWhitespace() {
        while offset < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[offset]) { offset += 1 }
    }

    mutating func value() throws(JSONError) -> JSONValue {
        skipWhitespace()
        guard offset < bytes.count else { throw failure("the document ends where a value was expected") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    mutating func literal(_ word: String) throws(JSONError) {
        let expected = Array(word.utf8)
        guard offset + expected.count <= bytes.count, Array(bytes[offset..<offset + expected.count]) == expected
        else { throw failure("unknown word (expected \(word))") }
        offset += expected.count
    }

    mutating func nest() throws(JSONError) {
        depth += 1
        if depth > 256 { throw failure("nesting deeper than 256 levels") }
    }

    mutating func object() throws(JSONError) -> JSONValue {
        try nest(); defer { depth -= 1 }
        offset += 1
        var members = [String: JSONValue]()
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") { offset += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw failure("expected a quoted key") }
            let key = try string()
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { throw failure("expected ':' after the key \"\(key)\"") }
            offset += 1
            if members[key] != nil { throw failure("the key \"\(key)\" appears twice") }
            members[key] = try value()
            skipWhitespace()
            guard offset < bytes.count else { throw failure("the object is not closed") }
            if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
            if bytes[offset] == UInt8(ascii: "}") { offset += 1; return .object(members) }
            throw failure("expected ',' or '}' in an object")
        }
    }

    mutating func array() throws(JSONError) -> JSONValue {
        try nest(); defer { depth -= 1 }
        offset += 1
        var elements = [JSONValue]()
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") { offset += 1; return .array(elements) }
        while true {
            elements.append(try value())
            skipWhitespace()
            guard offset < bytes.count else { throw failure("the array is not closed") }
            if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
            if bytes[offset] == UInt8(ascii: "]") { offset += 1; return .array(elements) }
            throw failure("expected ',' or ']' in an array")
        }
    }

    mutating func string() throws(JSONError) -> String {
        offset += 1
        var scalars = String.UnicodeScalarView()
        var run = [UInt8]()
        func flush() { if !run.isEmpty { scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars); run.removeAll() } }
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") { offset += 1; flush(); return String(scalars) }
            if byte < 0x20 { throw failure("control character inside a string") }
            if byte == UInt8(ascii: "\\") {
                flush()
                offset += 1
                guard offset < bytes.count else { break }
                let escape = bytes[offset]
                offset += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    guard offset + 4 <= bytes.count,
                        let code = UInt32(String(decoding: bytes[offset..<offset + 4], as: UTF8.self), radix: 16)
                    else { throw failure("bad \\u escape") }
                    offset += 4
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: throw failure("unknown escape in a string")
                }
                continue
            }
            run.append(byte)
            offset += 1
        }
        throw failure("the string is not closed")
    }

    mutating func number() throws(JSONError) -> String {
        let start = offset
        func digits(_ parser: inout JSONParser) -> Int {
            let begin = parser.offset
            while parser.offset < parser.bytes.count, (0x30...0x39).contains(parser.bytes[parser.offset]) { parser.offset += 1 }
            return parser.offset - begin
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        let integerStart = offset
        let integerDigits = digits(&self)
        guard integerDigits > 0 else { offset = start; throw failure("expected a value") }
        // RFC 8259: an integer part is 0 or starts with 1–9 (01 is not JSON).
        if integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0") {
            offset = integerStart
            throw failure("a number must not start with 0 followed by more digits")
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard digits(&self) > 0 else { throw failure("expected digits after the decimal point") }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard digits(&self) > 0 else { throw failure("expected digits in the exponent") }
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }
}

/// Why a text is not a JSON document: what was expected and where.
public struct JSONError: UserFacingError, Equatable, Sendable {
    /// What is wrong, e.g. "expected a quoted key".
    package let reason: String
    /// The 1-based line of the offending character.
    package let line: Int
    /// The 1-based column (in bytes) of the offending character.
    package let column: Int

    /// "expected a quoted key at line 1, column 15".
    ///
    /// - Parameter spell: unused: the position in the text says where the error is.
    /// - Returns: the reason with its line and column, both from 1.
    public func message(spellingFields spell: (String) -> String) -> String { "\(reason) at line \(line), column \(column)" }
}
