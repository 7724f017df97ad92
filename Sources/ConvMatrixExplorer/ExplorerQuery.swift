import ConvMatrix

/// A query string (`input=5x5&stride=2&padding=same`) split into its keys
/// and values, percent-decoded, with the limits the explorer keeps: what
/// the page sends and what a link on a slide holds.
///
/// Anything that is not a query of known keys — an unknown or repeated key,
/// a broken `%` escape, bytes that are not UTF-8, a query longer than
/// `lengthLimit` — is malformed (`ExplorerError.malformed`, HTTP 400). A
/// value the field syntax refuses is not malformed: it is a setting the
/// page shows next to its control, as the CLI refuses the flag.
package struct ExplorerQuery: Hashable, Sendable {
    /// The keys and values in the order given.
    package let pairs: [(key: String, value: String)]

    /// The longest query accepted, in bytes: every setting of the page
    /// written out takes about 300.
    package static let lengthLimit = 2048

    /// The value of `key`, or nil when the query does not give it.
    package subscript(key: String) -> String? {
        pairs.first { $0.key == key }?.value
    }

    /// Splits and decodes `query` (the part of the URL after `?`, still
    /// percent-encoded; `+` is a space, as forms send it).
    ///
    /// - Parameters:
    ///   - query: the raw query, or the empty string.
    ///   - keys: the keys accepted.
    /// - Throws: `ExplorerError.malformed` saying what is wrong.
    package init(_ query: String, keys: Set<String>) throws(ExplorerError) {
        let bytes = Array(query.utf8)
        if bytes.count > Self.lengthLimit {
            throw .malformed("the query has \(bytes.count) bytes; at most \(Self.lengthLimit) are accepted")
        }
        var pairs = [(key: String, value: String)]()
        for part in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let pieces = part.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decode(pieces[0])
            let value = pieces.count > 1 ? try Self.decode(pieces[1]) : ""
            guard keys.contains(key) else {
                throw .malformed("unknown key \(Self.quote(key)); the keys are \(keys.sorted().joined(separator: ", "))")
            }
            if pairs.contains(where: { $0.key == key }) {
                throw .malformed("the key \(Self.quote(key)) is given twice")
            }
            pairs.append((key, value))
        }
        self.pairs = pairs
    }

    /// A query of the given pairs, as the explorer writes its own settings (no limit is checked).
    package init(pairs: [(key: String, value: String)]) {
        self.pairs = pairs
    }

    package static func == (a: ExplorerQuery, b: ExplorerQuery) -> Bool {
        a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    package func hash(into hasher: inout Hasher) {
        for pair in pairs { hasher.combine(pair.key); hasher.combine(pair.value) }
    }

    /// Percent-decodes one key or value (RFC 3986, `+` as a space).
    static func decode(_ bytes: ArraySlice<UInt8>) throws(ExplorerError) -> String {
        var decoded = [UInt8]()
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex,
                    let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else {
                    throw .malformed("a % in the query is not followed by two hexadecimal digits")
                }
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw .malformed("the query is not UTF-8 text")
        }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw .malformed("the query holds control characters")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// A key quoted for a message: at most 40 characters, control characters escaped.
    static func quote(_ text: String) -> String {
        let short = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "\"" + short.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined() + "\""
    }

    /// `pairs` written as a query again, percent-encoding everything but
    /// letters, digits and `-._~:,` (a comma is allowed in a query, and a
    /// list of weights stays readable in a link on a slide).
    package var encoded: String {
        pairs.map { Self.encode($0.key) + "=" + Self.encode($0.value) }.joined(separator: "&")
    }

    /// `text` percent-encoded for a query.
    package static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "-._~:,".unicodeScalars.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                result += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return result
    }
}
