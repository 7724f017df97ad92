import ConvMatrixCore

/// Why a verification could not be carried out (a verification that ran and
/// found a disagreement is a failed `VerificationReport`, not an error).
public enum VerificationError: UserFacingError, Equatable, Sendable {
    /// CHOLMOD could not hold C or multiply with it.
    case cholmod(CholmodError)
    /// The data are so large that the routes' sums, or the bounds they are
    /// compared against, leave Float64: no comparison would mean anything.
    case overflow(field: String, quantity: String)
    /// The data do not fit the operation (wrong length, not finite).
    case geometry(GeometryError)

    /// One line naming what overflowed and what to do.
    ///
    /// - Parameter spell: turns a field name into the reader's name for it.
    /// - Returns: one line without a trailing newline.
    public func message(spellingFields spell: (String) -> String) -> String {
        switch self {
        case .cholmod(let error): return error.description
        case .geometry(let error): return error.message(spellingFields: spell)
        case let .overflow(field, quantity):
            return "\(quantity) overflows Float64 with these \(spell("weights")) and \(spell(field)); use values of smaller magnitude"
        }
    }
}
