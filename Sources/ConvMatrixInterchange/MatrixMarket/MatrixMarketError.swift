import ConvMatrixCore

/// Why a Matrix Market file could not be read: the line and what is wrong with it.
public struct MatrixMarketError: UserFacingError, Equatable, Sendable {
    /// The 1-based line number.
    package let line: Int
    /// Completes the sentence "line N …".
    package let reason: String

    /// A refusal of line `line`.
    ///
    /// - Parameters:
    ///   - line: the 1-based number of the line that is wrong.
    ///   - reason: the rest of the sentence "Matrix Market line N …", in a student's words.
    package init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    /// The message shown after `error:`, naming the line.
    ///
    /// - Parameter spell: how the reader names fields; unused, a Matrix Market file has lines, not fields.
    /// - Returns: one line without a trailing newline.
    public func message(spellingFields spell: (String) -> String) -> String { "Matrix Market line \(line) \(reason)" }

    /// Characters of a line quoted in a message; a file of junk can have lines of megabytes,
    /// and the message must stay one readable line.
    static let quotedLength = 60

    /// `raw` in double quotes, without a CRLF file's carriage return, cut to `quotedLength` characters with "…".
    static func quoted(_ raw: Substring) -> String {
        let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
        return "\"" + (line.count > quotedLength ? line.prefix(quotedLength) + "…" : line) + "\""
    }
}
