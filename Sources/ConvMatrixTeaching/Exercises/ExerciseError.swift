import ConvMatrixCore
import ConvMatrixInterchange
import ConvMatrixRendering

/// Why an exercise sheet could not be made or an answer file not graded.
public enum ExerciseError: UserFacingError, Equatable, Sendable {
    /// A generated geometry was refused (a bug in the generator, reported rather than hidden).
    case geometry(GeometryError)
    /// CHOLMOD failed while computing an answer.
    case cholmod(CholmodError)
    /// A flag, key file or answer file holds something unusable: the field, and what is wrong.
    case invalid(field: String, reason: FieldMessage)

    /// One line naming the field, the value and what would be valid.
    ///
    /// - Parameter spell: turns a field name into the reader's name for it (a flag).
    /// - Returns: one line without a trailing newline.
    public func message(spellingFields spell: (String) -> String) -> String {
        switch self {
        case .geometry(let error): return "exercise generator: \(error)"
        case .cholmod(let error): return "exercise generator: \(error)"
        case let .invalid(field, reason): return "\(spell(field)) \(reason.spelled(spell))"
        }
    }
}

/// Runs a geometry computation whose settings the generator chose, reporting a refusal as an `ExerciseError`.
func checkedGeometry<T>(_ body: () throws(GeometryError) -> T) throws(ExerciseError) -> T {
    do { return try body() } catch { throw .geometry(error) }
}

/// Runs a CHOLMOD computation, reporting a failure as an `ExerciseError`.
func checkedProduct<T>(_ body: () throws(CholmodError) -> T) throws(ExerciseError) -> T {
    do { return try body() } catch { throw .cholmod(error) }
}
