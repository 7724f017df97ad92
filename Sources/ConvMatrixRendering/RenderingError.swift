import ConvMatrixCore
import ConvMatrixInterchange

/// Why something could not be printed or drawn as asked: an option that
/// does not apply to the chosen format or picture, a value out of range, or
/// a matrix too large to show. The message names the option (a field) and
/// what would be valid.
public enum RenderingError: UserFacingError, Equatable, Sendable {
    /// `field` cannot take this value or this combination; `reason` completes the sentence.
    case invalid(field: String, reason: FieldMessage)
    /// The matrix or picture is too large to show this way; the message says what to do instead.
    case tooLarge(FieldMessage)

    /// The message shown after `error:`.
    ///
    /// - Parameter spell: turns a field name such as `show_padding` into the reader's name for it (a flag).
    /// - Returns: one line without a trailing newline.
    public func message(spellingFields spell: (String) -> String) -> String {
        switch self {
        case let .invalid(field, reason): return "\(spell(field)) \(reason.spelled(spell))"
        case let .tooLarge(reason): return reason.spelled(spell)
        }
    }
}
