/// A failure reported by CHOLMOD, with the status code it set.
///
/// The corresponding CHOLMOD field is `cholmod_common.status`; the message
/// is the one CHOLMOD passed to its error handler, when it passed one.
public struct CholmodError: UserFacingError, Equatable, Sendable {
    /// CHOLMOD's status code (negative for errors).
    public let status: Int32
    /// CHOLMOD's own words, or a description of the status.
    public let message: String

    /// CHOLMOD could not allocate memory (`CHOLMOD_OUT_OF_MEMORY`).
    package static let outOfMemory = CholmodError(status: -2, message: "CHOLMOD ran out of memory")
    /// A size did not fit into CHOLMOD's integers (`CHOLMOD_TOO_LARGE`).
    package static let tooLarge = CholmodError(status: -3, message: "the matrix is too large for CHOLMOD")
    /// CHOLMOD rejected its arguments (`CHOLMOD_INVALID`).
    package static let invalid = CholmodError(status: -4, message: "CHOLMOD rejected an invalid argument")
    /// The method is not in this build of CHOLMOD (`CHOLMOD_NOT_INSTALLED`).
    package static let notInstalled = CholmodError(status: -1, message: "this CHOLMOD build lacks the routine")
    /// A matrix that should be positive definite is not (`CHOLMOD_NOT_POSDEF`).
    package static let notPositiveDefinite = CholmodError(status: 1, message: "the matrix is not positive definite")

    /// Not a CHOLMOD status: ConvMatrix's own refusal to factorize when the
    /// factor would need more memory than it was allowed (see `overMemoryLimit`).
    package static let overMemoryLimitStatus: Int32 = -100

    /// The refusal of a factor that would need `needed` bytes where `limit` were allowed.
    ///
    /// - Parameters:
    ///   - needed: the bytes the symbolic analysis predicts for the factor.
    ///   - limit: the bytes allowed (`--max-memory`).
    /// - Returns: an error whose message gives both sizes in binary units.
    package static func overMemoryLimit(needed: Int, limit: Int) -> CholmodError {
        var error = CholmodError(
            status: overMemoryLimitStatus,
            message:
                "the Cholesky factor would need \(MemoryBudget.formatBytes(needed)), more than the \(MemoryBudget.formatBytes(max(limit, 0))) left under the memory limit"
        )
        error.neededBytes = needed
        return error
    }

    /// For `overMemoryLimit`: the bytes the refused work would have needed.
    package private(set) var neededBytes: Int?

    /// An error for `status` with CHOLMOD's message, if any.
    ///
    /// - Parameters:
    ///   - status: CHOLMOD's `common.status` (negative: an error; positive: a warning).
    ///   - message: what went wrong, in words; empty when CHOLMOD gave none.
    package init(status: Int32, message: String) {
        self.status = status
        self.message = message
    }

    /// The status code with CHOLMOD's message.
    ///
    /// - Parameter spell: unused: a CHOLMOD error names no field.
    /// - Returns: "CHOLMOD error STATUS: MESSAGE".
    public func message(spellingFields spell: (String) -> String) -> String { "CHOLMOD error \(status): \(message)" }
}
