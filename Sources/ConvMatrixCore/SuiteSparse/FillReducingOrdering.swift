/// The permutation P that CHOLMOD applies before factorizing, so that the
/// Cholesky factor of P·M·Pᵀ has fewer nonzeros (less fill) than that of M.
///
/// The corresponding CHOLMOD settings are `cholmod_common.nmethods` and
/// `cholmod_common.method[0].ordering` (`CHOLMOD_NATURAL`, `CHOLMOD_AMD`,
/// `CHOLMOD_METIS`, `CHOLMOD_NESDIS`).
public enum FillReducingOrdering: String, Sendable, CaseIterable {
    /// CHOLMOD's own choice: AMD, and METIS when AMD leaves much fill
    /// (nnz(L) ≥ 5·nnz(M) and many flops per nonzero). `cholmod_common.nmethods = 0`.
    case automatic
    /// No permutation: P = I. Useful only to see how much fill an ordering saves.
    case natural
    /// Approximate minimum degree: quick to compute, good on small or irregular problems.
    case amd
    /// METIS nested dissection: slower to compute, usually the least fill on 2-D and 3-D grids.
    case metis
    /// CHOLMOD's own nested dissection (METIS bisection plus constrained minimum degree).
    case nesdis

    /// The CHOLMOD ordering constant, or nil for CHOLMOD's automatic choice.
    var cholmodOrdering: Int32? {
        switch self {
        case .automatic: return nil
        case .natural: return 0
        case .amd: return 2
        case .metis: return 3
        case .nesdis: return 4
        }
    }

    /// The ordering that CHOLMOD reports in `cholmod_factor.ordering`.
    init(reported value: Int32) {
        switch value {
        case 2, 5: self = .amd  // CHOLMOD_COLAMD orders a symmetric matrix with AMD
        case 3: self = .metis
        case 4: self = .nesdis
        default: self = .natural
        }
    }
}
