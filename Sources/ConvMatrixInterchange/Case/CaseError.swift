import ConvMatrixCore

/// Why a case document (`convmat run`) was refused or could not be computed.
public enum CaseError: UserFacingError, Equatable, Sendable {
    /// The text is not JSON; the error says where.
    case malformedJSON(JSONError)
    /// A required key is absent.
    case missing(field: String)
    /// A key holds the wrong kind of value.
    case wrongType(field: String, expected: String)
    /// A value is of the right kind but not acceptable; `reason` completes the sentence.
    case invalid(field: String, reason: FieldMessage)
    /// The geometry the case describes does not exist.
    case geometry(GeometryError)
    /// CHOLMOD failed while computing.
    case computation(String)
    /// A setting of the case generator (`CaseGenerator`) is refused; unlike a
    /// case key, `field` is the program's own setting and is spelled by the reader.
    case setting(field: String, reason: FieldMessage)

    /// The message shown after `error:`, naming the case key. Its fields are
    /// the keys of the case document, so `spell` (meant for a program's own
    /// field names) leaves them as they are.
    ///
    /// - Parameter spell: applied only to the generator's own settings (`.setting`); case keys are left as the document spells them.
    /// - Returns: one line without a trailing newline.
    public func message(spellingFields spell: (String) -> String) -> String {
        switch self {
        case .malformedJSON(let reason): return "the case is not valid JSON: \(reason)"
        case .missing(let field): return "\(field) is required but missing"
        case let .wrongType(field, expected): return "\(field) must be \(expected)"
        case let .invalid(field, reason): return "\(field) \(reason)"
        case .geometry(let error): return error.description
        case .computation(let message): return message
        case let .setting(field, reason): return "\(spell(field)) \(reason.spelled(spell))"
        }
    }
}
