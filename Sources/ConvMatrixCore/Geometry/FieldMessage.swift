/// A sentence that may mention fields (`stride`, `output_padding[1]`, …) by
/// name. The mentions are kept apart from the text, so whoever shows the
/// message decides how a field is spelled: the library's own names by
/// default, a flag such as `--stride` in a command-line tool, a key in a
/// case file.
///
/// Write it as a string literal; `\(field: "stride[0]")` marks a mention:
///
///     let reason: FieldMessage = "must be smaller than \(field: "stride[0]") = \(s)"
public struct FieldMessage: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// A piece of the sentence: plain text or a field's name.
    enum Part: Hashable, Sendable {
        case text(String)
        case field(String)
    }

    var parts: [Part]

    /// A message without field mentions.
    ///
    /// - Parameter value: the whole message, with no field to spell.
    public init(stringLiteral value: String) {
        parts = value.isEmpty ? [] : [.text(value)]
    }

    /// A message built by interpolation.
    ///
    /// - Parameter stringInterpolation: the parts collected from the literal and its interpolations.
    public init(stringInterpolation: StringInterpolation) {
        parts = stringInterpolation.parts
    }

    /// The message with every field mention spelled by `spell`.
    ///
    /// - Parameter spell: turns a field name such as `stride[0]` into the name the reader knows.
    /// - Returns: the sentence.
    public func spelled(_ spell: (String) -> String) -> String {
        parts.map { part in
            switch part {
            case .text(let text): return text
            case .field(let name): return spell(name)
            }
        }.joined()
    }

    /// The message with the library's own field names.
    public var description: String { spelled { $0 } }

    /// Collects the text and the field mentions of an interpolated message.
    public struct StringInterpolation: StringInterpolationProtocol {
        var parts = [Part]()

        /// Room for the literal text and the mentions.
        ///
        /// - Parameters:
        ///   - literalCapacity: the literal's length, a hint the message does not need.
        ///   - interpolationCount: the number of interpolations, also unused.
        public init(literalCapacity: Int, interpolationCount: Int) {}

        /// Literal text.
        ///
        /// - Parameter literal: the text between interpolations, kept as it is.
        public mutating func appendLiteral(_ literal: String) { append(text: literal) }

        /// Any value, as its description.
        ///
        /// - Parameter value: written with `String(describing:)`; use `quoted:` for what a user typed.
        public mutating func appendInterpolation<Value>(_ value: Value) { append(text: "\(value)") }

        /// Another message, its field mentions kept.
        ///
        /// - Parameter message: a message whose field mentions are spelled with this one's.
        package mutating func appendInterpolation(_ message: FieldMessage) {
            for part in message.parts {
                switch part {
                case .text(let text): append(text: text)
                case .field: parts.append(part)
                }
            }
        }

        /// A value the user typed, in double quotes, with line breaks and other
        /// control characters escaped so that the message stays on one line.
        ///
        /// - Parameter text: the user's text exactly as typed.
        package mutating func appendInterpolation(quoted text: String) {
            append(text: "\"" + escapingControlCharacters(text) + "\"")
        }

        /// A mention of the field `name`.
        ///
        /// - Parameter name: a library field name such as `stride[0]`, spelled later by the reader's `spell` (a CLI turns it into `--stride`).
        package mutating func appendInterpolation(field name: String) { parts.append(.field(name)) }

        /// Text joins the text before it, so that equal sentences have equal parts.
        private mutating func append(text: String) {
            guard !text.isEmpty else { return }
            if case .text(let previous)? = parts.last {
                parts[parts.count - 1] = .text(previous + text)
            } else {
                parts.append(.text(text))
            }
        }
    }
}

/// An error a person can act on: one sentence that names what was wrong (a
/// field, a file, a line) and what would be valid.
///
/// Every error ConvMatrix throws at its users conforms, so a program shows
/// them all the same way; a command-line tool passes its flag names through
/// `message(spellingFields:)`.
public protocol UserFacingError: Error, CustomStringConvertible {
    /// The sentence, with every field mention spelled by `spell`.
    ///
    /// - Parameter spell: turns a field name such as `stride[0]` into the name the reader knows.
    /// - Returns: one line, without a trailing newline.
    func message(spellingFields spell: (String) -> String) -> String
}

extension UserFacingError {
    /// The sentence with the library's own field names.
    public var description: String { message(spellingFields: { $0 }) }
}

/// `text` with line breaks, tabs and other control characters written as
/// escapes (`\n`, `\r`, `\t`, `\u{1b}`), so that a message quoting it
/// stays one line on a terminal and in a log.
///
/// - Parameter text: any text, typically a value a user typed.
/// - Returns: the text with every control character escaped and everything else unchanged.
package func escapingControlCharacters(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        default:
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result
}
