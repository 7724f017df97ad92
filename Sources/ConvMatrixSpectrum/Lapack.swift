internal import CLapack
import ConvMatrixCore

/// The three LAPACK routines behind `Spectrum`, wrapped so that no other file imports CLapack.
///
/// Every wrapper takes its matrix column-major (Fortran's order), checks that the sizes fit
/// LAPACK's 32-bit integers, asks LAPACK for its workspace first (`lwork = −1`) and turns a
/// nonzero `info` into a `GeometryError` naming the route.
enum Lapack {
    /// The singular values σ₁ ≥ … ≥ σ_k (k = min(m, n)) of the real m×n matrix `a`, and, when
    /// `rightVectors` is true, the k×n matrix Vᵀ of right singular vectors (column-major).
    ///
    /// The corresponding LAPACK routine is `dgesdd` (jobz = N, or S for the vectors).
    ///
    /// - Parameters:
    ///   - a: the matrix, column-major; overwritten.
    ///   - rows: m.
    ///   - columns: n.
    ///   - rightVectors: whether to compute Vᵀ as well.
    /// - Returns: the values in descending order and Vᵀ (empty unless asked for).
    /// - Throws: `GeometryError.invalid` on `route` when a size exceeds LAPACK's integers or LAPACK fails.
    static func singularValues(
        of a: inout [Double], rows: Int, columns: Int, rightVectors: Bool = false
    ) throws(GeometryError) -> (values: [Double], vt: [Double]) {
        let k = min(rows, columns)
        guard k > 0 else { return ([], []) }
        var m = try int32(rows), n = try int32(columns), lda = m
        var s = [Double](repeating: 0, count: k)
        var vt = [Double](repeating: 0, count: rightVectors ? k * columns : 1)
        var u = [Double](repeating: 0, count: rightVectors ? rows * k : 1)
        var ldu = rightVectors ? m : 1, ldvt = rightVectors ? try int32(k) : 1
        var iwork = [Int32](repeating: 0, count: 8 * k)
        var info: Int32 = 0
        var query = 0.0, lwork: Int32 = -1
        let job: UInt8 = rightVectors ? UInt8(ascii: "S") : UInt8(ascii: "N")
        var jobz = CChar(bitPattern: job)
        dgesdd_(&jobz, &m, &n, &a, &lda, &s, &u, &ldu, &vt, &ldvt, &query, &lwork, &iwork, &info, 1)
        try check(info, "dgesdd (workspace query)")
        lwork = try int32(Int(query.rounded(.up)) + 1)
        var work = [Double](repeating: 0, count: Int(lwork))
        dgesdd_(&jobz, &m, &n, &a, &lda, &s, &u, &ldu, &vt, &ldvt, &work, &lwork, &iwork, &info, 1)
        try check(info, "dgesdd")
        return (s, rightVectors ? vt : [])
    }

    /// The singular values, descending, of the complex m×n matrix `a` stored column-major as
    /// (real, imaginary) pairs.
    ///
    /// The corresponding LAPACK routine is `zgesvd` (jobu = jobvt = N).
    ///
    /// - Parameters:
    ///   - a: 2·m·n numbers; overwritten.
    ///   - rows: m.
    ///   - columns: n.
    ///   - workspace: reused between calls of the same size, grown when needed.
    /// - Returns: min(m, n) values.
    /// - Throws: `GeometryError.invalid` on `route` when LAPACK fails.
    static func complexSingularValues(
        of a: inout [Double], rows: Int, columns: Int, workspace: inout [Double]
    ) throws(GeometryError) -> [Double] {
        let k = min(rows, columns)
        guard k > 0 else { return [] }
        var m = try int32(rows), n = try int32(columns), lda = m, one: Int32 = 1, ldvt: Int32 = 1
        var s = [Double](repeating: 0, count: k)
        var rwork = [Double](repeating: 0, count: 5 * k)
        var dummyU = [Double](repeating: 0, count: 2), dummyVT = [Double](repeating: 0, count: 2)
        var info: Int32 = 0
        var jobU = CChar(bitPattern: UInt8(ascii: "N")), jobVT = jobU
        // zgesvd's documented minimum, 2·min(m,n) + max(m,n) complex numbers, is enough without vectors.
        let needed = 2 * (2 * k + max(rows, columns)) + 64
        if workspace.count < needed { workspace = [Double](repeating: 0, count: needed) }
        var lwork = try int32(workspace.count / 2)
        zgesvd_(&jobU, &jobVT, &m, &n, &a, &lda, &s, &dummyU, &one, &dummyVT, &ldvt, &workspace, &lwork, &rwork, &info, 1, 1)
        try check(info, "zgesvd")
        return s
    }

    /// The eigenvalues, ascending, of the symmetric tridiagonal matrix with diagonal `diagonal`
    /// and off-diagonal `offDiagonal`, and the last component of each eigenvector.
    ///
    /// The corresponding LAPACK routine is `dstev` (jobz = V).
    ///
    /// - Parameters:
    ///   - diagonal: α₁ … α_j.
    ///   - offDiagonal: β₁ … β_{j−1}.
    /// - Returns: the eigenvalues θ ascending and, for each, the last entry of its unit eigenvector.
    /// - Throws: `GeometryError.invalid` on `route` when LAPACK fails.
    static func tridiagonalEigenvalues(diagonal: [Double], offDiagonal: [Double]) throws(GeometryError) -> (values: [Double], lastComponents: [Double]) {
        let count = diagonal.count
        guard count > 0 else { return ([], []) }
        var n = try int32(count), ldz = n, info: Int32 = 0
        var d = diagonal
        var e = offDiagonal + [0]
        var z = [Double](repeating: 0, count: count * count)
        var work = [Double](repeating: 0, count: max(1, 2 * count - 2))
        var job = CChar(bitPattern: UInt8(ascii: "V"))
        dstev_(&job, &n, &d, &e, &z, &ldz, &work, &info, 1)
        try check(info, "dstev")
        let last = (0..<count).map { column in z[column * count + count - 1] }
        return (d, last)
    }

    /// `value` as LAPACK's 32-bit integer, or a refusal naming the route.
    private static func int32(_ value: Int) throws(GeometryError) -> Int32 {
        guard let narrow = Int32(exactly: value) else {
            throw .invalid(field: "route", reason: "needs a size of \(value), more than LAPACK's 32-bit integers hold; use another route")
        }
        return narrow
    }

    /// Refuses a nonzero LAPACK `info`.
    private static func check(_ info: Int32, _ routine: String) throws(GeometryError) {
        guard info != 0 else { return }
        let why = info < 0 ? "argument \(-info) was invalid" : "did not converge (info = \(info))"
        throw .invalid(field: "route", reason: "failed: LAPACK's \(routine) \(why)")
    }
}
