internal import CSuiteSparse

extension SparseMatrix {
    /// ‖A‖_F² = Σ a_ij², read from CHOLMOD's value array without a copy: an upper bound on σ_max²
    /// that the spectrum's iterative route scales its shift by.
    package var squaredFrobeniusNorm: Double {
        let entries = UnsafeBufferPointer(start: storage.pointee.x.assumingMemoryBound(to: Double.self), count: nonzeroCount)
        return entries.reduce(0) { $0 + $1 * $1 }
    }
}
