/// A deliberately small XML reader for checking the SVG that ConvMatrix
/// writes: it accepts one root element with attributes in double or single
/// quotes, text, the five predefined entities and numeric character
/// references, an XML declaration and comments, and rejects everything else
/// that is not well-formed (mismatched or unclosed tags, duplicate
/// attributes, a bare `<` or `&` in text, unknown entities, content after
/// the root). It is written independently of the SVG writer so that the
/// tests do not trust the code they check.
package struct TinyXML {
    /// An element: its name, attributes, children and text.
    package struct Element {
        package var name: String
        package var attributes: [String: String]
        package var children: [Element] = []
        package var text = ""

        /// Every element in this subtree, depth first, including this one.
        package var all: [Element] { [self] + children.flatMap(\.all) }

        /// Elements in the subtree with `name` whose class list contains `role`.
        package func elements(_ name: String, role: String) -> [Element] {
            all.filter { $0.name == name && ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(role)) }
        }
    }

    /// Why a document is not well-formed, with the character offset.
    package struct Failure: Error, CustomStringConvertible {
        let offset: Int
        let reason: String
        package var description: String { "XML offset \(offset): \(reason)" }
    }

    private let characters: [Character]
    private var position = 0

    /// Parses `text` and returns the root element.
    package static func parse(_ text: String) throws -> Element {
        var reader = TinyXML(characters: Array(text))
        return try reader.document()
    }

    private init(characters: [Character]) { self.characters = characters }

    private mutating func document() throws -> Element {
        skipSpace()
        if starts("<?xml") { try skip(past: "?>") }
        try skipMisc()
        guard starts("<") else { throw fail("expected the root element") }
        let root = try element()
        try skipMisc()
        guard position == characters.count else { throw fail("content after the root element") }
        return root
    }

    private mutating func skipMisc() throws {
        while true {
            skipSpace()
            if starts("<!--") { try skip(past: "-->") } else { return }
        }
    }

    private mutating func element() throws -> Element {
        try expect("<")
        let name = try self.name()
        var element = Element(name: name, attributes: [:])
        while true {
            let hadSpace = skipSpace()
            if starts("/>") { position += 2; return element }
            if starts(">") { position += 1; break }
            guard hadSpace else { throw fail("expected a space before an attribute in <\(name)>") }
            let attribute = try self.name()
            skipSpace()
            try expect("=")
            skipSpace()
            guard position < characters.count, characters[position] == "\"" || characters[position] == "'" else {
                throw fail("attribute \(attribute) needs a quoted value")
            }
            let quote = characters[position]
            position += 1
            var value = ""
            while position < characters.count, characters[position] != quote {
                if characters[position] == "<" { throw fail("'<' inside attribute \(attribute)") }
                if characters[position] == "&" { value += try entity() } else { value.append(characters[position]); position += 1 }
            }
            try expect(String(quote))
            guard element.attributes[attribute] == nil else { throw fail("duplicate attribute \(attribute) in <\(name)>") }
            element.attributes[attribute] = value
        }
        while true {
            guard position < characters.count else { throw fail("<\(name)> is never closed") }
            if starts("</") {
                position += 2
                let closing = try self.name()
                guard closing == name else { throw fail("</\(closing)> closes <\(name)>") }
                skipSpace()
                try expect(">")
                return element
            } else if starts("<!--") {
                try skip(past: "-->")
            } else if starts("<") {
                element.children.append(try self.element())
            } else if characters[position] == "&" {
                element.text += try entity()
            } else {
                element.text.append(characters[position])
                position += 1
            }
        }
    }

    private mutating func entity() throws -> String {
        let named = ["&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&apos;": "'"]
        for (key, value) in named where starts(key) {
            position += key.count
            return value
        }
        if starts("&#") {
            var end = position + 2
            while end < characters.count, characters[end] != ";" { end += 1 }
            let body = String(characters[(position + 2)..<min(end, characters.count)])
            let scalar = body.hasPrefix("x") ? UInt32(body.dropFirst(), radix: 16) : UInt32(body)
            if end < characters.count, let scalar, let unicode = Unicode.Scalar(scalar) {
                position = end + 1
                return String(Character(unicode))
            }
        }
        throw fail("'&' that starts no known entity")
    }

    private mutating func name() throws -> String {
        var result = ""
        while position < characters.count {
            let c = characters[position]
            guard c.isLetter || c.isNumber || c == "-" || c == "_" || c == ":" || c == "." else { break }
            result.append(c)
            position += 1
        }
        guard let first = result.first, first.isLetter || first == "_" else { throw fail("expected a name") }
        return result
    }

    @discardableResult
    private mutating func skipSpace() -> Bool {
        let start = position
        while position < characters.count, characters[position].isWhitespace { position += 1 }
        return position > start
    }

    private func starts(_ text: String) -> Bool {
        let pattern = Array(text)
        guard position + pattern.count <= characters.count else { return false }
        return Array(characters[position..<(position + pattern.count)]) == pattern
    }

    private mutating func expect(_ text: String) throws {
        guard starts(text) else { throw fail("expected '\(text)'") }
        position += text.count
    }

    private mutating func skip(past text: String) throws {
        while position < characters.count, !starts(text) { position += 1 }
        guard starts(text) else { throw fail("missing '\(text)'") }
        position += text.count
    }

    private func fail(_ reason: String) -> Failure { Failure(offset: position, reason: reason) }
}
